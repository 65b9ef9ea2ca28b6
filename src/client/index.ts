/**
 * react-wamp/client: the WAMP client core, with no React.
 * @packageDocumentation
 */
export type { AuthMethod, Challenge, ChallengeResponse } from '../auth/auth-method.js'
export { CloseReason, ErrorUri } from '../protocol/error-uris.js'
export * from '../protocol/errors.js'
export type { MatchPolicy } from '../protocol/uri.js'
export { isValidUri } from '../protocol/uri.js'
export type { SerializationName, Serializer } from '../serializers/serializer.js'
export type { Transport, TransportCloseInfo, TransportReceiver } from '../transports/transport.js'
export type { WebSocketFactory, WebSocketLike } from '../transports/websocket.js'
export { Client } from './client.js'
export { connect, createClient } from './connect.js'
export { connectLocal, type LocalRouter } from './connect-local.js'
export type { Logger } from './logger.js'
export {
  type ApiSpec,
  type ProcedureSpec,
  type TopicSpec,
  type TypedChunk,
  type TypedClient,
  type TypedClientOf,
  type TypedEvent,
  type TypedHandler,
  type TypedInvocation,
  type TypedResult,
  typedClient,
} from './typed-api.js'
export type * from './types.js'
