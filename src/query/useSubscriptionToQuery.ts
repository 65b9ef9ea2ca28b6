import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import type { SubscriptionStatus } from '../connection/subscriptions.js'
import { useConnection } from '../react/context.js'
import { keyOf } from '../react/key-of.js'
import { useLatest } from '../react/use-latest.js'
import { type SubscriptionToQueryConfig, subscribeToQuery } from './subscribeToQuery.js'

/** Options of useSubscriptionToQuery. */
export interface UseSubscriptionToQueryOptions<TData> extends SubscriptionToQueryConfig<TData> {
  /** Subscribe while true. Default true. */
  enabled?: boolean
}

/**
 * subscribeToQuery for a component: subscribes to `topic` on the provider's connection while
 * mounted and enabled, and writes each event into the QueryClient of `QueryClientProvider`.
 * `update` and `onError` are read when an event arrives (a new function never re-subscribes);
 * a new topic, `options` or `queryKey` (by value) does. Returns the subscription's status
 * (`undefined` while disabled), so a refused subscription is visible.
 *
 * @example
 * const connection = useConnection()
 * const prices = useQuery(callQueryOptions(connection, 'com.example.prices'))
 * useSubscriptionToQuery('com.example.price', {
 *   queryKey: callQueryOptions(connection, 'com.example.prices').queryKey,
 *   update: (data: Result | undefined, event) => data && { ...data, args: [...data.args, event.args[0]] },
 * })
 */
export function useSubscriptionToQuery<TData = unknown>(
  topic: string,
  options: UseSubscriptionToQueryOptions<TData>,
): SubscriptionStatus | undefined {
  const connection = useConnection()
  const queryClient = useQueryClient()
  const { enabled = true } = options
  const { key, error: keyError } = keyOf({ topic, options: options.options ?? {}, queryKey: options.queryKey })
  const latest = useLatest(options)
  const [status, setStatus] = useState<SubscriptionStatus | undefined>(undefined)

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for topic, options and queryKey, by value.
  useEffect(() => {
    if (keyError) {
      setStatus({ status: 'error', error: keyError })
      return undefined
    }
    if (!enabled) {
      setStatus(undefined)
      return undefined
    }
    const lease = subscribeToQuery(connection, queryClient, topic, () => latest.current)
    const sync = () => setStatus(lease.status.getSnapshot())
    const unlisten = lease.status.subscribe(sync)
    sync()
    return () => {
      unlisten()
      lease.release()
    }
  }, [connection, queryClient, key, enabled, latest])
  return status
}
