import type { Args, Kwargs, MessageTap, RegisterOptions, Result, SubscribeOptions } from '../client/types.js'
import type { Connection, ConnectionState } from './connection.js'
import type { RegistrationStatus } from './registrations.js'
import type { CallAbout } from './shared-calls.js'
import type { SubscriptionStatus } from './subscriptions.js'

// Inspection lives beside the connection, not in it: an app that never inspects never downloads it.

/** A held subscription, as `inspectConnection` shows it. */
export interface SubscriptionInspection {
  topic: string
  options: SubscribeOptions
  /** Handlers holding it (components, services). */
  holders: number
  status: SubscriptionStatus
}

/** A held registration, as `inspectConnection` shows it. */
export interface RegistrationInspection {
  procedure: string
  options: RegisterOptions
  /** 1 while held (one callee per procedure), 0 while being given back. */
  holders: number
  status: RegistrationStatus
}

/**
 * A call in flight, as `inspectConnection` shows it: every shared call (`useCall`'s automatic
 * calls), and the calls made through `connection.call` (mutations, `execute`) while an observer
 * is attached (see `observeConnection`).
 */
export interface CallInspection {
  /** The shared call's key, or `call N` for a direct call. */
  key: string
  procedure: string
  args?: Args | Uint8Array
  kwargs?: Kwargs
  /** When it was asked for (epoch ms). */
  startedAt: number
  /** Progressive results received so far. */
  progressCount: number
  /** Components waiting for it (1 for a direct call). */
  holders: number
  /**
   * Cancels it for every holder: CANCEL goes out with the call's cancel mode (`killnowait` for the
   * hooks, so the callee's signal aborts) and the holders see an AbortError with `reason`.
   */
  cancel(reason?: string): void
}

/** What a connection holds and runs right now: plain data, a new object on every call. */
export interface ConnectionInspection {
  state: ConnectionState
  /** The lifecycle's phase: `waiting` is the backoff before a reconnect attempt. */
  phase: Connection['phase']
  subscriptions: SubscriptionInspection[]
  registrations: RegistrationInspection[]
  calls: CallInspection[]
}

/**
 * What `connection` holds and runs now: its state, subscriptions, registrations and calls in
 * flight (each with `cancel()`). For devtools and diagnostics; reading it changes nothing.
 */
export function inspectConnection(connection: Connection): ConnectionInspection {
  const { subscriptions, registrations, calls } = connection
  const direct = [...(directCallsOf.get(connection) ?? [])].map(([id, call]) => ({
    ...call.about,
    key: `call ${id}`,
    startedAt: call.startedAt,
    progressCount: call.progressCount,
    holders: 1,
    cancel: (reason = 'cancelled from the devtools') => call.controller.abort(new Error(reason)),
  }))
  return {
    state: connection.getSnapshot(),
    phase: connection.phase,
    subscriptions: [...subscriptions.entries.values()].map(({ topic, options, holders, status }) => ({
      topic,
      options,
      holders: holders.size,
      status: status.getSnapshot(),
    })),
    registrations: [...registrations.entries.values()].map(({ key, options, holders, status }) => ({
      procedure: key,
      options,
      holders,
      status: status.getSnapshot(),
    })),
    calls: [...calls.calls]
      .map(
        ([key, call]): CallInspection => ({
          procedure: key,
          ...call.about,
          key,
          startedAt: call.startedAt,
          progressCount: call.chunks?.length ?? Number.NaN,
          holders: call.holders,
          cancel: (reason = 'cancelled from the devtools') => {
            if (calls.calls.get(key) === call) calls.calls.delete(key)
            call.controller.abort(new Error(reason))
          },
        }),
      )
      .concat(direct),
  }
}

const observersOf = new WeakMap<Connection, Set<MessageTap>>()

interface DirectCall {
  about: CallAbout
  startedAt: number
  progressCount: number
  controller: AbortController
}

const directCallsOf = new WeakMap<Connection, Map<number, DirectCall>>()
let lastCallId = 0

/** Runs a `connection.call` with a signal of its own, listed while it runs so the devtools can cancel it. */
function watched(connection: Connection): NonNullable<Connection['watchCall']> {
  return (about, options = {}, send) => {
    let direct = directCallsOf.get(connection)
    if (!direct) {
      direct = new Map()
      directCallsOf.set(connection, direct)
    }
    const calls = direct
    const id = ++lastCallId
    const controller = new AbortController()
    const outer = options.signal
    const follow = () => controller.abort(outer?.reason)
    if (outer?.aborted) follow()
    else outer?.addEventListener('abort', follow, { once: true })
    const call: DirectCall = { about, startedAt: Date.now(), progressCount: 0, controller }
    const { onProgress } = options
    calls.set(id, call)
    return send({
      ...options,
      signal: controller.signal,
      // Only when the caller asked for progress: onProgress sets receive_progress on the wire.
      onProgress:
        onProgress &&
        ((result: Result) => {
          call.progressCount += 1
          onProgress(result)
        }),
    }).finally(() => {
      calls.delete(id)
      outer?.removeEventListener('abort', follow)
    })
  }
}

/**
 * Sees every message of `connection`'s sessions from now on, as sent and as received (see
 * `ClientConfig.tap`); returns the function that stops it. While nobody observes, the sessions
 * keep nothing and do no work for it beyond one check per message. A throwing observer is
 * logged and skipped; the others and the session go on.
 */
export function observeConnection(connection: Connection, observer: MessageTap): () => void {
  let observers = observersOf.get(connection)
  if (!observers) {
    observers = new Set()
    observersOf.set(connection, observers)
  }
  const all = observers
  const slot: MessageTap = (direction, message) => observer(direction, message)
  const retap = () => {
    const tap: MessageTap | undefined =
      all.size === 0
        ? undefined
        : (direction, message) => {
            for (const each of [...all]) {
              try {
                each(direction, message)
              } catch (error) {
                connection.logger.error('a message observer threw', error)
              }
            }
          }
    connection.tap = tap
    connection.watchCall = tap && watched(connection)
    // A session being opened gets it when the connection adopts it.
    const session = connection.session
    if (session) session.tap = tap
  }
  all.add(slot)
  retap()
  return () => {
    if (all.delete(slot)) retap()
  }
}
