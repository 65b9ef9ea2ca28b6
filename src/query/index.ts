/**
 * react-wamp/query: WAMP calls as TanStack Query queries and mutations, and subscriptions that
 * update or invalidate TanStack Query's cache. Needs `@tanstack/react-query` 5 (an optional peer
 * dependency: nothing else of react-wamp imports it).
 * @packageDocumentation
 */
export { type CallInput, wampCallKey } from './call-key.js'
export type { WampCaller } from './caller.js'
export { callMutationOptions } from './callMutationOptions.js'
export { type CallQueryInput, callQueryOptions } from './callQueryOptions.js'
export { type SubscriptionToQueryConfig, subscribeToQuery } from './subscribeToQuery.js'
export { type UseSubscriptionToQueryOptions, useSubscriptionToQuery } from './useSubscriptionToQuery.js'
