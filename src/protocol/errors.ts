import type { Args, Dict, Kwargs } from './messages.js'

/** What went wrong, for `switch (error.code)`. */
export type WampErrorCode =
  | 'rpc'
  | 'invalid_argument'
  | 'serialization'
  | 'response_timeout'
  | 'connection_lost'
  | 'session_closed'
  | 'client_closed'
  | 'protocol_violation'
  | 'aborted'
  | 'router_abort'
  | 'authentication'
  | 'revoked'

/** Base class of every error this library raises. */
export class WampError extends Error {
  override name = 'WampError'
  constructor(
    readonly code: WampErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/**
 * An ERROR message from the router or a callee, or the error a callee handler throws to
 * choose what the caller sees.
 */
export class RPCError extends WampError {
  override name = 'RPCError'
  readonly args: Args
  readonly kwargs: Kwargs
  readonly details: Dict
  /** Autobahn's transparent payload in place of Arguments (as `Result.payload`); `args` is `[]` then. */
  payload?: Uint8Array
  constructor(
    /** The error URI, e.g. `wamp.error.no_such_procedure` or `com.example.error.not_found`. */
    readonly uri: string,
    args: Args = [],
    kwargs: Kwargs = {},
    details: Dict = {},
  ) {
    super('rpc', describeRpcError(uri, args))
    this.args = args
    this.kwargs = kwargs
    this.details = details
  }
}

function describeRpcError(uri: string, args: Args): string {
  const first = args[0]
  return typeof first === 'string' ? `${uri}: ${first}` : uri
}

/**
 * The call timed out (`wamp.error.timeout`): the router's call timeout, or the local
 * deadline of `timeout` plus `responseTimeout` when the router never answered.
 */
export class CallTimeoutError extends RPCError {
  override name = 'CallTimeoutError'
  constructor(args: Args = ['call timeout'], kwargs: Kwargs = {}, details: Dict = {}) {
    super('wamp.error.timeout', args, kwargs, details)
  }
}

/** Bad input from the user: nothing was sent. */
export class InvalidArgumentError extends WampError {
  override name = 'InvalidArgumentError'
  constructor(message: string) {
    super('invalid_argument', message)
  }
}

/** A payload that the session's serializer cannot encode: nothing was sent. */
export class SerializationError extends WampError {
  override name = 'SerializationError'
  constructor(message: string, options?: { cause?: unknown }) {
    super('serialization', message, options)
  }
}

/** The router did not answer within `responseTimeout`. */
export class ResponseTimeoutError extends WampError {
  override name = 'ResponseTimeoutError'
  constructor(what: string, timeoutMs: number) {
    super('response_timeout', `no reply from the router to ${what} within ${timeoutMs} ms`)
  }
}

/** The transport closed while the request was waiting for its reply. */
export class ConnectionLostError extends WampError {
  override name = 'ConnectionLostError'
  constructor(message = 'the connection to the router was lost', options?: { cause?: unknown }) {
    super('connection_lost', message, options)
  }
}

/** The session ended (GOODBYE or ABORT from either side) while the request was waiting. */
export class SessionClosedError extends WampError {
  override name = 'SessionClosedError'
  constructor(
    readonly reason: string,
    message?: string,
  ) {
    super('session_closed', message ?? `the session was closed: ${reason}`)
  }
}

/** A method was called on a client that is closed or closing. */
export class ClientClosedError extends WampError {
  override name = 'ClientClosedError'
  constructor(message = 'the client is closed') {
    super('client_closed', message)
  }
}

/** The peer broke the protocol; the session was aborted with `wamp.error.protocol_violation`. */
export class ProtocolViolationError extends WampError {
  override name = 'ProtocolViolationError'
  constructor(message: string) {
    super('protocol_violation', message)
  }
}

/** The router refused or ended the session with ABORT (e.g. `wamp.error.no_such_realm`). */
export class RouterAbortError extends WampError {
  override name = 'RouterAbortError'
  constructor(
    readonly reason: string,
    readonly details: Dict,
    code: 'router_abort' | 'authentication' = 'router_abort',
  ) {
    const text = typeof details.message === 'string' ? `: ${details.message}` : ''
    super(code, `the router aborted the session with ${reason}${text}`)
  }
}

/** Authentication failed: wrong credentials, no common method, or a failing auth method. */
export class AuthenticationError extends RouterAbortError {
  override name = 'AuthenticationError'
  constructor(reason: string, details: Dict) {
    super(reason, details, 'authentication')
  }
}

/**
 * The caller cancelled (AbortSignal) a request. `name` is `AbortError` like the platform's,
 * and `reason` is the signal's reason.
 */
export class WampAbortError extends WampError {
  override name = 'AbortError'
  constructor(
    readonly reason: unknown,
    what: string,
  ) {
    super('aborted', `${what} was aborted${reason instanceof Error ? `: ${reason.message}` : ''}`, { cause: reason })
  }
}
