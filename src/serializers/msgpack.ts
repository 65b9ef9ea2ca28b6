import { SerializationError } from '../protocol/errors.js'
import { inspectMessage } from './inspect.js'
import { decodeMsgPack, encodeMsgPack } from './msgpack-codec.js'
import type { Serializer } from './serializer.js'

/**
 * MessagePack (spec v5: str and bin are distinct; bytes are Uint8Array). IDs and other integers
 * within ±2^53 go out as MsgPack ints and come back as numbers; int64/uint64 values beyond ±2^53
 * come back as exact BigInts, and a BigInt goes out as int64/uint64.
 */
export const msgpackSerializer: Serializer = {
  name: 'msgpack',
  subprotocol: 'wamp.2.msgpack',
  rawSocketCode: 2,
  binary: true,
  encode(message) {
    try {
      return encodeMsgPack(message)
    } catch (error) {
      // The encoder refuses all that inspectMessage refuses, so the payload is walked only to explain a failure.
      inspectMessage(message, false)
      throw new SerializationError(`the message cannot be encoded as MsgPack: ${(error as Error).message}`, {
        cause: error,
      })
    }
  },
  decode(data) {
    if (typeof data === 'string') throw new Error('a MsgPack frame must be binary, not text')
    return decodeMsgPack(data)
  },
}
