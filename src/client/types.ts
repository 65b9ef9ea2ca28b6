import type { AuthMethod } from '../auth/auth-method.js'
import type { Args, Dict, Kwargs } from '../protocol/messages.js'
import type { MatchPolicy } from '../protocol/uri.js'
import type { SerializationName, Serializer } from '../serializers/serializer.js'
import type { WebSocketFactory } from '../transports/websocket.js'
import type { Logger } from './logger.js'

export type { Args, Dict, Kwargs }

/** How to join a realm. */
export interface ClientConfig {
  /** The realm to join, e.g. `realm1`. */
  realm: string
  /** HELLO.Details; `roles` are filled in unless given. */
  helloDetails?: Dict
  authid?: string
  authextra?: Dict
  /** Authentication methods in order of preference, e.g. `[ticket(token)]`. */
  auth?: AuthMethod[]
  /** How long to wait for the router's reply to join, (un)subscribe, (un)register and acknowledged publish. Default 5000 ms. */
  responseTimeout?: number
  /** Wire format: `json` (the default), `msgpack` or `cbor`; the latter two are downloaded only when asked for. */
  serialization?: SerializationName | Serializer
  /** Node: TLS options for `wss://` and `tcps://` (e.g. `{ ca }`); certificates are verified by default. */
  tls?: Record<string, unknown>
  /** RawSocket: the longest message accepted, rounded up to a power of two in [2^9, 2^24]; default 16 MiB. */
  recvLimit?: number
  /** Builds the WebSocket (headers, proxies, agents). */
  createWebSocket?: WebSocketFactory
  /** Where errors of handlers and dropped messages are reported; console by default. */
  logger?: Logger
  /** Log every message in and out (secrets redacted). */
  debug?: boolean
  /**
   * Sees every message of the session, as sent and as received (before validation), for devtools
   * and tracing. It runs on the message path: keep it cheap, and do not change the message. Its
   * throws go to the logger. Without it the client does one check per message and nothing else.
   */
  tap?: MessageTap
}

/** Sees one message: `out` as the client sends it (before encoding), `in` as it arrived (decoded, not yet validated). */
export type MessageTap = (direction: 'in' | 'out', message: unknown) => void

/** The outcome of a call, or one progressive result. */
export interface Result {
  args: Args
  kwargs: Kwargs
  details: Dict
  /**
   * Autobahn's transparent payload: a peer sent one binary value in place of Arguments (E2E
   * encryption or passthru), described by `details.enc_algo`, `enc_serializer` and `enc_key`;
   * `args` is `[]` and `kwargs` `{}` then. The RFC's form (`ppt_*` in details, the payload as
   * the only item of `args`) arrives in `args` as is; send transparent payloads in that form.
   */
  payload?: Uint8Array
}

/** An event delivered to a subscriber. */
export interface Event {
  args: Args
  kwargs: Kwargs
  details: Dict
  /** Autobahn's transparent payload, as in Result. */
  payload?: Uint8Array
  /** The topic the event was published to (differs from the subscription's for pattern subscriptions). */
  topic: string
  /** The router's subscription ID. */
  subscription: number
  /** The router's publication ID. */
  publication: number
}

/** Receives events; a returned promise that rejects is reported to the logger. */
export type EventHandler = (event: Event) => unknown

/** Call options: WAMP CALL options plus local controls. */
export interface CallOptions extends Dict {
  /** Router-side call timeout in ms. */
  timeout?: number
  disclose_me?: boolean
  receive_progress?: boolean
  /** Aborting it cancels the call. */
  signal?: AbortSignal
  /** How the router cancels: `killnowait` (default), `kill`, or `skip`. */
  cancelMode?: CancelMode
  /** Receives progressive results in order; never called after the call settles. */
  onProgress?: (result: Result) => void
}

export type CancelMode = 'kill' | 'killnowait' | 'skip'

/** One item of `callProgress`: a progressive result, or the final one (`final: true`). */
export interface ProgressiveResult extends Result {
  final: boolean
}

/** A call whose input goes out in chunks (progressive call invocations). */
export interface ProgressiveCall {
  /**
   * Sends one chunk of input; the first one starts the call. Throws once the call has ended or
   * settled. A `Uint8Array` is a transparent payload chunk (no kwargs), described by the call's
   * `enc_algo`/`ppt_*` options, which every chunk carrying one repeats.
   */
  send(args?: Args | Uint8Array, kwargs?: Kwargs): void
  /**
   * Sends the last chunk and resolves with the result. When the call has already settled (the
   * callee refused a chunk, or answered early), sends nothing and settles as the call did.
   */
  end(args?: Args | Uint8Array, kwargs?: Kwargs): Promise<Result>
  /** The call's result (also returned by `end`). A failure before `end` is never an unhandled rejection. */
  readonly result: Promise<Result>
}

/** One chunk of a callee's input: the first INVOCATION, then each continuation. */
export interface InvocationInput {
  args: Args
  kwargs: Kwargs
  /** A transparent payload chunk (Autobahn's form: bytes in place of Arguments); `args` is then []. */
  payload?: Uint8Array
  /** True for the last chunk. */
  final: boolean
}
/**
 * What a callee handler returns: nothing (empty YIELD), args and kwargs, or Autobahn's transparent
 * payload (one binary value in place of Arguments) with the YIELD options that describe it (`enc_algo`…).
 */
export type InvokeResult =
  | { args?: Args; kwargs?: Kwargs }
  | { payload: Uint8Array; options?: Dict }
  | undefined
  // biome-ignore lint/suspicious/noConfusingVoidType: handlers written as `() => {}` return void.
  | void

/** One invocation of a registered procedure. */
export interface Invocation {
  args: Args
  kwargs: Kwargs
  details: Dict
  /** Autobahn's transparent payload, as in Result (`args` is `[]` then). */
  payload?: Uint8Array
  /** The URI that was called (differs from the registration's for pattern registrations). */
  procedure: string
  /**
   * Aborted when the router interrupts the call, when `details.timeout` expires, or when the
   * session ends. After an INTERRUPT the handler has the last word: what it settles with is
   * sent (a result as YIELD; `signal.reason` thrown as ERROR `wamp.error.canceled`; any other
   * error as that error), and in `kill` mode the caller receives it. A handler that ignores
   * the signal keeps its invocation open until it settles.
   */
  signal: AbortSignal
  /**
   * Sends a progressive result. Throws when the caller did not ask for progress or the
   * invocation is over.
   */
  progress(args?: Args, kwargs?: Kwargs): void
  /** True when the caller streams its input (progressive call invocation): read it from `inputs`. */
  progressive: boolean
  /**
   * Every chunk of input in order, starting with this invocation's own args and kwargs and
   * ending with the chunk marked `final` (a plain invocation has exactly one).
   */
  inputs: AsyncIterable<InvocationInput>
}

export type InvocationHandler = (invocation: Invocation) => InvokeResult | Promise<InvokeResult>

export interface SubscribeOptions extends Dict {
  match?: MatchPolicy
}

export interface RegisterOptions extends Dict {
  match?: MatchPolicy
  invoke?: 'single' | 'roundrobin' | 'random' | 'first' | 'last'
  disclose_caller?: boolean
  forward_timeout?: boolean
}

export interface PublishOptions extends Dict {
  /** Wait for PUBLISHED (or ERROR) from the broker. */
  acknowledge?: boolean
  exclude_me?: boolean
  exclude?: number[]
  eligible?: number[]
  exclude_authid?: string[]
  exclude_authrole?: string[]
  eligible_authid?: string[]
  eligible_authrole?: string[]
  disclose_me?: boolean
}

/** Publish options that ask for PUBLISHED: `publish` then resolves with the publication ID. */
export interface AcknowledgedPublish extends PublishOptions {
  acknowledge: true
}

/** A live subscription of one local handler. */
export interface Subscription {
  readonly id: number
  readonly topic: string
  /** Removes this handler; the router subscription ends with the last one. Idempotent. */
  unsubscribe(): Promise<void>
  /**
   * Calls `listener` once if the router ends this subscription on its own (UNSUBSCRIBED with
   * request 0, e.g. Crossbar.io's `wamp.subscription.remove_subscriber`), with the message's
   * details (`reason` where the router gives one). Returns the function that stops listening.
   */
  onRevoked(listener: RevokedListener): () => void
}

/** Told why the router ended a subscription or registration on its own. */
export type RevokedListener = (details: Dict) => void

/** A live registration. */
export interface Registration {
  readonly id: number
  readonly procedure: string
  /** Unregisters. Idempotent. */
  unregister(): Promise<void>
  /** Calls `listener` once if the router ends this registration on its own (UNREGISTERED with request 0). */
  onRevoked(listener: RevokedListener): () => void
}

/** How and why a session ended. */
export interface CloseInfo {
  /** The close or abort reason URI (e.g. `wamp.close.close_realm`), or `wamp.close.transport_lost`. */
  reason: string
  details: Dict
  /** Who ended the session. */
  initiator: 'client' | 'router' | 'transport'
  /** The error pending requests were rejected with. */
  error?: Error
}
