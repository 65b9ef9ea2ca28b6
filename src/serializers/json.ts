import { SerializationError } from '../protocol/errors.js'
import { fromBase64, toBase64 } from './base64.js'
import { HAS_BIG_INTEGERS, HAS_BYTES, inspectMessage, mapLeaves } from './inspect.js'
import { parseWithBigInts, stringifyWithBigInts } from './json-bigint.js'
import type { Serializer } from './serializer.js'

/**
 * JSON with the spec's binary rule: a Uint8Array travels as a string holding a NUL
 * character followed by the bytes in base64, and such strings decode back to bytes.
 * Integers beyond ±2^53 decode as BigInt; a BigInt (within int64/uint64) encodes as its exact digits.
 */
export const jsonSerializer: Serializer = {
  name: 'json',
  subprotocol: 'wamp.2.json',
  rawSocketCode: 1,
  binary: false,
  encode(message) {
    const flags = inspectMessage(message, true)
    try {
      const value = flags & HAS_BYTES ? mapLeaves(message, bytesToString) : message
      return flags & HAS_BIG_INTEGERS ? stringifyWithBigInts(value) : JSON.stringify(value)
    } catch (error) {
      throw new SerializationError(`the message cannot be encoded as JSON: ${(error as Error).message}`, {
        cause: error,
      })
    }
  },
  decode(data) {
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data)
    const value: unknown = parseWithBigInts(text)
    // Only a payload with an escaped NUL can hold bytes; skip the walk otherwise.
    return text.includes('\\u0000') ? stringsToBytes(value) : value
  },
}

function bytesToString(value: unknown): unknown {
  return value instanceof Uint8Array ? `\0${toBase64(value)}` : value
}

function stringsToBytes(value: unknown): unknown {
  if (typeof value === 'string') return value.charCodeAt(0) === 0 ? bytesOrText(value) : value
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = stringsToBytes(value[i])
    return value
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    for (const key of Object.keys(record)) {
      const item = record[key]
      if (typeof item === 'object' || typeof item === 'string') {
        Object.defineProperty(record, key, {
          value: stringsToBytes(item),
          enumerable: true,
          writable: true,
          configurable: true,
        })
      }
    }
  }
  return value
}

/** A NUL-led string is bytes; one whose rest is not base64 stays text rather than sinking the frame. */
function bytesOrText(value: string): Uint8Array | string {
  try {
    return fromBase64(value.slice(1))
  } catch {
    return value
  }
}
