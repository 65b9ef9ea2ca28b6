import type { Args, Event, Invocation, Kwargs, PublishOptions, Result } from '../client/types.js'
import { type UseCallOptions, type UseCallResult, useCall } from './useCall.js'
import { type UseProgressCallOptions, type UseProgressCallResult, useProgressCall } from './useProgressCall.js'
import { type PublishFunction, usePublish } from './usePublish.js'
import { type UseRegisterOptions, type UseRegisterResult, useRegister } from './useRegister.js'
import { type SubscriptionState, type UseSubscriptionOptions, useSubscription } from './useSubscription.js'

/** The types of one procedure: what it takes, what it returns, what it reports as progress. */
export interface ProcedureSpec {
  args?: Args
  kwargs?: Kwargs
  result?: Args
  resultKwargs?: Kwargs
  progress?: Args
}

/** The types of one topic's events. */
export interface TopicSpec {
  args?: Args
  kwargs?: Kwargs
}

/** An application's WAMP API: procedures and topics by URI. */
export interface ApiSpec {
  procedures?: Record<string, ProcedureSpec>
  topics?: Record<string, TopicSpec>
}

type Procs<A extends ApiSpec> = NonNullable<A['procedures']>
type Topics<A extends ApiSpec> = NonNullable<A['topics']>
type Or<T, D> = unknown extends T ? D : undefined extends T ? D : T

/** A Result whose args and kwargs have the procedure's result types. */
export type TypedResult<P extends ProcedureSpec> = Omit<Result, 'args' | 'kwargs'> & {
  args: Or<P['result'], Args>
  kwargs: Or<P['resultKwargs'], Kwargs>
}

/** An Event whose args and kwargs have the topic's types. */
export type TypedEvent<T extends TopicSpec> = Omit<Event, 'args' | 'kwargs'> & {
  args: Or<T['args'], Args>
  kwargs: Or<T['kwargs'], Kwargs>
}

type TypedCallOptions<P extends ProcedureSpec, TData> = Omit<UseCallOptions<TData>, 'args' | 'kwargs' | 'select'> & {
  args?: Or<P['args'], Args>
  kwargs?: Or<P['kwargs'], Kwargs>
  select?: (result: TypedResult<P>) => TData
}

/** What a typed callee handler returns. */
type TypedInvokeResult<P extends ProcedureSpec> =
  | { args?: Or<P['result'], Args>; kwargs?: Or<P['resultKwargs'], Kwargs> }
  | undefined
  // biome-ignore lint/suspicious/noConfusingVoidType: handlers written as `() => {}` return void.
  | void

/** The hooks, typed by an API map. */
export interface TypedHooks<A extends ApiSpec> {
  useCall<K extends keyof Procs<A> & string, TData = TypedResult<Procs<A>[K]>>(
    procedure: K,
    options?: TypedCallOptions<Procs<A>[K], TData>,
  ): UseCallResult<TData>
  useProgressCall<K extends keyof Procs<A> & string, TData = TypedResult<Procs<A>[K]>, TProgress = Result>(
    procedure: K,
    options?: TypedCallOptions<Procs<A>[K], TData> &
      Omit<UseProgressCallOptions<TData, TProgress>, 'args' | 'kwargs' | 'select' | 'reducer'> & {
        reducer?: (
          progress: TProgress,
          chunk: Omit<Result, 'args'> & { args: Or<Procs<A>[K]['progress'], Args> },
        ) => TProgress
      },
  ): UseProgressCallResult<TData, TProgress>
  useSubscription<K extends keyof Topics<A> & string, TState = undefined>(
    topic: K,
    options?: Omit<UseSubscriptionOptions<TState>, 'onEvent' | 'reducer'> & {
      onEvent?: (event: TypedEvent<Topics<A>[K]>) => void
      reducer?: (state: TState, event: TypedEvent<Topics<A>[K]>) => TState
    },
  ): Omit<SubscriptionState<TState>, 'lastEvent' | 'events'> & {
    lastEvent: TypedEvent<Topics<A>[K]> | undefined
    events: readonly TypedEvent<Topics<A>[K]>[]
  }
  useRegister<K extends keyof Procs<A> & string>(
    procedure: K,
    handler: (
      invocation: Omit<Invocation, 'args' | 'kwargs'> & {
        args: Or<Procs<A>[K]['args'], Args>
        kwargs: Or<Procs<A>[K]['kwargs'], Kwargs>
      },
    ) => TypedInvokeResult<Procs<A>[K]> | Promise<TypedInvokeResult<Procs<A>[K]>>,
    options?: UseRegisterOptions,
  ): UseRegisterResult
  usePublish<K extends keyof Topics<A> & string>(
    topic: K,
    options?: PublishOptions,
  ): (
    args?: Or<Topics<A>[K]['args'], Args>,
    kwargs?: Or<Topics<A>[K]['kwargs'], Kwargs>,
    options?: PublishOptions,
  ) => Promise<void>
}

/**
 * Types the hooks by your API map; at run time these are the plain hooks.
 *
 * @example
 * const api = defineApi<{
 *   procedures: { 'com.example.add': { args: [number, number]; result: [number] } }
 *   topics: { 'com.example.tick': { args: [number] } }
 * }>()
 * const { data } = api.useCall('com.example.add', { args: [1, 2] }) // data?.args[0]: number
 */
export function defineApi<A extends ApiSpec>(): TypedHooks<A> {
  return { useCall, useProgressCall, useSubscription, useRegister, usePublish } as unknown as TypedHooks<A>
}

export type { PublishFunction }
