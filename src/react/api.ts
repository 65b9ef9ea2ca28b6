import {
  type ApiSpec,
  type ArgsOf,
  type Declared,
  type KwargsOf,
  type PayloadParams,
  type ProcedureSpec,
  type Procs,
  type TopicSpec,
  type Topics,
  type TypedChunk,
  type TypedEvent,
  type TypedHandler,
  type TypedResult,
  typedClient,
} from '../client/typed-api.js'
import type { Args, Kwargs, PublishOptions } from '../client/types.js'
import type { UseCallOptions, UseCallResult } from './call-types.js'
import type { SubscriptionState } from './event-store.js'
import { useCall } from './useCall.js'
import { type UseProgressCallOptions, type UseProgressCallResult, useProgressCall } from './useProgressCall.js'
import { usePublish } from './usePublish.js'
import { type UseRegisterOptions, type UseRegisterResult, useRegister } from './useRegister.js'
import { type UseSubscriptionOptions, useSubscription } from './useSubscription.js'
import { type UseSuspenseCallOptions, type UseSuspenseCallResult, useSuspenseCall } from './useSuspenseCall.js'

/** Declared args and kwargs are required while the hook calls by itself; `enabled: false` leaves them to `mutate`. */
type Inputs<P extends ProcedureSpec> =
  | ({ enabled?: boolean } & (Declared<P['args']> extends true ? { args: ArgsOf<P> } : { args?: Args }) &
      (Declared<P['kwargs']> extends true ? { kwargs: KwargsOf<P> } : { kwargs?: Kwargs }))
  | { enabled: false; args?: ArgsOf<P>; kwargs?: KwargsOf<P> }

type Needed<P extends ProcedureSpec> = Declared<P['args']> extends true ? true : Declared<P['kwargs']>

/** The options parameter: required when the procedure declares args or kwargs. */
type OptionsParam<P extends ProcedureSpec, O> = Needed<P> extends true ? [options: O] : [options?: O]

/** useCall's options for procedure P. */
export type TypedCallOptions<P extends ProcedureSpec, TData> = Omit<
  UseCallOptions<TData>,
  'args' | 'kwargs' | 'select' | 'enabled'
> & { select?: (result: TypedResult<P>) => TData } & Inputs<P>

/** useSuspenseCall's options for procedure P: declared args and kwargs are required (it always calls). */
export type TypedSuspenseCallOptions<P extends ProcedureSpec, TData> = Omit<
  UseSuspenseCallOptions<TData>,
  'args' | 'kwargs' | 'select'
> & { select?: (result: TypedResult<P>) => TData } & (Declared<P['args']> extends true
    ? { args: ArgsOf<P> }
    : { args?: Args }) &
  (Declared<P['kwargs']> extends true ? { kwargs: KwargsOf<P> } : { kwargs?: Kwargs })

type TypedProgressOptions<P extends ProcedureSpec, TData, TProgress> = TypedCallOptions<P, TData> &
  Omit<UseProgressCallOptions<TData, TProgress>, keyof UseCallOptions<TData> | 'reducer' | 'onProgress'> & {
    reducer?: (progress: TProgress, chunk: TypedChunk<P>) => TProgress
    onProgress?: (chunk: TypedChunk<P>) => void
  }

type TypedSubscriptionOptions<T extends TopicSpec, TState> = Omit<
  UseSubscriptionOptions<TState>,
  'onEvent' | 'reducer'
> & {
  onEvent?: (event: TypedEvent<T>) => void
  reducer?: (state: TState, event: TypedEvent<T>) => TState
}

/** useSubscription's result with the topic's event types. */
export type TypedSubscriptionState<T extends TopicSpec, TState, TInitial = TState | undefined> = Omit<
  SubscriptionState<TState, TInitial>,
  'lastEvent' | 'events'
> & { lastEvent: TypedEvent<T> | undefined; events: readonly TypedEvent<T>[] }

/** The hooks, typed by an API map. */
export interface TypedHooks<A extends ApiSpec> {
  useCall<K extends keyof Procs<A> & string, TData = TypedResult<Procs<A>[K]>>(
    procedure: K,
    ...options: OptionsParam<Procs<A>[K], TypedCallOptions<Procs<A>[K], TData>>
  ): UseCallResult<TData, ArgsOf<Procs<A>[K]>, KwargsOf<Procs<A>[K]>>
  useProgressCall<K extends keyof Procs<A> & string, TProgress, TData = TypedResult<Procs<A>[K]>>(
    procedure: K,
    options: TypedProgressOptions<Procs<A>[K], TData, TProgress> & { initialValue: TProgress },
  ): UseProgressCallResult<TData, TProgress, TProgress>
  useProgressCall<
    K extends keyof Procs<A> & string,
    TData = TypedResult<Procs<A>[K]>,
    TProgress = TypedChunk<Procs<A>[K]>,
  >(
    procedure: K,
    ...options: OptionsParam<Procs<A>[K], TypedProgressOptions<Procs<A>[K], TData, TProgress>>
  ): UseProgressCallResult<TData, TProgress>
  useSuspenseCall<K extends keyof Procs<A> & string, TData = TypedResult<Procs<A>[K]>>(
    procedure: K,
    ...options: OptionsParam<Procs<A>[K], TypedSuspenseCallOptions<Procs<A>[K], TData>>
  ): UseSuspenseCallResult<TData>
  useSubscription<K extends keyof Topics<A> & string, TState>(
    topic: K,
    options: TypedSubscriptionOptions<Topics<A>[K], TState> & { initialValue: TState },
  ): TypedSubscriptionState<Topics<A>[K], TState, TState>
  useSubscription<K extends keyof Topics<A> & string, TState = undefined>(
    topic: K,
    options?: TypedSubscriptionOptions<Topics<A>[K], TState>,
  ): TypedSubscriptionState<Topics<A>[K], TState>
  useRegister<K extends keyof Procs<A> & string>(
    procedure: K,
    handler: TypedHandler<Procs<A>[K]>,
    options?: UseRegisterOptions,
  ): UseRegisterResult
  usePublish<K extends keyof Topics<A> & string>(
    topic: K,
    options?: PublishOptions,
  ): (...params: PayloadParams<Topics<A>[K], PublishOptions>) => Promise<number | undefined>
  /** The plain client typed by the same map (see `typedClient`). */
  client: typeof typedClient<A>
}

/**
 * Types the hooks by your API map; at run time these are the plain hooks. The same map types
 * the plain client: `typedClient<Api>(client)` from `react-wamp/client`, or `api.client(client)`.
 *
 * @example
 * const api = defineApi<{
 *   procedures: { 'com.example.add': { args: [number, number]; result: [number] } }
 *   topics: { 'com.example.tick': { args: [number] } }
 * }>()
 * const { data } = api.useCall('com.example.add', { args: [1, 2] }) // data?.args[0]: number
 */
export function defineApi<A extends ApiSpec>(): TypedHooks<A> {
  return {
    useCall,
    useProgressCall,
    useSuspenseCall,
    useSubscription,
    useRegister,
    usePublish,
    client: typedClient,
  } as unknown as TypedHooks<A>
}
