import { ProtocolViolationError } from '../protocol/errors.js'
import { checkShape, type MessageShape, shape } from '../protocol/message-shapes.js'
import { MessageType, messageName } from '../protocol/message-types.js'
import type { ClientToRouterMessage } from '../protocol/messages.js'
import { MAX_NESTING, nestsTooDeep } from '../protocol/nesting.js'
import { publishOptionsProblem, subscribeOptionsProblem } from '../protocol/pubsub-options.js'

/** Shapes of the messages a router accepts from a client. */
const inbound = new Map<number, MessageShape>([
  [MessageType.HELLO, shape('Realm:string Details:dict')],
  [MessageType.ABORT, shape('Details:dict Reason:string Arguments:args ArgumentsKw:kwargs', 2)],
  [MessageType.AUTHENTICATE, shape('Signature:string Extra:dict')],
  [MessageType.GOODBYE, shape('Details:dict Reason:string')],
  [MessageType.ERROR, shape('Type:int Request:id Details:dict Error:string Arguments:payload ArgumentsKw:kwargs', 2)],
  [MessageType.PUBLISH, shape('Request:id Options:dict Topic:string Arguments:payload ArgumentsKw:kwargs', 2)],
  [MessageType.SUBSCRIBE, shape('Request:id Options:dict Topic:string')],
  [MessageType.UNSUBSCRIBE, shape('Request:id Subscription:id')],
  [MessageType.CALL, shape('Request:id Options:dict Procedure:string Arguments:payload ArgumentsKw:kwargs', 2)],
  [MessageType.CANCEL, shape('Request:id Options:dict')],
  [MessageType.REGISTER, shape('Request:id Options:dict Procedure:string')],
  [MessageType.UNREGISTER, shape('Request:id Registration:id')],
  [MessageType.YIELD, shape('Request:id Options:dict Arguments:payload ArgumentsKw:kwargs', 2)],
])

/**
 * Checks that a decoded value is a well-formed message a client may send to a router.
 * Throws ProtocolViolationError naming the first problem.
 */
export function validateClientMessage(message: unknown): ClientToRouterMessage {
  const checked = checkShape<ClientToRouterMessage>(message, inbound, 'router')
  // Deeper than any peer could be sent (JSON decodes any depth): refused, never acknowledged and dropped.
  if (nestsTooDeep(checked)) throw new ProtocolViolationError(`a message may nest at most ${MAX_NESTING} levels`)
  const code = checked[0]
  const problem =
    code === MessageType.PUBLISH
      ? publishOptionsProblem(checked[2])
      : code === MessageType.SUBSCRIBE
        ? subscribeOptionsProblem(checked[2])
        : undefined
  if (problem) throw new ProtocolViolationError(problem)
  if (code === MessageType.ERROR && checked[1] !== MessageType.INVOCATION) {
    throw new ProtocolViolationError(
      `a client may only send ERROR for an INVOCATION, not for ${messageName(checked[1])}`,
    )
  }
  return checked
}
