export {
  defineApi,
  type TypedCallOptions,
  type TypedHooks,
  type TypedSubscriptionState,
  type TypedSuspenseCallOptions,
} from './api.js'
export { useConnection, WampContext } from './context.js'
export {
  type CallStatus,
  type CallVariables,
  type MutateCallbacks,
  type UseCallOptions,
  type UseCallResult,
  useCall,
} from './useCall.js'
export { type UseProgressCallOptions, type UseProgressCallResult, useProgressCall } from './useProgressCall.js'
export { type PublishFunction, usePublish } from './usePublish.js'
export {
  type RegisterHookStatus,
  type UseRegisterOptions,
  type UseRegisterResult,
  useRegister,
} from './useRegister.js'
export {
  type SubscriptionHookStatus,
  type SubscriptionState,
  type UseSubscriptionOptions,
  useSubscription,
} from './useSubscription.js'
export {
  type UseSuspenseCallOptions,
  type UseSuspenseCallResult,
  useSuspenseCall,
  useSuspenseCallReset,
} from './useSuspenseCall.js'
export { useWampSession } from './useWampSession.js'
export { WampProvider, type WampProviderProps } from './WampProvider.js'
