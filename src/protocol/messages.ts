import type { MessageType } from './message-types.js'

/** A WAMP dictionary (options, details). */
export type Dict = Record<string, unknown>
/** Positional payload. */
export type Args = unknown[]
/** Keyword payload. */
export type Kwargs = Record<string, unknown>
/** Arguments, or Autobahn's transparent payload: one binary value in their place (then no ArgumentsKw). */
export type Payload = Args | Uint8Array

type M = typeof MessageType

export type HelloMessage = [M['HELLO'], string, Dict]
export type WelcomeMessage = [M['WELCOME'], number, Dict]
export type AbortMessage = [M['ABORT'], Dict, string, Args?, Kwargs?]
export type ChallengeMessage = [M['CHALLENGE'], string, Dict]
export type AuthenticateMessage = [M['AUTHENTICATE'], string, Dict]
export type GoodbyeMessage = [M['GOODBYE'], Dict, string]
export type ErrorMessage = [M['ERROR'], number, number, Dict, string, Payload?, Kwargs?]
export type PublishMessage = [M['PUBLISH'], number, Dict, string, Payload?, Kwargs?]
export type PublishedMessage = [M['PUBLISHED'], number, number]
export type SubscribeMessage = [M['SUBSCRIBE'], number, Dict, string]
export type SubscribedMessage = [M['SUBSCRIBED'], number, number]
export type UnsubscribeMessage = [M['UNSUBSCRIBE'], number, number]
export type UnsubscribedMessage = [M['UNSUBSCRIBED'], number, Dict?]
export type EventMessage = [M['EVENT'], number, number, Dict, Payload?, Kwargs?]
export type CallMessage = [M['CALL'], number, Dict, string, Payload?, Kwargs?]
export type CancelMessage = [M['CANCEL'], number, Dict]
export type ResultMessage = [M['RESULT'], number, Dict, Payload?, Kwargs?]
export type RegisterMessage = [M['REGISTER'], number, Dict, string]
export type RegisteredMessage = [M['REGISTERED'], number, number]
export type UnregisterMessage = [M['UNREGISTER'], number, number]
export type UnregisteredMessage = [M['UNREGISTERED'], number, Dict?]
export type InvocationMessage = [M['INVOCATION'], number, number, Dict, Payload?, Kwargs?]
export type InterruptMessage = [M['INTERRUPT'], number, Dict]
export type YieldMessage = [M['YIELD'], number, Dict, Payload?, Kwargs?]

/** Any WAMP message. */
export type WampMessage =
  | HelloMessage
  | WelcomeMessage
  | AbortMessage
  | ChallengeMessage
  | AuthenticateMessage
  | GoodbyeMessage
  | ErrorMessage
  | PublishMessage
  | PublishedMessage
  | SubscribeMessage
  | SubscribedMessage
  | UnsubscribeMessage
  | UnsubscribedMessage
  | EventMessage
  | CallMessage
  | CancelMessage
  | ResultMessage
  | RegisterMessage
  | RegisteredMessage
  | UnregisterMessage
  | UnregisteredMessage
  | InvocationMessage
  | InterruptMessage
  | YieldMessage

/** Messages a router may send to a client. */
export type RouterToClientMessage =
  | WelcomeMessage
  | AbortMessage
  | ChallengeMessage
  | GoodbyeMessage
  | ErrorMessage
  | PublishedMessage
  | SubscribedMessage
  | UnsubscribedMessage
  | EventMessage
  | ResultMessage
  | RegisteredMessage
  | UnregisteredMessage
  | InvocationMessage
  | InterruptMessage

/** Messages a client may send to a router. */
export type ClientToRouterMessage =
  | HelloMessage
  | AbortMessage
  | AuthenticateMessage
  | GoodbyeMessage
  | ErrorMessage
  | PublishMessage
  | SubscribeMessage
  | UnsubscribeMessage
  | CallMessage
  | CancelMessage
  | RegisterMessage
  | UnregisterMessage
  | YieldMessage

/**
 * Appends args and kwargs to a message, leaving out empty trailing payload
 * (peers must not send an empty Kwargs after Args, nor empty Args without Kwargs).
 * A null is an absent one: `null` itself is never sent. A transparent payload (bytes) stands alone.
 */
export function withPayload<T extends unknown[]>(message: T, args?: Payload | null, kwargs?: Kwargs | null): T {
  if (args instanceof Uint8Array) {
    message.push(args)
    return message
  }
  const hasKwargs = kwargs != null && hasKeys(kwargs)
  if (hasKwargs) message.push(args ?? [], kwargs)
  else if (args != null && args.length > 0) message.push(args)
  return message
}

/** Autobahn's transparent-payload fields and the RFC's `ppt_*`, copied from Options to Details by a router. */
const payloadFields = [
  'enc_algo',
  'enc_serializer',
  'enc_key',
  'ppt_scheme',
  'ppt_serializer',
  'ppt_cipher',
  'ppt_keyid',
]

/** The transparent-payload fields of a PUBLISH/CALL/YIELD's Options, for the EVENT/INVOCATION/RESULT. */
export function payloadDetails(options: Dict): Dict {
  const details: Dict = {}
  for (const field of payloadFields) if (options[field] !== undefined) details[field] = options[field]
  return details
}

function hasKeys(record: Kwargs): boolean {
  for (const _ in record) return true
  return false
}
