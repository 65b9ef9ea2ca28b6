import { queryOptions } from '@tanstack/react-query'
import type { CancelMode } from '../client/types.js'
import { type CallInput, wampCallKey } from './call-key.js'
import { callWithSignal, type WampCaller } from './caller.js'

/** Options of callQueryOptions. */
export interface CallQueryInput extends CallInput {
  /** How the call is cancelled when TanStack Query aborts the query's signal. Default 'killnowait'. */
  cancelMode?: CancelMode
}

/**
 * A WAMP call as TanStack Query options (`queryKey` and `queryFn`), for `useQuery`,
 * `useSuspenseQuery`, `queryClient.prefetchQuery` / `fetchQuery` and `useQueries`. The query's
 * AbortSignal cancels the call on the wire: TanStack aborts it when the last component using a
 * query that is still fetching unmounts, and on `queryClient.cancelQueries`. Spread the result to
 * add TanStack's own options (`select`, `staleTime`, `enabled`, …).
 *
 * @example
 * const connection = useConnection()
 * const { data } = useQuery({ ...callQueryOptions(connection, 'com.example.add', { args: [1, 2] }), select: (r) => r.args[0] as number })
 */
export function callQueryOptions(caller: WampCaller, procedure: string, input: CallQueryInput = {}) {
  const { args, kwargs, options, cancelMode = 'killnowait' } = input
  return queryOptions({
    queryKey: wampCallKey(procedure, { args, kwargs, options }),
    queryFn: ({ signal, client, queryKey }) =>
      callWithSignal(caller, procedure, args, kwargs, options, cancelMode, signal, () =>
        // Aborted while components still use the query: TanStack refetches (refetch(), an
        // invalidation) and wants an answer from now. Without any (an unmount, StrictMode's
        // remount), the call may be taken back within a macrotask.
        Boolean(client?.getQueryCache().find({ queryKey, exact: true })?.getObserversCount()),
      ),
  })
}
