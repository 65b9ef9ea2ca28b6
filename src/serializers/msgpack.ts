import { Decoder, Encoder } from '@msgpack/msgpack'
import { SerializationError } from '../protocol/errors.js'
import { MAX_NESTING } from '../protocol/nesting.js'
import { HAS_LONE_SURROGATES, HAS_WIDE_INTEGERS, inspectMessage } from './inspect.js'
import { mapKey, timestampOnly } from './msgpack-extensions.js'
import { prepareForEncoder, settleDecoded } from './msgpack-values.js'
import type { Serializer } from './serializer.js'

const ENCODER_OPTIONS = {
  // BigInt as int64/uint64. With it the library writes numbers beyond 32 bits as float64, so
  // prepareForEncoder turns those into BigInts first.
  useBigInt64: true,
  // A backstop: inspectMessage refuses deeper payloads first, naming where (leaves count one level more here).
  maxDepth: MAX_NESTING + 1,
  extensionCodec: timestampOnly,
} as const
/** The encoder's buffer grows to the largest message; past this size it is dropped after use. */
const KEEP_BYTES = 1 << 20

let encoder = new Encoder(ENCODER_OPTIONS)
const decoder = new Decoder({ useBigInt64: true, extensionCodec: timestampOnly, mapKeyConverter: mapKey })
strictUtf8(decoder)

/**
 * @msgpack/msgpack reads strings of up to 200 bytes with a lenient decoder of its own that turns a
 * stray byte into the character of the same number (61 ff 62 → "aÿb"): a value changed without a
 * word. Such a string is read again as TextDecoder reads every longer one, invalid sequences becoming
 * U+FFFD. The hook is the decoder's one string reader (a method it keeps private: test/serializers
 * pins this behaviour, so an upgrade that moves it fails there, not silently).
 */
function strictUtf8(target: Decoder): void {
  const reader = target as unknown as {
    bytes: Uint8Array
    pos: number
    decodeUtf8String(byteLength: number, headerOffset: number): string
  }
  const lenient = reader.decodeUtf8String
  if (typeof lenient !== 'function') throw new Error('@msgpack/msgpack: no string reader to make strict')
  // ignoreBOM: a leading U+FEFF is text here, as the library keeps it.
  const strict = new TextDecoder('utf-8', { ignoreBOM: true })
  reader.decodeUtf8String = function (byteLength, headerOffset) {
    const start = this.pos + headerOffset
    const text = lenient.call(this, byteLength, headerOffset)
    // Only a short string with a non-ASCII character can have been read leniently.
    return byteLength <= 200 && hasNonAscii(text) ? strict.decode(this.bytes.subarray(start, start + byteLength)) : text
  }
}

function hasNonAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return true
  return false
}

/**
 * MessagePack through @msgpack/msgpack (spec v5: str and bin are distinct; bytes are Uint8Array).
 * Integers use their smallest form; within ±2^53 they come back as numbers, int64/uint64 values
 * beyond as exact BigInts, and a BigInt goes out as int64/uint64. Date travels as the timestamp
 * extension; other extension types, `__proto__` keys and nesting beyond MAX_NESTING are refused.
 */
export const msgpackSerializer: Serializer = {
  name: 'msgpack',
  subprotocol: 'wamp.2.msgpack',
  rawSocketCode: 2,
  binary: true,
  encode(message) {
    // Throws a SerializationError naming what cannot travel (the library would write NaN, a Map…).
    const flags = inspectMessage(message, false)
    const value = flags & (HAS_WIDE_INTEGERS | HAS_LONE_SURROGATES) ? prepareForEncoder(message) : message
    try {
      const bytes = encoder.encode(value)
      if (bytes.length > KEEP_BYTES) encoder = new Encoder(ENCODER_OPTIONS)
      return bytes
    } catch (error) {
      throw new SerializationError(`the message cannot be encoded as MsgPack: ${(error as Error).message}`, {
        cause: error,
      })
    }
  },
  decode(data) {
    if (typeof data === 'string') throw new Error('a MsgPack frame must be binary, not text')
    // A plain Uint8Array over the frame (a Buffer's subarrays would be Buffers), honouring its offset.
    const view = data as ArrayBufferView | ArrayBuffer
    const bytes = ArrayBuffer.isView(view)
      ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
      : new Uint8Array(view)
    let value: unknown
    try {
      value = decoder.decode(bytes)
    } catch (error) {
      // The library says "Insufficient data" or names a DataView offset for a frame cut short.
      if (error instanceof RangeError && !error.message.startsWith('Extra')) {
        throw new Error(`truncated MsgPack data (${error.message})`, { cause: error })
      }
      throw error
    }
    return settleDecoded(value)
  },
}
