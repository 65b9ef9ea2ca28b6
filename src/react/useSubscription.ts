import { useEffect, useState } from 'react'
import type { Event, SubscribeOptions } from '../client/types.js'
import { stableKey } from '../connection/stable-key.js'
import type { MatchPolicy } from '../protocol/uri.js'
import { useConnection } from './context.js'
import { EventStore, type SubscriptionState } from './event-store.js'
import { useLatest } from './use-latest.js'
import { useStoreSelector } from './use-store-selector.js'

export type { SubscriptionState } from './event-store.js'

/** Options of useSubscription. */
export interface UseSubscriptionOptions<TState> {
  /** 'exact' (default), 'prefix' or 'wildcard'. */
  match?: MatchPolicy
  /** Other SUBSCRIBE options. */
  options?: Omit<SubscribeOptions, 'match'>
  /** Subscribe while true. Default true. */
  enabled?: boolean
  /** Called for every event, in order, with the latest props (never a stale closure). */
  onEvent?: (event: Event) => void
  /** Folds each event into `state`, once per event. */
  reducer?: (state: TState, event: Event) => TState
  initialValue?: TState
  /** How many recent events `events` keeps. Default 50. */
  bufferSize?: number
}

/**
 * Subscribes while mounted (and enabled). Components with the same topic and options share
 * one router subscription; it is restored after every reconnect. Inline options never
 * re-subscribe: they are compared by value.
 *
 * @example
 * const { lastEvent, state: total } = useSubscription('com.example.tick', {
 *   reducer: (sum, e) => sum + (e.args[0] as number),
 *   initialValue: 0,
 * })
 */
export function useSubscription<TState = undefined>(
  topic: string,
  options: UseSubscriptionOptions<TState> = {},
): SubscriptionState<TState> {
  const connection = useConnection()
  const { match, options: subscribeOptions, enabled = true, initialValue } = options
  const fullOptions: SubscribeOptions = match ? { ...subscribeOptions, match } : { ...subscribeOptions }
  const key = stableKey([topic, fullOptions])
  const latest = useLatest({ ...options, fullOptions })
  const [store] = useState(() => new EventStore<TState>(initialValue))

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for topic and options, compared by value.
  useEffect(() => {
    if (!enabled) return undefined
    store.reset(latest.current.initialValue)
    const lease = connection.acquireSubscription(
      topic,
      (event) => {
        const { reducer: currentReducer, bufferSize: size = 50, onEvent } = latest.current
        store.push(event, size, currentReducer)
        onEvent?.(event)
      },
      latest.current.fullOptions,
    )
    const sync = () => {
      const { status, error, nextRetryAt } = lease.status.getSnapshot()
      store.update({ status, error, nextRetryAt })
    }
    sync()
    const unlisten = lease.status.subscribe(sync)
    return () => {
      unlisten()
      lease.release()
    }
  }, [connection, key, enabled, store, latest])

  return useStoreSelector(store, (state) => state)
}
