import {
  DecodeError,
  decodeTimestampExtension,
  EXT_TIMESTAMP,
  ExtData,
  type ExtensionCodecType,
  encodeTimestampExtension,
} from '@msgpack/msgpack'
import { narrowBigInt } from './msgpack-values.js'

/**
 * The only extension WAMP payloads use here: the timestamp (-1), as Date both ways. Any other
 * extension type is refused when decoding (the library's default would hand out an ExtData).
 */
export const timestampOnly: ExtensionCodecType<undefined> = {
  tryToEncode(object) {
    if (!(object instanceof Date)) return null
    // The library would write an invalid Date as a garbage timestamp.
    if (Number.isNaN(object.getTime())) throw new Error('an invalid Date cannot be encoded as MsgPack')
    return new ExtData(EXT_TIMESTAMP, encodeTimestampExtension(object)!)
  },
  decode(data, type) {
    if (type === EXT_TIMESTAMP) return decodeTimestampExtension(data)
    throw new DecodeError(`the MsgPack extension type ${type} is not supported`)
  },
}

/**
 * Map keys as plain-object keys: strings and numbers (their decimal text), int64 keys within
 * ±2^53 too (the decoder reads every int64 as a BigInt). The library refuses `__proto__` before this.
 */
export function mapKey(key: unknown): string | number {
  if (typeof key === 'string' || typeof key === 'number') return key
  const narrowed = typeof key === 'bigint' ? narrowBigInt(key) : key
  if (typeof narrowed === 'number') return narrowed
  throw new DecodeError(`a MsgPack map key must be a string or a number, not ${key === null ? 'nil' : typeof key}`)
}
