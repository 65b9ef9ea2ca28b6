export type { ReconnectOptions } from './backoff.js'
export { retryDelay } from './backoff.js'
export {
  Connection,
  type ConnectionInspection,
  type ConnectionOptions,
  type ConnectionState,
  createConnection,
} from './connection.js'
export type { LivenessOptions } from './liveness.js'
export type { RegistrationInspection, RegistrationLease, RegistrationStatus } from './registrations.js'
export { type CallAbout, type CallInspection, type CallLease, MAX_REPLAYED_CHUNKS } from './shared-calls.js'
export { stableKey } from './stable-key.js'
export { type ReadableStore, Store } from './store.js'
export type { SubscriptionInspection, SubscriptionLease, SubscriptionStatus } from './subscriptions.js'
