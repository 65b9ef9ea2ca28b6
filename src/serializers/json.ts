import { SerializationError } from '../protocol/errors.js'
import { fromBase64, toBase64 } from './base64.js'
import { inspectMessage } from './inspect.js'
import type { Serializer } from './serializer.js'

/**
 * JSON with the spec's binary rule: a Uint8Array travels as a string holding a NUL
 * character followed by the bytes in base64, and such strings decode back to bytes.
 */
export const jsonSerializer: Serializer = {
  name: 'json',
  subprotocol: 'wamp.2.json',
  rawSocketCode: 1,
  binary: false,
  encode(message) {
    const binary = inspectMessage(message, false)
    try {
      return JSON.stringify(binary ? bytesToStrings(message) : message)
    } catch (error) {
      throw new SerializationError(`the message cannot be encoded as JSON: ${(error as Error).message}`, {
        cause: error,
      })
    }
  },
  decode(data) {
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data)
    const value: unknown = JSON.parse(text)
    // Only a payload with an escaped NUL can hold bytes; skip the walk otherwise.
    return text.includes('\\u0000') ? stringsToBytes(value) : value
  },
}

function bytesToStrings(value: unknown): unknown {
  if (value instanceof Uint8Array) return `\0${toBase64(value)}`
  if (Array.isArray(value)) return value.map(bytesToStrings)
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      // defineProperty keeps a key named __proto__ an own property, not a prototype change.
      Object.defineProperty(out, key, { value: bytesToStrings(item), enumerable: true, writable: true, configurable: true })
    }
    return out
  }
  return value
}

function stringsToBytes(value: unknown): unknown {
  if (typeof value === 'string') return value.charCodeAt(0) === 0 ? fromBase64(value.slice(1)) : value
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = stringsToBytes(value[i])
    return value
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    for (const key of Object.keys(record)) {
      const item = record[key]
      if (typeof item === 'object' || typeof item === 'string') {
        Object.defineProperty(record, key, { value: stringsToBytes(item), enumerable: true, writable: true, configurable: true })
      }
    }
  }
  return value
}
