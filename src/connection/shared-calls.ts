import { runHandler } from '../client/run-handler.js'
import type { Args, Kwargs, Result } from '../client/types.js'
import { releaseLater } from './release-later.js'

/** @internal */
export interface SharedCall {
  promise: Promise<Result>
  controller: AbortController
  holders: number
  /** One slot per holder: two holders with the same listener function are two listeners. */
  progress: Set<{ listener: (result: Result) => void }>
  settled: boolean
  abort?: { cancel(): void }
  /** Every progress chunk so far, replayed to a holder that joins late; undefined once over the bound. */
  chunks: Result[] | undefined
  /** What is called, and since when: for `inspectConnection`. */
  about: CallAbout | undefined
  startedAt: number
}

/** What a shared call calls. */
export interface CallAbout {
  procedure: string
  args?: Args | Uint8Array
  kwargs?: Kwargs
}

/**
 * How many progress chunks a shared call keeps for late joiners. A call that streams more is
 * no longer joined: whoever asks for its key afterwards gets a call of its own, so every holder
 * always folds the whole stream.
 */
export const MAX_REPLAYED_CHUNKS = 1000

/** A hold on an in-flight call shared by everyone who asked for the same key. */
export interface CallLease {
  readonly promise: Promise<Result>
  /** Stops listening; the call is cancelled a macrotask after the last holder leaves. */
  release(): void
  /**
   * Whoever asks for the key from now on gets a new call; this one goes on for its holders. For
   * a caller that starts again because the answer may be out of date (a TanStack refetch).
   */
  forget(): void
}

/**
 * In-flight calls by structural key: the same call asked twice (two components, or a StrictMode
 * remount) goes over the wire once, and is cancelled only when nobody waits for it any more.
 */
export class SharedCalls {
  /** @internal Read by `inspectConnection`. */
  readonly calls = new Map<string, SharedCall>()

  /** `reportListenerError`: where a progress listener's throw goes; it never reaches the other holders. */
  constructor(private readonly reportListenerError: (error: unknown) => void) {}

  get size(): number {
    return this.calls.size
  }

  acquire(
    key: string,
    start: (signal: AbortSignal, onProgress: (result: Result) => void) => Promise<Result>,
    onProgress?: (result: Result) => void,
    about?: CallAbout,
  ): CallLease {
    let call = this.calls.get(key)
    if (!call) {
      const controller = new AbortController()
      const progress: SharedCall['progress'] = new Set()
      const created: SharedCall = {
        controller,
        holders: 0,
        progress,
        settled: false,
        chunks: [],
        promise: undefined as never,
        about,
        startedAt: Date.now(),
      }
      created.promise = start(controller.signal, (result) => {
        created.chunks?.push(result)
        if (created.chunks && created.chunks.length > MAX_REPLAYED_CHUNKS) {
          created.chunks = undefined
          if (this.calls.get(key) === created) this.calls.delete(key)
        }
        for (const { listener } of [...progress]) runHandler(listener, result, this.reportListenerError)
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
    const slot = onProgress ? { listener: onProgress } : undefined
    if (slot) {
      call.progress.add(slot)
      // A late joiner folds the same stream as everyone else: the chunks so far, then the live ones.
      for (const chunk of call.chunks ?? []) runHandler(slot.listener, chunk, this.reportListenerError)
    }
    const held = call
    let released = false
    return {
      promise: held.promise,
      forget: () => {
        if (this.calls.get(key) === held) this.calls.delete(key)
      },
      release: () => {
        if (released) return
        released = true
        held.holders -= 1
        if (slot) held.progress.delete(slot)
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
