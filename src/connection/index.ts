export type { HistoryOptions, StreamCompleteness } from './backfill.js'
export type { ReconnectOptions } from './backoff.js'
export { retryDelay } from './backoff.js'
export {
  Connection,
  type ConnectionOptions,
  type ConnectionState,
  createConnection,
} from './connection.js'
export {
  type CallInspection,
  type ConnectionInspection,
  inspectConnection,
  observeConnection,
  type RegistrationInspection,
  type SubscriptionInspection,
} from './inspect.js'
export type { LivenessOptions } from './liveness.js'
export type { RegistrationLease, RegistrationStatus } from './registrations.js'
export { type CallAbout, type CallLease, MAX_REPLAYED_CHUNKS } from './shared-calls.js'
export { stableKey } from './stable-key.js'
export { type ReadableStore, Store } from './store.js'
export type { SubscriptionLease, SubscriptionStatus } from './subscriptions.js'
export type { SessionSharing, WampConnection } from './wamp-connection.js'
