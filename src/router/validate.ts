import { ProtocolViolationError } from '../protocol/errors.js'
import { isId } from '../protocol/ids.js'
import { MessageType, messageName } from '../protocol/message-types.js'
import type { ClientToRouterMessage } from '../protocol/messages.js'
import { isDict } from '../protocol/validate.js'

type Field = 'id' | 'int' | 'dict' | 'string' | 'args' | 'kwargs'

const checks: Record<Field, [(value: unknown) => boolean, string]> = {
  id: [isId, 'an integer in [1, 2^53]'],
  int: [(v) => typeof v === 'number' && Number.isInteger(v), 'an integer'],
  dict: [isDict, 'a dictionary'],
  string: [(v) => typeof v === 'string', 'a string'],
  args: [Array.isArray, 'a list'],
  kwargs: [isDict, 'a dictionary'],
}

/** Field layout after the type code, e.g. `Request:id Options:dict`; `optional` trailing fields may be absent. */
const shape = (spec: string, optional = 0) => ({
  fields: spec.split(' ').map((part) => part.split(':') as [string, Field]),
  optional,
})

/** Shapes of the messages a router accepts from a client. */
const inbound = new Map([
  [MessageType.HELLO, shape('Realm:string Details:dict')],
  [MessageType.ABORT, shape('Details:dict Reason:string Arguments:args ArgumentsKw:kwargs', 2)],
  [MessageType.AUTHENTICATE, shape('Signature:string Extra:dict')],
  [MessageType.GOODBYE, shape('Details:dict Reason:string')],
  [MessageType.ERROR, shape('Type:int Request:id Details:dict Error:string Arguments:args ArgumentsKw:kwargs', 2)],
  [MessageType.PUBLISH, shape('Request:id Options:dict Topic:string Arguments:args ArgumentsKw:kwargs', 2)],
  [MessageType.SUBSCRIBE, shape('Request:id Options:dict Topic:string')],
  [MessageType.UNSUBSCRIBE, shape('Request:id Subscription:id')],
  [MessageType.CALL, shape('Request:id Options:dict Procedure:string Arguments:args ArgumentsKw:kwargs', 2)],
  [MessageType.CANCEL, shape('Request:id Options:dict')],
  [MessageType.REGISTER, shape('Request:id Options:dict Procedure:string')],
  [MessageType.UNREGISTER, shape('Request:id Registration:id')],
  [MessageType.YIELD, shape('Request:id Options:dict Arguments:args ArgumentsKw:kwargs', 2)],
])

/**
 * Checks that a decoded value is a well-formed message a client may send to a router.
 * Throws ProtocolViolationError naming the first problem.
 */
export function validateClientMessage(message: unknown): ClientToRouterMessage {
  if (!Array.isArray(message) || message.length === 0) {
    throw new ProtocolViolationError('a WAMP message must be a non-empty list')
  }
  const code = message[0]
  const layout = typeof code === 'number' ? inbound.get(code as never) : undefined
  const name = messageName(code)
  if (!layout) throw new ProtocolViolationError(`a router does not accept ${name} messages`)
  const max = layout.fields.length
  const min = max - layout.optional
  if (message.length - 1 < min || message.length - 1 > max) {
    throw new ProtocolViolationError(
      `${name} must have ${min === max ? min : `${min} to ${max}`} fields after its type`,
    )
  }
  for (let i = 1; i < message.length; i++) {
    const [field, kind] = layout.fields[i - 1]!
    const [check, description] = checks[kind]
    if (!check(message[i])) throw new ProtocolViolationError(`${name}: ${field} must be ${description}`)
  }
  if (code === MessageType.ERROR && message[1] !== MessageType.INVOCATION) {
    throw new ProtocolViolationError(
      `a client may only send ERROR for an INVOCATION, not for ${messageName(message[1])}`,
    )
  }
  return message as ClientToRouterMessage
}
