import type { Client } from '../client/client.js'
import { startTimer } from '../client/timer.js'
import { ConnectionLostError, WampAbortError, type WampError } from '../protocol/errors.js'

interface Waiter {
  resolve(client: Client): void
  reject(error: Error): void
  what: string
  cleanup(): void
}

/**
 * Requests (a call, a publish) waiting for the next session while the connection is not open.
 * Each waits at most its deadline, and leaves at once when its signal aborts; none is left
 * behind when the connection closes.
 */
export class SessionWaiters {
  private readonly waiting = new Set<Waiter>()

  get size(): number {
    return this.waiting.size
  }

  wait(what: string, deadline: number, status: string, signal?: AbortSignal): Promise<Client> {
    if (signal?.aborted) return Promise.reject(new WampAbortError(signal.reason, `waiting to ${what}`))
    if (!(deadline > 0)) {
      return Promise.reject(new ConnectionLostError(`cannot ${what}: not connected (${status})`))
    }
    return new Promise<Client>((resolve, reject) => {
      const onAbort = () => {
        waiter.cleanup()
        reject(new WampAbortError(signal?.reason, `waiting to ${what}`))
      }
      const timer = startTimer(() => {
        waiter.cleanup()
        reject(
          new ConnectionLostError(
            `cannot ${what}: no session within waitForSession (${deadline} ms); the connection was ${status}`,
          ),
        )
      }, deadline)
      const waiter: Waiter = {
        what,
        resolve,
        reject,
        cleanup: () => {
          clearTimeout(timer)
          signal?.removeEventListener('abort', onAbort)
          this.waiting.delete(waiter)
        },
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiting.add(waiter)
    })
  }

  /** A session is open: every waiter goes out on it, once. */
  open(client: Client): void {
    for (const waiter of [...this.waiting]) {
      waiter.cleanup()
      waiter.resolve(client)
    }
  }

  /** The connection closed: every waiter fails with the error `reason` builds. */
  close(reason: (what: string) => WampError): void {
    for (const waiter of [...this.waiting]) {
      waiter.cleanup()
      waiter.reject(reason(waiter.what))
    }
  }
}
