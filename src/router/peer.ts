import { MessageType } from '../protocol/message-types.js'
import type { Dict } from '../protocol/messages.js'

export type ClientRole = 'caller' | 'callee' | 'publisher' | 'subscriber'

/** A joined session as the broker, dealer and meta API see it. */
export interface Peer {
  readonly id: number
  readonly authid: string
  readonly authrole: string
  /** What the session meta API tells about this session. */
  readonly details: Dict
  /** The serialization of the peer's transport (`json`, `msgpack`, `cbor`). */
  readonly serialization: string
  /** Sends a message; false when it could not (this peer's serializer cannot carry it, or it is gone). */
  send(message: unknown[]): boolean
  /** True when HELLO announced `feature` for `role`. */
  supports(role: ClientRole, feature: string): boolean
  /** The next INVOCATION request ID of this session: 1, 2, 3… */
  nextRequestId(): number
  /** Ends the session from the router's side: GOODBYE with this reason and `{ message }`. */
  goodbye(reason: string, message?: string): void
}

/** An ERROR reply to a request; `message` becomes Args[0]. */
export function errorReply(requestType: number, request: number, uri: string, message?: string): unknown[] {
  const reply: unknown[] = [MessageType.ERROR, requestType, request, {}, uri]
  if (message !== undefined) reply.push([message])
  return reply
}

/** True for URIs only the router may use (`wamp.*`). */
export function isReserved(uri: string): boolean {
  return uri === 'wamp' || uri.startsWith('wamp.')
}

/** Refusal of `disclose_me` / `disclose_caller` in a realm that does not allow disclosure. */
export const DISCLOSE_DISALLOWED = 'wamp.error.option_disallowed.disclose_me'
