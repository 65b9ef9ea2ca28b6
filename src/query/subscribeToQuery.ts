import type { QueryClient, QueryKey } from '@tanstack/react-query'
import type { Event, SubscribeOptions } from '../client/types.js'
import type { SubscriptionLease } from '../connection/subscriptions.js'
import type { WampConnection } from '../connection/wamp-connection.js'

/** How a subscription's events reach TanStack Query's cache. */
export interface SubscriptionToQueryConfig<TData = unknown> {
  /** The query to update, or (for invalidation) a prefix of the queries to invalidate. */
  queryKey: QueryKey
  /**
   * Folds an event into the cached data of `queryKey` (exactly that key) with `setQueryData`;
   * it gets `undefined` when nothing is cached yet, and returning `undefined` leaves the data
   * as it is. Without `update`, each event invalidates the matching queries (the active ones refetch).
   */
  update?: (data: TData | undefined, event: Event) => TData | undefined
  /** Subscribe options (match, …). */
  options?: SubscribeOptions
  /**
   * Where a throw of `update` goes. The query is invalidated then (so it refetches the truth
   * instead of keeping data that missed an event). Without it, the connection's logger reports it.
   */
  onError?: (error: Error) => void
}

/**
 * Subscribes to `topic` on the connection (surviving reconnects, shared with useSubscription of
 * the same topic and options) and writes each event into TanStack Query's cache: `update` folds
 * it into the data, or, without `update`, the queries under `queryKey` are invalidated. A fetch
 * in flight when an event arrives is cancelled and started again (its answer may predate the
 * event). Returns the lease: `release()` stops it.
 *
 * @example
 * const lease = subscribeToQuery(connection, queryClient, 'com.example.price', {
 *   queryKey: wampCallKey('com.example.prices', {}),
 *   update: (prices: Result | undefined, event) => prices && { ...prices, args: [...prices.args, event.args[0]] },
 * })
 */
export function subscribeToQuery<TData = unknown>(
  connection: WampConnection,
  queryClient: QueryClient,
  topic: string,
  config: SubscriptionToQueryConfig<TData> | (() => SubscriptionToQueryConfig<TData>),
): SubscriptionLease {
  const read = typeof config === 'function' ? config : () => config
  return connection.acquireSubscription(
    topic,
    (event) => {
      const { queryKey, update, onError } = read()
      // A fetch in flight may have read the data before this event, and its answer would replace
      // the update (or, for a first fetch, outlive the invalidation): cancel it (back to the data
      // before it, synchronously) and fetch again after the event.
      const fetching = queryClient.isFetching({ queryKey, exact: Boolean(update) }) > 0
      if (fetching) void queryClient.cancelQueries({ queryKey, exact: Boolean(update) })
      if (!update) {
        void queryClient.invalidateQueries({ queryKey })
        return
      }
      try {
        queryClient.setQueryData<TData>(queryKey, (data) => update(data, event))
        if (fetching) void queryClient.invalidateQueries({ queryKey, exact: true })
      } catch (thrown) {
        void queryClient.invalidateQueries({ queryKey })
        const error = thrown instanceof Error ? thrown : new Error(String(thrown))
        // Without onError the throw reaches the connection's handler guard, which logs it.
        if (!onError) throw error
        onError(error)
      }
    },
    read().options,
  )
}
