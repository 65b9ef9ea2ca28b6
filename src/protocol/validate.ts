import { checkEventDetails } from './event-details.js'
import { checkShape, type MessageShape, shape } from './message-shapes.js'
import { MessageType } from './message-types.js'
import type { RouterToClientMessage } from './messages.js'

export { isDict } from './message-shapes.js'

/** Shapes of the messages a client accepts from a router. */
const fromRouter = new Map<number, MessageShape>([
  [MessageType.WELCOME, shape('Session:id Details:dict')],
  [MessageType.ABORT, shape('Details:dict Reason:string Arguments:args ArgumentsKw:kwargs', 2)],
  [MessageType.CHALLENGE, shape('AuthMethod:string Extra:dict')],
  [MessageType.GOODBYE, shape('Details:dict Reason:string')],
  [MessageType.ERROR, shape('Type:int Request:id Details:dict Error:string Arguments:payload ArgumentsKw:kwargs', 2)],
  [MessageType.PUBLISHED, shape('Request:id Publication:id')],
  [MessageType.SUBSCRIBED, shape('Request:id Subscription:id')],
  [MessageType.UNSUBSCRIBED, shape('Request:id0 Details:dict', 1)],
  [MessageType.EVENT, shape('Subscription:id Publication:id Details:dict Arguments:payload ArgumentsKw:kwargs', 2)],
  [MessageType.RESULT, shape('Request:id Details:dict Arguments:payload ArgumentsKw:kwargs', 2)],
  [MessageType.REGISTERED, shape('Request:id Registration:id')],
  [MessageType.UNREGISTERED, shape('Request:id0 Details:dict', 1)],
  [MessageType.INVOCATION, shape('Request:id Registration:id Details:dict Arguments:payload ArgumentsKw:kwargs', 2)],
  [MessageType.INTERRUPT, shape('Request:id Options:dict')],
])

/**
 * Checks that a decoded value is a well-formed message a router may send to a client.
 * Throws ProtocolViolationError naming the first problem.
 */
export function validateInbound(message: unknown): RouterToClientMessage {
  const checked = checkShape<RouterToClientMessage>(message, fromRouter, 'client')
  const type = checked[0]
  if (type === MessageType.EVENT) checkEventDetails(checked[3])
  return checked
}
