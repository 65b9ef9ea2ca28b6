import { Decoder, Encoder } from '@msgpack/msgpack'
import { SerializationError } from '../protocol/errors.js'
import { HAS_WIDE_INTEGERS, inspectMessage, isWideInteger, mapLeaves } from './inspect.js'
import type { Serializer } from './serializer.js'

// useBigInt64 off when decoding: 53-bit IDs must come back as numbers, never BigInt.
const encoder = new Encoder({ useBigInt64: true })
const decoder = new Decoder({ useBigInt64: false })

/** MessagePack (spec v5: str and bin are distinct; bytes are Uint8Array). */
export const msgpackSerializer: Serializer = {
  name: 'msgpack',
  subprotocol: 'wamp.2.msgpack',
  rawSocketCode: 2,
  binary: true,
  encode(message) {
    // The encoder writes wide integers as float64 unless they are BigInt; IDs must stay integers.
    const wide = inspectMessage(message, false) & HAS_WIDE_INTEGERS
    try {
      return encoder.encode(wide ? mapLeaves(message, widen) : message)
    } catch (error) {
      throw new SerializationError(`the message cannot be encoded as MsgPack: ${(error as Error).message}`, {
        cause: error,
      })
    }
  },
  decode(data) {
    if (typeof data === 'string') throw new Error('a MsgPack frame must be binary, not text')
    return decoder.decode(data)
  },
}

function widen(value: unknown): unknown {
  return typeof value === 'number' && isWideInteger(value) ? BigInt(value) : value
}
