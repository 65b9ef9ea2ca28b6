import { type DecodeOptions, decode, type EncodeOptions, encode } from 'cborg'
import { SerializationError } from '../protocol/errors.js'
import { checkCborBounds } from './cbor-bounds.js'
import { narrowBigInts, tags, typeEncoders } from './cbor-values.js'
import { inspectMessage } from './inspect.js'
import type { Serializer } from './serializer.js'

const ENCODE_OPTIONS: EncodeOptions = { typeEncoders }

const DECODE_OPTIONS: DecodeOptions = {
  tags,
  // CBOR's `undefined` as null: WAMP payloads (JSON, MsgPack) have no undefined.
  coerceUndefinedToNull: true,
  // Integers beyond ±2^53 as exact BigInts (within 64 bits: the header cannot hold more).
  allowBigInt: true,
  // Last key wins, as with JSON and MsgPack.
  rejectDuplicateMapKeys: false,
}

/**
 * CBOR (RFC 8949) through cborg: text strings and byte strings are distinct (bytes are Uint8Array).
 * Integers use their smallest form up to 64 bits; within ±2^53 they come back as numbers, beyond as
 * exact BigInts, and a BigInt goes out as a 64-bit integer. A Date travels as tag 1 (epoch seconds);
 * tags 0 and 1 come back as Date, bignums within 64 bits (tags 2, 3) as integers, tag 64 as bytes.
 * Every other tag, map keys that are not text, simple values other than false/true/null/undefined
 * (undefined reads as null), nesting beyond MAX_NESTING and lengths the frame cannot hold are
 * refused with an error naming them. Invalid UTF-8 reads as U+FFFD, as TextDecoder reads it (and
 * as JSON and MsgPack read it); a `__proto__` key stays own data.
 */
export const cborSerializer: Serializer = {
  name: 'cbor',
  subprotocol: 'wamp.2.cbor',
  rawSocketCode: 3,
  binary: true,
  encode(message) {
    // Throws a SerializationError naming what cannot travel (NaN, a Map, a function, …).
    inspectMessage(message, false)
    let bytes: Uint8Array
    try {
      bytes = encode(message, ENCODE_OPTIONS)
    } catch (error) {
      throw new SerializationError(`the message cannot be encoded as CBOR: ${(error as Error).message}`, {
        cause: error,
      })
    }
    // In Node cborg hands out a Buffer (Buffer#slice shares memory, unlike Uint8Array#slice): a plain view.
    return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  },
  decode(data) {
    if (typeof data === 'string') throw new Error('a CBOR frame must be binary, not text')
    // A plain Uint8Array over the frame, honouring a view's offset.
    const view = data as ArrayBufferView | ArrayBuffer
    const bytes = ArrayBuffer.isView(view)
      ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
      : new Uint8Array(view)
    const wideIntegers = checkCborBounds(bytes)
    const value: unknown = decode(bytes, DECODE_OPTIONS)
    return wideIntegers ? narrowBigInts(value) : value
  },
}
