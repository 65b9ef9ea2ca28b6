import type { Client } from './client.js'
import type {
  Args,
  CallOptions,
  Event,
  Invocation,
  Kwargs,
  PublishOptions,
  RegisterOptions,
  Registration,
  Result,
  SubscribeOptions,
  Subscription,
} from './types.js'

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

/**
 * An application's WAMP API: procedures and topics by URI. One map types both sides: the plain
 * client (`typedClient`) in a Node backend and the hooks (`defineApi`) in the React app.
 */
export interface ApiSpec {
  procedures?: Record<string, ProcedureSpec>
  topics?: Record<string, TopicSpec>
}

export type Procs<A extends ApiSpec> = NonNullable<A['procedures']>
export type Topics<A extends ApiSpec> = NonNullable<A['topics']>
/** True when the map declares `T` (neither left out nor optional). */
export type Declared<T> = unknown extends T ? false : undefined extends T ? false : true
/** `T` where declared, the default `D` elsewhere. */
export type Or<T, D> = Declared<T> extends true ? T : D

/** The args of a procedure or topic, as declared (or any args). */
export type ArgsOf<S extends TopicSpec> = Or<S['args'], Args>
/** The kwargs of a procedure or topic, as declared (or any kwargs). */
export type KwargsOf<S extends TopicSpec> = Or<S['kwargs'], Kwargs>

/** A Result whose args and kwargs have the procedure's result types. */
export type TypedResult<P extends ProcedureSpec> = Omit<Result, 'args' | 'kwargs'> & {
  args: Or<P['result'], Args>
  kwargs: Or<P['resultKwargs'], Kwargs>
}

/** A progressive result of the procedure. */
export type TypedChunk<P extends ProcedureSpec> = Omit<Result, 'args'> & { args: Or<P['progress'], Args> }

/** An Event whose args and kwargs have the topic's types. */
export type TypedEvent<T extends TopicSpec> = Omit<Event, 'args' | 'kwargs'> & { args: ArgsOf<T>; kwargs: KwargsOf<T> }

/** An Invocation whose args and kwargs have the procedure's types. */
export type TypedInvocation<P extends ProcedureSpec> = Omit<Invocation, 'args' | 'kwargs'> & {
  args: ArgsOf<P>
  kwargs: KwargsOf<P>
}

/** What a typed callee handler returns. */
export type TypedInvokeResult<P extends ProcedureSpec> =
  | { args?: Or<P['result'], Args>; kwargs?: Or<P['resultKwargs'], Kwargs> }
  | undefined
  // biome-ignore lint/suspicious/noConfusingVoidType: handlers written as `() => {}` return void.
  | void

/** A typed callee handler. */
export type TypedHandler<P extends ProcedureSpec> = (
  invocation: TypedInvocation<P>,
) => TypedInvokeResult<P> | Promise<TypedInvokeResult<P>>

/** The payload parameters of a call or publish: declared args (and kwargs) are required. */
export type PayloadParams<S extends TopicSpec, O> =
  Declared<S['kwargs']> extends true
    ? [args: ArgsOf<S> | (Declared<S['args']> extends true ? never : undefined), kwargs: KwargsOf<S>, options?: O]
    : Declared<S['args']> extends true
      ? [args: ArgsOf<S>, kwargs?: Kwargs, options?: O]
      : [args?: Args, kwargs?: Kwargs, options?: O]

/** A Client typed by an API map (see `typedClient`). */
export interface TypedClient<A extends ApiSpec> {
  call<K extends keyof Procs<A> & string>(
    procedure: K,
    ...params: PayloadParams<Procs<A>[K], CallOptions>
  ): Promise<TypedResult<Procs<A>[K]>>
  register<K extends keyof Procs<A> & string>(
    procedure: K,
    handler: TypedHandler<Procs<A>[K]>,
    options?: RegisterOptions,
  ): Promise<Registration>
  subscribe<K extends keyof Topics<A> & string>(
    topic: K,
    handler: (event: TypedEvent<Topics<A>[K]>) => void,
    options?: SubscribeOptions,
  ): Promise<Subscription>
  publish<K extends keyof Topics<A> & string>(
    topic: K,
    ...params: PayloadParams<Topics<A>[K], PublishOptions>
  ): Promise<number | undefined>
}

/**
 * Types a client by your API map, the same map `defineApi` gives the hooks, so a Node backend
 * and the React app share one contract. At run time it is the client itself.
 *
 * @example
 * type Api = { procedures: { 'com.example.add': { args: [number, number]; result: [number] } } }
 * const api = typedClient<Api>(await connect(url, { realm: 'realm1' }))
 * await api.register('com.example.add', ({ args: [a, b] }) => ({ args: [a + b] }))
 * const { args: [sum] } = await api.call('com.example.add', [1, 2]) // sum: number
 */
export function typedClient<A extends ApiSpec>(client: Client): TypedClientOf<A> {
  return client as unknown as TypedClientOf<A>
}

/** The client with its four typed methods in place of the untyped ones. */
export type TypedClientOf<A extends ApiSpec> = Omit<Client, keyof TypedClient<A>> & TypedClient<A>
