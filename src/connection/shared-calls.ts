import type { Result } from '../client/types.js'
import { releaseLater } from './release-later.js'

interface SharedCall {
  promise: Promise<Result>
  controller: AbortController
  holders: number
  progress: Set<(result: Result) => void>
  settled: boolean
  abort?: { cancel(): void }
}

/** A hold on an in-flight call shared by everyone who asked for the same key. */
export interface CallLease {
  readonly promise: Promise<Result>
  /** Stops listening; the call is cancelled a macrotask after the last holder leaves. */
  release(): void
}

/**
 * In-flight calls by structural key: the same call asked twice (two components, or a StrictMode
 * remount) goes over the wire once, and is cancelled only when nobody waits for it any more.
 */
export class SharedCalls {
  private readonly calls = new Map<string, SharedCall>()

  get size(): number {
    return this.calls.size
  }

  acquire(
    key: string,
    start: (signal: AbortSignal, onProgress: (result: Result) => void) => Promise<Result>,
    onProgress?: (result: Result) => void,
  ): CallLease {
    let call = this.calls.get(key)
    if (!call) {
      const controller = new AbortController()
      const progress = new Set<(result: Result) => void>()
      const created: SharedCall = { controller, holders: 0, progress, settled: false, promise: undefined as never }
      created.promise = start(controller.signal, (result) => {
        for (const listener of progress) listener(result)
      }).finally(() => {
        created.settled = true
        if (this.calls.get(key) === created) this.calls.delete(key)
      })
      // Holders attach their own handlers; this keeps an abandoned rejection from being "unhandled".
      created.promise.catch(() => {})
      call = created
      this.calls.set(key, call)
    }
    call.abort?.cancel()
    call.abort = undefined
    call.holders += 1
    if (onProgress) call.progress.add(onProgress)
    const held = call
    let released = false
    return {
      promise: held.promise,
      release: () => {
        if (released) return
        released = true
        held.holders -= 1
        if (onProgress) held.progress.delete(onProgress)
        if (held.holders > 0 || held.settled) return
        held.abort = releaseLater(() => {
          if (held.holders > 0 || held.settled) return
          if (this.calls.get(key) === held) this.calls.delete(key)
          held.controller.abort(new Error('no component waits for this call any more'))
        })
      },
    }
  }
}
