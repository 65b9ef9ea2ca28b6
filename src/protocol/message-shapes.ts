import { ProtocolViolationError } from './errors.js'
import { isId } from './ids.js'
import { messageName } from './message-types.js'
import type { Dict } from './messages.js'

/** A dictionary: a plain object, not a list or bytes. */
export const isDict = (v: unknown): v is Dict =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v)

/** `payload`: Arguments, or Autobahn's transparent payload (one binary value, with no ArgumentsKw after it). */
type Field = 'id' | 'id0' | 'int' | 'dict' | 'string' | 'args' | 'payload' | 'kwargs'

/** What a field of this kind must be, when `value` is not one; '' when it is. */
function misfit(kind: Field, value: unknown): string {
  switch (kind) {
    case 'id':
      return isId(value) ? '' : 'an integer in [1, 2^53]'
    case 'id0':
      // UNSUBSCRIBED/UNREGISTERED use request 0 when the router revokes on its own.
      return value === 0 || isId(value) ? '' : 'an integer in [0, 2^53]'
    case 'int':
      return Number.isInteger(value) ? '' : 'an integer'
    case 'string':
      return typeof value === 'string' ? '' : 'a string'
    case 'args':
      return Array.isArray(value) ? '' : 'a list'
    case 'payload':
      return Array.isArray(value) || value instanceof Uint8Array ? '' : 'a list (or one binary value)'
  }
  return isDict(value) ? '' : 'a dictionary'
}

/** The fields after a message's type code; the last `optional` ones may be absent. */
export interface MessageShape {
  fields: [name: string, kind: Field][]
  optional: number
}

/** A shape from a spec like `Request:id Options:dict Topic:string`. */
export function shape(spec: string, optional = 0): MessageShape {
  return { fields: spec.split(' ').map((part) => part.split(':') as [string, Field]), optional }
}

/**
 * Checks a decoded value against the shapes one side accepts; throws ProtocolViolationError
 * naming the first problem.
 */
export function checkShape<T>(raw: unknown, shapes: ReadonlyMap<number, MessageShape>, receiver: string): T {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new ProtocolViolationError('a WAMP message must be a non-empty list')
  }
  let message: unknown[] = raw
  const code = message[0]
  const layout = typeof code === 'number' ? shapes.get(code) : undefined
  if (!layout) throw new ProtocolViolationError(`a ${receiver} does not accept ${messageName(code)} messages`)
  const max = layout.fields.length
  const min = max - layout.optional
  if (message.length - 1 <= max) message = withoutNullPayload(message, layout)
  if (message.length - 1 < min || message.length - 1 > max) {
    throw new ProtocolViolationError(
      `${messageName(code)} must have ${min === max ? min : `${min} to ${max}`} fields after its type`,
    )
  }
  for (let i = 1; i < message.length; i++) {
    const [field, kind] = layout.fields[i - 1]!
    const wanted = misfit(kind, message[i])
    if (wanted) throw new ProtocolViolationError(`${messageName(code)}: ${field} must be ${wanted}`)
    // Bytes as Arguments (a transparent payload) stand alone: an ArgumentsKw after them is malformed.
    if (kind === 'payload' && message[i] instanceof Uint8Array && i < message.length - 1) {
      throw new ProtocolViolationError(`${messageName(code)}: a transparent payload comes without ArgumentsKw`)
    }
  }
  return message as T
}

const isPayload = (kind: Field | undefined): boolean => kind === 'args' || kind === 'payload' || kind === 'kwargs'

/**
 * A null Arguments or ArgumentsKw is an absent one (the nexus Go client sends `null` for nil
 * args beside kwargs). Returns a copy without trailing nulls and with `[]` for a null Arguments
 * before a real ArgumentsKw, so everything downstream (and everything our router relays) only
 * sees the strict form; the input is returned untouched when it has no such null.
 */
function withoutNullPayload(message: unknown[], layout: MessageShape): unknown[] {
  let end = message.length
  while (end > 1 && message[end - 1] === null && isPayload(layout.fields[end - 2]?.[1])) end--
  let copy: unknown[] | undefined = end < message.length ? message.slice(0, end) : undefined
  for (let i = 1; i < end; i++) {
    const kind = layout.fields[i - 1]?.[1]
    if (message[i] === null && (kind === 'args' || kind === 'payload')) {
      copy ??= message.slice()
      copy[i] = []
    }
  }
  return copy ?? message
}
