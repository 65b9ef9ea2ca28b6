import { ProtocolViolationError } from './errors.js'
import { isId } from './ids.js'
import { MessageType, messageName } from './message-types.js'
import type { Dict, RouterToClientMessage } from './messages.js'

type FieldCheck = 'id' | 'id0' | 'int' | 'dict' | 'string' | 'args' | 'kwargs'

const isDict = (v: unknown): v is Dict =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v)

const checks: Record<FieldCheck, (v: unknown) => boolean> = {
  id: isId,
  // UNSUBSCRIBED/UNREGISTERED use request 0 when the router revokes on its own.
  id0: (v) => v === 0 || isId(v),
  int: (v) => typeof v === 'number' && Number.isInteger(v),
  dict: isDict,
  string: (v) => typeof v === 'string',
  args: Array.isArray,
  kwargs: isDict,
}

/** Field layout after the type code; `optional` trailing fields may be absent. */
interface Shape {
  fields: FieldCheck[]
  names: string[]
  optional: number
}

const shape = (spec: string, optional = 0): Shape => {
  const parts = spec.split(' ').map((p) => p.split(':') as [string, FieldCheck])
  return { names: parts.map((p) => p[0]), fields: parts.map((p) => p[1]), optional }
}

/** Shapes of the messages a client accepts from a router. */
const inbound = new Map<number, Shape>([
  [MessageType.WELCOME, shape('Session:id Details:dict')],
  [MessageType.ABORT, shape('Details:dict Reason:string Arguments:args ArgumentsKw:kwargs', 2)],
  [MessageType.CHALLENGE, shape('AuthMethod:string Extra:dict')],
  [MessageType.GOODBYE, shape('Details:dict Reason:string')],
  [MessageType.ERROR, shape('Type:int Request:id Details:dict Error:string Arguments:args ArgumentsKw:kwargs', 2)],
  [MessageType.PUBLISHED, shape('Request:id Publication:id')],
  [MessageType.SUBSCRIBED, shape('Request:id Subscription:id')],
  [MessageType.UNSUBSCRIBED, shape('Request:id0 Details:dict', 1)],
  [MessageType.EVENT, shape('Subscription:id Publication:id Details:dict Arguments:args ArgumentsKw:kwargs', 2)],
  [MessageType.RESULT, shape('Request:id Details:dict Arguments:args ArgumentsKw:kwargs', 2)],
  [MessageType.REGISTERED, shape('Request:id Registration:id')],
  [MessageType.UNREGISTERED, shape('Request:id0 Details:dict', 1)],
  [MessageType.INVOCATION, shape('Request:id Registration:id Details:dict Arguments:args ArgumentsKw:kwargs', 2)],
  [MessageType.INTERRUPT, shape('Request:id Options:dict')],
])

/**
 * Checks that a decoded value is a well-formed message a router may send to a client.
 * Throws ProtocolViolationError naming the first problem.
 */
export function validateInbound(message: unknown): RouterToClientMessage {
  if (!Array.isArray(message) || message.length === 0) {
    throw new ProtocolViolationError('a WAMP message must be a non-empty list')
  }
  const code = message[0]
  const layout = typeof code === 'number' ? inbound.get(code) : undefined
  if (!layout) throw new ProtocolViolationError(`a client does not accept ${messageName(code)} messages`)
  const name = messageName(code)
  const max = layout.fields.length
  const min = max - layout.optional
  if (message.length - 1 < min || message.length - 1 > max) {
    throw new ProtocolViolationError(
      `${name} must have ${min === max ? min : `${min} to ${max}`} fields after its type`,
    )
  }
  for (let i = 1; i < message.length; i++) {
    const field = layout.fields[i - 1]!
    if (!checks[field](message[i])) {
      throw new ProtocolViolationError(`${name}: ${layout.names[i - 1]} must be ${describe(field)}`)
    }
  }
  return message as RouterToClientMessage
}

function describe(field: FieldCheck): string {
  switch (field) {
    case 'id':
      return 'an integer in [1, 2^53]'
    case 'id0':
      return 'an integer in [0, 2^53]'
    case 'int':
      return 'an integer'
    case 'dict':
    case 'kwargs':
      return 'a dictionary'
    case 'string':
      return 'a string'
    case 'args':
      return 'a list'
  }
}

export { isDict }
