import { MessageType } from '../protocol/message-types.js'

/**
 * Invocations running in this client, per registration ID, read off the wire: an INVOCATION in
 * starts one; the final YIELD or an ERROR out ends it; a new session (WELCOME) ends them all.
 * Invocations that began before the devtools were mounted are not known.
 */
export class InvocationsInFlight {
  /** Registration ID by INVOCATION request ID. */
  private readonly running = new Map<number, number>()

  /** Follows one message. */
  see(direction: 'in' | 'out', message: unknown[]): void {
    const [type, second, third] = message
    if (direction === 'in') {
      if (type === MessageType.INVOCATION && typeof second === 'number' && typeof third === 'number') {
        this.running.set(second, third)
      } else if (type === MessageType.WELCOME) {
        this.running.clear()
      }
      return
    }
    if (type === MessageType.YIELD && (third as { progress?: unknown } | undefined)?.progress !== true) {
      this.running.delete(second as number)
    } else if (type === MessageType.ERROR && second === MessageType.INVOCATION) {
      this.running.delete(third as number)
    }
  }

  /** Invocations of `registration` running now. */
  of(registration: number): number {
    let count = 0
    for (const id of this.running.values()) if (id === registration) count += 1
    return count
  }

  /** Every invocation running now. */
  get size(): number {
    return this.running.size
  }

  clear(): void {
    this.running.clear()
  }
}
