import { type TagDecoder, Token, Type, type TypeEncoder } from 'cborg'

const LIMIT = 2n ** 53n
/** Tag 1: a date as seconds since the epoch (RFC 8949, 3.4.2). */
const EPOCH_SECONDS = 1

/**
 * What cborg would otherwise write its own way: undefined as null (as MsgPack writes nil; CBOR's
 * `undefined` is a value most peers cannot map), ±2^53 as integers (cborg writes an integral number
 * beyond Number.MAX_SAFE_INTEGER as a float, and 2^53 is still a valid WAMP ID), and a Date as tag 1,
 * its epoch seconds (an integer when whole, else a float64: exact to the millisecond).
 */
export const typeEncoders: Record<string, TypeEncoder> = {
  undefined: () => [new Token(Type.null, null)],
  number: (value: number) =>
    value === 2 ** 53 ? [new Token(Type.uint, LIMIT)] : value === -(2 ** 53) ? [new Token(Type.negint, -LIMIT)] : null,
  Date: (value: Date) => {
    const ms = value.getTime()
    if (Number.isNaN(ms)) throw new Error('a Date is invalid (its time is NaN)')
    const seconds = ms / 1000
    const token = Number.isInteger(seconds)
      ? new Token(seconds < 0 ? Type.negint : Type.uint, seconds)
      : new Token(Type.float, seconds)
    return [new Token(Type.tag, EPOCH_SECONDS), token]
  },
}

/** A bignum's byte string (tags 2 and 3) as a BigInt, refused beyond what 64 bits hold. */
function bignum(content: unknown, tag: 2 | 3): number | bigint {
  if (!(content instanceof Uint8Array)) throw new Error(`CBOR tag ${tag} must hold a byte string`)
  let start = 0
  while (start < content.length && content[start] === 0) start++
  // Counted before any BigInt arithmetic, which would be quadratic in a long hostile string.
  if (content.length - start > 8) {
    throw new Error(`a CBOR bignum (tag ${tag}) beyond 64 bits, which WAMP peers cannot carry`)
  }
  let magnitude = 0n
  for (let i = start; i < content.length; i++) magnitude = (magnitude << 8n) | BigInt(content[i]!)
  return narrow(tag === 2 ? magnitude : -1n - magnitude)
}

/**
 * The tags read here; the decoder refuses every other tag, naming it. Dates (0 and 1) as Date.
 * Bignums (2, 3) within 64 bits as integers, as if written in the header (the `cbor` npm package,
 * which Autobahn|JS uses, writes every BigInt as one). Tag 64, bytes marked as a Uint8Array
 * (RFC 8746: how that package writes a Uint8Array that is not a Buffer), as bytes.
 */
export const tags: Record<number, TagDecoder> = {
  0: (decode) => {
    const text = decode()
    const date = typeof text === 'string' ? new Date(text) : undefined
    if (!date || Number.isNaN(date.getTime())) throw new Error('CBOR tag 0 must hold a valid date-time text')
    return date
  },
  1: (decode) => {
    const seconds = decode()
    const date = typeof seconds === 'number' ? new Date(Math.round(seconds * 1000)) : undefined
    if (!date || Number.isNaN(date.getTime())) {
      throw new Error('CBOR tag 1 must hold epoch seconds within the range of a Date')
    }
    return date
  },
  2: (decode) => bignum(decode(), 2),
  3: (decode) => bignum(decode(), 3),
  64: (decode) => {
    const bytes = decode()
    if (!(bytes instanceof Uint8Array)) throw new Error('CBOR tag 64 must hold a byte string')
    return bytes
  },
}

/**
 * After decoding, only when the data holds 8-byte integers: ±2^53 as numbers, as MsgPack gives
 * them (cborg hands out a BigInt beyond Number.MAX_SAFE_INTEGER; IDs reach 2^53). In place.
 */
export function narrowBigInts(value: unknown): unknown {
  if (typeof value === 'bigint') return narrow(value)
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array || value instanceof Date) return value
  const record = value as Record<string, unknown>
  for (const key of Object.keys(record)) {
    const item = record[key]
    if (typeof item === 'object' || typeof item === 'bigint') {
      const narrowed = narrowBigInts(item)
      if (narrowed !== item) record[key] = narrowed
    }
  }
  return value
}

/** A BigInt within ±2^53 as a number (IDs stay numbers); beyond, the exact BigInt. */
function narrow(value: bigint): number | bigint {
  return value >= -LIMIT && value <= LIMIT ? Number(value) : value
}
