// Bench only: the hand-written MsgPack codec that src/serializers used before issue 15 (git: 9dc9e4b,
// src/serializers/msgpack-codec.ts), kept to compare its CPU cost with @msgpack/msgpack.

/**
 * The MessagePack subset WAMP needs: nil, booleans, integers (BigInt too, as 64-bit), float64
 * (float32 on decode), str, bin, array, map, and the timestamp extension (-1) as Date.
 * Any other extension type is refused on decode.
 */

import { MAX_NESTING } from '../src/protocol/nesting.js'

/** A container deeper than this is refused on encode (the message is depth 0): MAX_NESTING levels in all. */
const MAX_ENCODE_DEPTH = MAX_NESTING - 1
/** A container at this depth is refused on decode (the message is depth 0): MAX_NESTING levels in all. */
const MAX_DECODE_DEPTH = MAX_NESTING
/** The encode buffer keeps up to this size between messages; a larger one is dropped after use. */
const KEEP_BYTES = 1 << 20
const TWO_32 = 2 ** 32

const textEncoder = new TextEncoder()
// ignoreBOM: a string that starts with U+FEFF must keep it.
const textDecoder = new TextDecoder('utf-8', { ignoreBOM: true })

// ---------------------------------------------------------------------------------------------
// Encoding: one growable buffer, reused; each message is copied out of it.

let out: Uint8Array = new Uint8Array(2048)
let outView: DataView = new DataView(out.buffer)
let at = 0

/**
 * Encodes a value as MessagePack. Integers within ±2^53 use the smallest int format, other
 * numbers float64; BigInt is written as int64/uint64; Uint8Array (and Buffer) as bin; Date as
 * the timestamp extension; `undefined` as nil; other objects as maps of their own enumerable keys.
 * @throws Error naming the value it cannot encode (function, symbol, non-finite number, Map,
 *   Set, Promise, ArrayBuffer, typed arrays other than Uint8Array, BigInt beyond 64 bits,
 *   invalid Date, nesting deeper than MAX_NESTING).
 */
export function encodeMsgPack(value: unknown): Uint8Array {
  // A getter that encodes again writes after this message and hands the space back: no state to save.
  const start = at
  try {
    write(value, 0)
    return out.slice(start, at)
  } finally {
    at = start
    if (start === 0 && out.length > KEEP_BYTES) setOut(new Uint8Array(2048))
  }
}

function setOut(bytes: Uint8Array): void {
  out = bytes
  outView = new DataView(bytes.buffer)
}

/** Makes room for `n` more bytes. */
function room(n: number): void {
  if (at + n > out.length) {
    const bigger = new Uint8Array(Math.max(out.length * 2, at + n))
    bigger.set(out.subarray(0, at))
    setOut(bigger)
  }
}

function refuse(what: string): never {
  throw new Error(`${what} cannot be encoded as MsgPack`)
}

/** Writes the low `width` bytes (1, 2, 4 or 8) of an integer within ±2^53, big-endian, two's complement. */
function bigEndian(value: number, width: number): void {
  if (width > 4) {
    bigEndian(Math.floor(value / TWO_32), 4)
    width = 4
  }
  // `>>>` takes any integer modulo 2^32; the Uint8Array store keeps the low 8 bits.
  for (let shift = width * 8 - 8; shift >= 0; shift -= 8) out[at++] = value >>> shift
}

/**
 * A str, bin, array or map header: `fix + n` below `fixLimit`, else `code` + 0, 1 or 2 and an 8-,
 * 16- or 32-bit length. Array and map (fixLimit 16) have no 8-bit form: their `code` is one below the 16-bit one.
 */
function header(n: number, fix: number, fixLimit: number, code: number): void {
  if (n < fixLimit) out[at++] = fix + n
  else {
    const k = n < 0x100 && fixLimit !== 16 ? 0 : n < 0x10000 ? 1 : 2
    out[at++] = code + k
    bigEndian(n, 1 << k)
  }
}

function write(value: unknown, depth: number) {
  room(9)
  switch (typeof value) {
    case 'string':
      return writeString(value)
    case 'number':
      return writeNumber(value)
    case 'boolean':
      out[at++] = value ? 0xc3 : 0xc2
      return
    case 'undefined':
      out[at++] = 0xc0
      return
    case 'bigint':
      // Out-of-range values would silently wrap in setBigUint64.
      if ((value < 0 ? BigInt.asIntN : BigInt.asUintN)(64, value) !== value)
        refuse(`the BigInt ${value} (beyond 64 bits)`)
      out[at++] = value < 0 ? 0xd3 : 0xcf
      outView.setBigUint64(at, BigInt.asUintN(64, value))
      at += 8
      return
    case 'object':
      if (value === null) {
        out[at++] = 0xc0
        return
      }
      if (value instanceof Uint8Array) {
        const n = value.length
        room(5 + n)
        header(n, 0, 0, 0xc4)
        out.set(value, at)
        at += n
        return
      }
      if (depth > MAX_ENCODE_DEPTH) refuse(`a value nested deeper than ${MAX_NESTING} levels (or circular)`)
      if (Array.isArray(value)) {
        const n = value.length
        header(n, 0x90, 16, 0xdb)
        for (let i = 0; i < n; i++) write(value[i], depth + 1)
        return
      }
      return writeObject(value as Record<string, unknown>, depth)
  }
  refuse(`a ${typeof value}`)
}

function writeNumber(value: number): void {
  if (!Number.isInteger(value) || Math.abs(value) > 2 ** 53) {
    if (!Number.isFinite(value)) refuse(String(value))
    out[at++] = 0xcb
    outView.setFloat64(at, value)
    at += 8
  } else if (value >= 0 ? value < 0x80 : value >= -32) {
    // A fixint: the byte is the value modulo 256.
    out[at++] = value
  } else {
    // A negative value fits `k` signed bytes when twice (-value - 1) fits them unsigned.
    const magnitude = value < 0 ? (-value - 1) * 2 : value
    const k = magnitude < 0x100 ? 0 : magnitude < 0x10000 ? 1 : magnitude < TWO_32 ? 2 : 3
    out[at++] = (value < 0 ? 0xd0 : 0xcc) + k
    bigEndian(value, 1 << k)
  }
}

function writeString(text: string): void {
  const n = text.length
  // UTF-16 units take at most 3 bytes each in UTF-8 (a surrogate pair: 4 bytes for 2 units).
  room(5 + 3 * n)
  if (n < 64) {
    // Short ASCII (most keys, URIs): copy char codes; the header is exact before the loop.
    let p = at + (n < 32 ? 1 : 2)
    for (let i = 0; i < n; i++) {
      const code = text.charCodeAt(i)
      if (code > 0x7f) {
        p = -1
        break
      }
      out[p++] = code
    }
    if (p >= 0) {
      header(n, 0xa0, 32, 0xd9)
      at = p
      return
    }
  }
  // Encode after a 5-byte gap, then close the gap to the header's real size.
  const length = textEncoder.encodeInto(text, out.subarray(at + 5)).written
  const size = length < 32 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 5
  out.copyWithin(at + size, at + 5, at + 5 + length)
  header(length, 0xa0, 32, 0xd9)
  at += length
}

function writeObject(value: Record<string, unknown>, depth: number) {
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) {
    if (value instanceof Date) return writeDate(value)
    if (
      ArrayBuffer.isView(value) ||
      value instanceof ArrayBuffer ||
      value instanceof Map ||
      value instanceof Set ||
      value instanceof Promise
    ) {
      refuse(`a ${value.constructor.name}`)
    }
  }
  // Own enumerable keys, as JSON.stringify and @msgpack/msgpack take them (never inherited ones).
  const keys = Object.keys(value)
  header(keys.length, 0x80, 16, 0xdd)
  for (const key of keys) {
    writeString(key)
    write(value[key], depth + 1)
  }
}

/** Date as the timestamp extension (-1): 32-bit seconds, 30-bit nanoseconds + 34-bit seconds, or 96-bit. */
function writeDate(date: Date): void {
  const ms = date.getTime()
  if (Number.isNaN(ms)) refuse('an invalid Date')
  const seconds = Math.floor(ms / 1000)
  const nanos = (ms - seconds * 1000) * 1e6
  room(15)
  if (!nanos && seconds >>> 0 === seconds) {
    out[at++] = 0xd6
    out[at++] = 0xff
  } else if (seconds >= 0 && seconds < 2 ** 34) {
    out[at++] = 0xd7
    out[at++] = 0xff
    bigEndian(nanos * 4 + Math.floor(seconds / TWO_32), 4)
  } else {
    out[at++] = 0xc7
    out[at++] = 12
    out[at++] = 0xff
    bigEndian(nanos, 4)
    bigEndian(Math.floor(seconds / TWO_32), 4)
  }
  bigEndian(seconds, 4)
}

// ---------------------------------------------------------------------------------------------
// Decoding: a walk over the frame's bytes.

const NO_BYTES = new Uint8Array(0)
let input: Uint8Array = NO_BYTES
let pos = 0
const cache: (string | undefined)[] = new Array(1024)
const scratch = new Uint8Array(8)
const scratchView = new DataView(scratch.buffer)

/**
 * Decodes one MessagePack value that fills the whole of `data` (a Uint8Array, Buffer or other
 * view, or an ArrayBuffer). Integers come back as numbers, those beyond ±2^53 as exact BigInts,
 * bin as plain Uint8Array copies, maps as plain objects with string keys (number keys become
 * their decimal text), the timestamp extension as Date.
 * @throws Error on truncated or malformed data, bytes after the value, a key that is neither
 *   string nor number or is `__proto__`, an extension type other than the timestamp, or
 *   nesting deeper than MAX_NESTING (1023) levels.
 */
export function decodeMsgPack(data: ArrayBufferView | ArrayBuffer): unknown {
  // A Buffer is a view into a shared pool: respect its offset, and hand out plain Uint8Arrays.
  input = ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data)
  pos = 0
  try {
    const value = read(0)
    if (pos < input.length) throw new Error(`${input.length - pos} byte(s) after the MsgPack value`)
    return value
  } finally {
    input = NO_BYTES
  }
}

/** Claims the next `n` bytes and returns where they start. */
function take(n: number): number {
  const start = pos
  if (n > input.length - start) {
    throw new Error(`truncated MsgPack data: ${n} more byte(s) needed at ${start} of ${input.length}`)
  }
  pos = start + n
  return start
}

/** A big-endian integer of `width` (1, 2, 4 or 8) bytes; 8-byte ones beyond 2^53 are rounded (lengths, timestamps). */
function readInt(width: number, signed?: boolean): number {
  // As high * 2^32 + low: one rounding, the value @msgpack/msgpack gave.
  if (width > 4) return readInt(4, signed) * TWO_32 + readInt(4)
  const start = take(width)
  let value = 0
  for (let i = start; i < pos; i++) value = value * 256 + input[i]!
  return signed && value >= 2 ** (width * 8 - 1) ? value - 2 ** (width * 8) : value
}

/** An int64/uint64: a number within ±2^53 (IDs are, and stay fast), else an exact BigInt. */
function readInt64(signed: boolean): number | bigint {
  const high = readInt(4, signed)
  const low = readInt(4)
  // |high| below 2^21 (or ±2^21 with low 0 above): the value is within ±2^53, exact as a number.
  if (high >= 0 ? high < 0x200000 || (high === 0x200000 && low === 0) : high >= -0x200000) {
    return high * TWO_32 + low
  }
  return (BigInt(high) << 32n) + BigInt(low)
}

function read(depth: number): unknown {
  const byte = input[take(1)]!
  if (byte < 0x80) return byte
  if (byte < 0x90) return readMap(byte - 0x80, depth)
  if (byte < 0xa0) return readArray(byte - 0x90, depth)
  if (byte < 0xc0) return readString(byte - 0xa0)
  if (byte >= 0xe0) return byte - 0x100
  if (byte === 0xc0) return null
  if (byte === 0xc1) throw new Error(`the byte 0xc1 at ${pos - 1} is never used in MsgPack`)
  if (byte < 0xc4) return byte === 0xc3
  if (byte < 0xc7) {
    const start = take(readInt(1 << (byte - 0xc4)))
    return input.slice(start, pos)
  }
  if (byte < 0xca) return readExt(readInt(1 << (byte - 0xc7)))
  if (byte < 0xcc) {
    // Copied to a scratch view: no DataView per frame.
    const width = byte === 0xca ? 4 : 8
    const start = take(width)
    for (let i = 0; i < width; i++) scratch[i] = input[start + i]!
    return width === 4 ? scratchView.getFloat32(0) : scratchView.getFloat64(0)
  }
  if (byte === 0xcf || byte === 0xd3) return readInt64(byte === 0xd3)
  if (byte < 0xd0) return readInt(1 << (byte - 0xcc))
  if (byte < 0xd4) return readInt(1 << (byte - 0xd0), true)
  if (byte < 0xd9) return readExt(1 << (byte - 0xd4))
  if (byte < 0xdc) return readString(readInt(1 << (byte - 0xd9)))
  // 0xdc-0xdf: array 16/32, map 16/32.
  const n = readInt(byte & 1 ? 4 : 2)
  return byte < 0xde ? readArray(n, depth) : readMap(n, depth)
}

function readString(n: number): string {
  const start = take(n)
  if (n < 16) {
    // Short ASCII (most keys and URIs) without a TextDecoder call, and the same keys again
    // without building a string: a 1-way cache by hash, checked byte for byte.
    let hash = n
    for (let i = start; i < pos; i++) {
      const code = input[i]!
      if (code > 0x7f) return textDecoder.decode(input.subarray(start, pos))
      hash = (hash * 31 + code) & 1023
    }
    const cached = cache[hash]
    if (cached !== undefined && cached.length === n) {
      let i = 0
      while (i < n && cached.charCodeAt(i) === input[start + i]) i++
      if (i === n) return cached
    }
    let text = ''
    for (let i = start; i < pos; i++) text += String.fromCharCode(input[i]!)
    cache[hash] = text
    return text
  }
  return textDecoder.decode(input.subarray(start, pos))
}

/** Refuses a container whose count cannot fit the bytes left (each item takes `itemSize`+) or that nests too deep. */
function checkContainer(n: number, itemSize: number, depth: number): void {
  if (n * itemSize > input.length - pos) take(n * itemSize)
  if (depth >= MAX_DECODE_DEPTH) throw new Error(`MsgPack data nested deeper than ${MAX_NESTING} levels`)
}

function readArray(n: number, depth: number): unknown[] {
  checkContainer(n, 1, depth)
  const items: unknown[] = new Array(n)
  for (let i = 0; i < n; i++) items[i] = read(depth + 1)
  return items
}

function readMap(n: number, depth: number): Record<string, unknown> {
  checkContainer(n, 2, depth)
  const map: Record<string, unknown> = {}
  for (let i = 0; i < n; i++) {
    const key = read(depth + 1)
    if (typeof key !== 'string' && typeof key !== 'number') {
      throw new Error(`a MsgPack map key must be a string or a number, not ${key === null ? 'nil' : typeof key}`)
    }
    // Assigning __proto__ would replace the object's prototype.
    if (key === '__proto__') throw new Error('The key __proto__ is not allowed in a MsgPack map')
    map[key] = read(depth + 1)
  }
  return map
}

/** Only the timestamp extension (-1) is understood: 32-bit, 64-bit and 96-bit forms, as a Date. */
function readExt(n: number): Date {
  const type = readInt(1, true)
  if (type !== -1) throw new Error(`the MsgPack extension type ${type} is not supported`)
  if (n !== 4 && n !== 8 && n !== 12) throw new Error(`a MsgPack timestamp of ${n} bytes (expected 4, 8 or 12)`)
  let nanos = n > 4 ? readInt(4) : 0
  let seconds: number
  if (n === 8) {
    seconds = (nanos & 3) * TWO_32 + readInt(4)
    nanos >>>= 2
  } else seconds = n === 4 ? readInt(4) : readInt(8, true)
  return new Date(seconds * 1000 + nanos / 1e6)
}
