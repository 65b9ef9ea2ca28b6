import { SerializationError } from '../protocol/errors.js'

const MAX_DEPTH = 256

/**
 * Walks a message before it is encoded: rejects what a WAMP payload cannot carry, naming
 * where it sits (e.g. `args[1].when`), and reports whether any bytes are present.
 */
export function inspectPayload(value: unknown, path: string, allowBigInt: boolean, depth = 0): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return false
    case 'number':
      if (!Number.isFinite(value)) throw new SerializationError(`${path} is ${value}, which WAMP cannot carry`)
      return false
    case 'bigint':
      if (allowBigInt) return false
      throw new SerializationError(`${path} is a BigInt, which JSON cannot carry; use a number or msgpack`)
    case 'function':
    case 'symbol':
      throw new SerializationError(`${path} is a ${typeof value}, which cannot be serialized`)
  }
  if (value === null) return false
  if (value instanceof Uint8Array) return true
  if (depth >= MAX_DEPTH) throw new SerializationError(`${path} is nested too deeply (or refers to itself)`)
  if (Array.isArray(value)) {
    let binary = false
    for (let i = 0; i < value.length; i++) {
      if (inspectPayload(value[i], `${path}[${i}]`, allowBigInt, depth + 1)) binary = true
    }
    return binary
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    throw new SerializationError(`${path} is a ${value.constructor.name}; send binary data as a Uint8Array`)
  }
  if (value instanceof Map || value instanceof Set || value instanceof Promise) {
    throw new SerializationError(`${path} is a ${value.constructor.name}, which cannot be serialized`)
  }
  let binary = false
  for (const key in value as Record<string, unknown>) {
    if (inspectPayload((value as Record<string, unknown>)[key], `${path}.${key}`, allowBigInt, depth + 1)) binary = true
  }
  return binary
}

/** Walks a whole message; error paths name its parts (`args[0].x`, `kwargs.y`, `field 2`). */
export function inspectMessage(message: readonly unknown[], allowBigInt: boolean): boolean {
  const args = payloadIndex[message[0] as number] ?? -1
  let binary = false
  for (let i = 1; i < message.length; i++) {
    const name = i === args ? 'args' : i === args + 1 ? 'kwargs' : `field ${i}`
    if (inspectPayload(message[i], name, allowBigInt)) binary = true
  }
  return binary
}

/** Where Args sit in the messages that carry a payload (ABORT, ERROR, PUBLISH, EVENT, CALL, RESULT, INVOCATION, YIELD). */
const payloadIndex: Record<number, number> = { 3: 3, 8: 5, 16: 4, 36: 4, 48: 4, 50: 3, 68: 4, 70: 3 }
