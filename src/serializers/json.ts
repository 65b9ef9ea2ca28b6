import { SerializationError } from '../protocol/errors.js'
import { fromBase64, toBase64 } from './base64.js'
import { HAS_BIG_INTEGERS, HAS_BYTES, HAS_TO_JSON, inspectMessage, mapLeaves } from './inspect.js'
import { parseWithBigInts, stringifyWithBigInts } from './json-bigint.js'
import type { Serializer } from './serializer.js'

/**
 * JSON with the spec's binary rule: a Uint8Array travels as a string holding a NUL
 * character followed by the bytes in base64, and such strings decode back to bytes.
 * An object with a `toJSON` method (a Date, …) travels as what `toJSON` returns, as with
 * JSON.stringify (a Date becomes its ISO string), whether or not the message carries bytes.
 * Integers beyond ±2^53 decode as BigInt; a BigInt (within int64/uint64) encodes as its exact digits.
 */
export const jsonSerializer: Serializer = {
  name: 'json',
  subprotocol: 'wamp.2.json',
  rawSocketCode: 1,
  binary: false,
  encode(message) {
    let value: unknown[] = message as unknown[]
    let flags = inspectMessage(message, true)
    try {
      if (flags & HAS_TO_JSON) {
        // Only messages with toJSON objects pay for this copy; what toJSON returns is checked too.
        value = resolveToJson(message, '') as unknown[]
        flags = inspectMessage(value, true)
      }
      const plain = flags & HAS_BYTES ? mapLeaves(value, bytesToString) : value
      return flags & HAS_BIG_INTEGERS ? stringifyWithBigInts(plain) : JSON.stringify(plain)
    } catch (error) {
      if (error instanceof SerializationError) throw error
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

/**
 * A copy in which every object with `toJSON` is replaced by `toJSON(key)`, as JSON.stringify
 * does (once per value; the result's own members are resolved in turn). Bytes stay bytes.
 */
function resolveToJson(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value
  const toJSON = (value as { toJSON?: unknown }).toJSON
  const resolved: unknown = typeof toJSON === 'function' ? toJSON.call(value, key) : value
  if (typeof resolved !== 'object' || resolved === null || resolved instanceof Uint8Array) return resolved
  if (Array.isArray(resolved)) return resolved.map((item, index) => resolveToJson(item, String(index)))
  const out: Record<string, unknown> = {}
  for (const [name, item] of Object.entries(resolved)) {
    Object.defineProperty(out, name, {
      value: resolveToJson(item, name),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return out
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
