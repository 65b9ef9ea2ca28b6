import type { Args, Kwargs, MessageTap, RegisterOptions, SubscribeOptions } from '../client/types.js'
import type { Connection, ConnectionState } from './connection.js'
import type { RegistrationStatus } from './registrations.js'
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
  /** Invocations running now. */
  inFlight: number
  status: RegistrationStatus
}

/** A shared call in flight (every `useCall`/`useProgressCall` call is one), as `inspectConnection` shows it. */
export interface CallInspection {
  key: string
  procedure: string
  args?: Args | Uint8Array
  kwargs?: Kwargs
  /** When it was asked for (epoch ms). */
  startedAt: number
  /** Progressive results received so far. */
  progressCount: number
  /** Components waiting for it. */
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
  return {
    state: connection.getSnapshot(),
    phase: connection.phase,
    subscriptions: [...subscriptions.entries.values()].map(({ topic, options, holders, status }) => ({
      topic,
      options,
      holders: holders.size,
      status: status.getSnapshot(),
    })),
    registrations: [...registrations.entries.values()].map(({ key, options, holders, running, status }) => ({
      procedure: key,
      options,
      holders,
      inFlight: running,
      status: status.getSnapshot(),
    })),
    calls: [...calls.calls].map(([key, call]) => ({
      ...call.about,
      key,
      startedAt: call.startedAt,
      progressCount: call.chunks?.length ?? Number.NaN,
      holders: call.holders,
      cancel: (reason = 'cancelled from the devtools') => {
        if (calls.calls.get(key) === call) calls.calls.delete(key)
        call.controller.abort(new Error(reason))
      },
    })),
  }
}

const observersOf = new WeakMap<Connection, Set<MessageTap>>()

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
