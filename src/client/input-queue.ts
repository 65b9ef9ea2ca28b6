import type { InvocationInput } from './types.js'

/** The chunks of a progressive invocation, as an async iterable that ends after the final chunk. */
export class InputQueue implements AsyncIterable<InvocationInput> {
  private readonly chunks: InvocationInput[] = []
  private wake: (() => void) | undefined
  private failure: { reason: unknown } | undefined
  private finished = false

  constructor(first: InvocationInput) {
    this.push(first)
  }

  /** True once the final chunk has arrived. */
  get complete(): boolean {
    return this.finished
  }

  push(chunk: InvocationInput): void {
    if (this.finished) return
    this.chunks.push(chunk)
    if (chunk.final) this.finished = true
    this.wake?.()
  }

  /** The invocation was interrupted: a reader waiting for more input gets the reason. */
  fail(reason: unknown): void {
    this.failure ??= { reason }
    this.wake?.()
  }

  async *[Symbol.asyncIterator](): AsyncIterator<InvocationInput> {
    while (true) {
      const chunk = this.chunks.shift()
      if (chunk) {
        yield chunk
        if (chunk.final) return
      } else if (this.failure) {
        throw this.failure.reason
      } else {
        await new Promise<void>((resolve) => {
          this.wake = resolve
        })
        this.wake = undefined
      }
    }
  }
}
