import { useEffect, useState } from 'react'
import type { Event, SubscribeOptions } from '../client/types.js'
import type { HistoryOptions } from '../connection/backfill.js'
import type { MatchPolicy } from '../protocol/uri.js'
import { contain } from './contain.js'
import { useConnection } from './context.js'
import { EventStore, type SubscriptionState } from './event-store.js'
import { keyOf } from './key-of.js'
import { useLatest } from './use-latest.js'
import { useStore } from './use-store.js'

export type { SubscriptionHookStatus, SubscriptionState } from './event-store.js'

/** Options of useSubscription. */
export interface UseSubscriptionOptions<TState> {
  /** 'exact' (default), 'prefix' or 'wildcard'. */
  match?: MatchPolicy
  /** Other SUBSCRIBE options. */
  options?: Omit<SubscribeOptions, 'match'>
  /** Subscribe while true. Default true; false is `idle`. */
  enabled?: boolean
  /** Called for every event, in order, with the latest props (never a stale closure). A throw stops this hook (`error`). */
  onEvent?: (event: Event) => void
  /** Folds each event into `state`, once per event. A throw stops this hook (`error`). */
  reducer?: (state: TState, event: Event) => TState
  initialValue?: TState
  /** How many recent events `events` keeps (0 keeps none). Default 50. */
  bufferSize?: number
  /**
   * `'frame'`: render at most once per animation frame, showing every event folded since the last
   * one; `reducer` and `onEvent` still run for each event as it arrives, so nothing is lost. Without
   * requestAnimationFrame (server, Node) a macrotask stands in for the frame; a hidden tab shows
   * its events when it is visible again. Status changes render at once. Default: a render per event.
   */
  coalesce?: 'frame'
  /**
   * Gap-free streams from the router's event history (the router must keep one for this
   * subscription: see README, "Gap-free subscriptions"): `last: N` starts with the last N stored
   * events, `retained: true` with the topic's retained event, `backfill: true` delivers what was
   * published while reconnecting, before live events, each event once. `completeness` then says
   * whether the stream has a gap. Compared by value; `sequenceOf` is read from the latest props.
   */
  history?: HistoryOptions
}

/**
 * Subscribes while mounted (and enabled). Components with the same topic and options share
 * one router subscription; it is restored after every reconnect. Inline options never
 * re-subscribe: they are compared by value. See `SubscriptionHookStatus` for the statuses.
 *
 * @example
 * const { lastEvent, state: total } = useSubscription('com.example.tick', {
 *   reducer: (sum, e) => sum + (e.args[0] as number),
 *   initialValue: 0,
 *   coalesce: 'frame', // thousands of events a second: one render per frame
 * })
 */
export function useSubscription<TState>(
  topic: string,
  options: UseSubscriptionOptions<TState> & { initialValue: TState },
): SubscriptionState<TState, TState>
export function useSubscription<TState = undefined>(
  topic: string,
  options?: UseSubscriptionOptions<TState>,
): SubscriptionState<TState>
export function useSubscription<TState = undefined>(
  topic: string,
  options: UseSubscriptionOptions<TState> = {},
): SubscriptionState<TState> {
  const connection = useConnection()
  const { match, options: subscribeOptions, enabled = true, initialValue } = options
  const fullOptions: SubscribeOptions = match ? { ...subscribeOptions, match } : { ...subscribeOptions }
  const { sequenceOf: _latestRef, ...historyKey } = options.history ?? {}
  const { key, error: keyError } = keyOf({ topic, options: fullOptions, history: options.history ? historyKey : null })
  const latest = useLatest({ ...options, fullOptions, keyError })
  const [store] = useState(() => new EventStore<TState>(initialValue))

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for topic and options, compared by value.
  useEffect(() => {
    if (latest.current.keyError) {
      store.update({ status: 'error', error: latest.current.keyError })
      return undefined
    }
    if (!enabled) {
      store.update({ status: 'idle', error: undefined, nextRetryAt: undefined })
      return undefined
    }
    store.reset(latest.current.initialValue)
    let stopped = false
    const lease = connection.acquireSubscription(
      topic,
      (event) => {
        if (stopped) return
        const { reducer, bufferSize = 50, onEvent, coalesce } = latest.current
        const folded = store.push(event, bufferSize, reducer, coalesce === 'frame')
        const heard = folded.ok && onEvent ? contain(onEvent, event) : folded
        if (!heard.ok) stop(heard.error)
      },
      latest.current.fullOptions,
      historyOptions(latest.current.history, (event) => latest.current.history?.sequenceOf?.(event)),
    )
    const sync = () => {
      if (stopped) return
      const { status, error, nextRetryAt, completeness } = lease.status.getSnapshot()
      store.update({ status, error, nextRetryAt, completeness })
    }
    const unlisten = lease.status.subscribe(sync)
    // This component's callback threw: it stops listening; the router subscription stays for the others.
    const stop = (error: Error) => {
      stopped = true
      unlisten()
      lease.release()
      store.update({ status: 'error', error, nextRetryAt: undefined })
    }
    sync()
    return () => {
      store.stopFrame()
      if (stopped) return
      stopped = true
      unlisten()
      lease.release()
    }
  }, [connection, key, enabled, store, latest])

  return useStore(store)
}

/** The history options as the connection takes them, with `sequenceOf` read through the latest props. */
function historyOptions(
  history: HistoryOptions | undefined,
  sequenceOf: (event: Event) => number | undefined,
): HistoryOptions | undefined {
  if (!history) return undefined
  return history.sequenceOf ? { ...history, sequenceOf } : history
}
