/**
 * The MsgPack wire (src/serializers/msgpack.ts over @msgpack/msgpack): exact bytes at every format
 * boundary, UTF-8, input views, malformed input, and the plain library (what the serializer wrote
 * before our options) as an oracle. These bytes are the ones the hand-written codec of issue 16 wrote.
 */

import { isDeepStrictEqual } from 'node:util'
import { Decoder, Encoder } from '@msgpack/msgpack'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SerializationError } from '../../src/protocol/errors.js'
import { isWideInteger, mapLeaves } from '../../src/serializers/inspect.js'
import { msgpackSerializer as msgpack } from '../../src/serializers/msgpack.js'
import { fromHex, thrown, toHex } from './vectors.js'

/** The bytes of one value, encoded as a payload field of a message (`[0, value]`, prefix 92 00). */
const hex = (value: unknown) => toHex(msgpack.encode([0, value])).slice(4)
const encode = (value: unknown) => fromHex(hex(value))
const decode = (bytes: Uint8Array | ArrayBuffer | DataView) => msgpack.decode(bytes as Uint8Array)
const unhex = (text: string) => decode(fromHex(text.replaceAll(' ', '')))

/** The plain library as the serializer used it before issue 16: integers beyond 32 bits as BigInt. */
const oracleEncoder = new Encoder({ useBigInt64: true })
const oracleEncode = (value: unknown) =>
  oracleEncoder.encode(
    mapLeaves(value, (leaf) => (typeof leaf === 'number' && isWideInteger(leaf) ? BigInt(leaf) : leaf)),
  )
const oracleDecoder = new Decoder({ useBigInt64: true })
/** @msgpack/msgpack's reading, with 64-bit integers within ±2^53 as numbers (ours: BigInt only beyond). */
const oracleDecode = (bytes: Uint8Array) => smallBigIntsAsNumbers(oracleDecoder.decode(bytes))
function smallBigIntsAsNumbers(value: unknown): unknown {
  if (typeof value === 'bigint') return value >= -(2n ** 53n) && value <= 2n ** 53n ? Number(value) : value
  if (Array.isArray(value)) return value.map(smallBigIntsAsNumbers)
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, { value: smallBigIntsAsNumbers(item), enumerable: true, writable: true })
    }
    return out
  }
  return value
}

describe('MsgPack wire: integers', () => {
  it.each([
    [0, '00'],
    [127, '7f'],
    [128, 'cc80'],
    [255, 'ccff'],
    [256, 'cd0100'],
    [65535, 'cdffff'],
    [65536, 'ce00010000'],
    [2 ** 32 - 1, 'ceffffffff'],
    [2 ** 32, 'cf0000000100000000'],
    [2 ** 53 - 1, 'cf001fffffffffffff'],
    [2 ** 53, 'cf0020000000000000'],
    [-1, 'ff'],
    [-32, 'e0'],
    [-33, 'd0df'],
    [-128, 'd080'],
    [-129, 'd1ff7f'],
    [-32768, 'd18000'],
    [-32769, 'd2ffff7fff'],
    [-(2 ** 31), 'd280000000'],
    [-(2 ** 31) - 1, 'd3ffffffff7fffffff'],
    [-(2 ** 32), 'd3ffffffff00000000'],
    [-(2 ** 53), 'd3ffe0000000000000'],
  ])('encodes %d as %s, which decodes back', (value, bytes) => {
    expect(hex(value)).toBe(bytes)
    expect(unhex(bytes)).toBe(value)
  })

  it('writes -0 as the integer 0, as @msgpack/msgpack did', () => {
    expect(hex(-0)).toBe('00')
  })

  it.each([
    [1.5, 'cb3ff8000000000000'],
    [2 ** 53 + 2, 'cb4340000000000001'],
    [-(2 ** 53) - 2, 'cbc340000000000001'],
    [2 ** 64, 'cb43f0000000000000'],
    [Number.MIN_VALUE, 'cb0000000000000001'],
  ])('encodes %d, not an integer within ±2^53, as float64 %s', (value, bytes) => {
    expect(hex(value)).toBe(bytes)
    expect(unhex(bytes)).toBe(value)
  })

  it.each([
    ['ca3fc00000', 1.5],
    ['cc00', 0],
    ['cd0001', 1],
    ['ce00000001', 1],
    ['cf0000000000000001', 1],
    ['d0ff', -1],
    ['d1ffff', -1],
    ['d2ffffffff', -1],
    ['d3ffffffffffffffff', -1],
    ['d07f', 127],
    ['d17fff', 32767],
    ['d27fffffff', 2 ** 31 - 1],
    ['cf0020000000000000', 2 ** 53],
    ['d3ffe0000000000000', -(2 ** 53)],
    // Beyond ±2^53: exact BigInts (issue 16), never rounded.
    ['d37fffffffffffffff', 2n ** 63n - 1n],
    ['d38000000000000000', -(2n ** 63n)],
    ['d3ffdfffffffffffff', -(2n ** 53n) - 1n],
    ['cfffffffffffffffff', 2n ** 64n - 1n],
    ['cf0020000000000001', 2n ** 53n + 1n],
    ['cf0020000000000003', 2n ** 53n + 3n],
  ])('decodes %s as %s', (bytes, value) => {
    expect(unhex(bytes)).toBe(value)
    expect(unhex(bytes)).toBe(oracleDecode(fromHex(bytes)))
  })

  it.each([
    [0n, 'cf0000000000000000'],
    [2n ** 64n - 1n, 'cfffffffffffffffff'],
    [-1n, 'd3ffffffffffffffff'],
    [-(2n ** 63n), 'd38000000000000000'],
  ])('encodes the BigInt %s as %s', (value, bytes) => {
    expect(hex(value)).toBe(bytes)
  })

  it.each([2n ** 64n, -(2n ** 63n) - 1n])('refuses the BigInt %s, beyond 64 bits, naming it', (value) => {
    const error = thrown(() => msgpack.encode([70, 1, {}, [value]]))
    expect(error).toBeInstanceOf(SerializationError)
    expect(error.message).toMatch(/^args\[0\] is a BigInt beyond 64 bits/)
  })
})

describe('MsgPack wire: str, bin, array and map headers', () => {
  it.each([
    [0, 'a0'],
    [31, 'bf'],
    [32, 'd920'],
    [63, 'd93f'],
    [64, 'd940'],
    [255, 'd9ff'],
    [256, 'da0100'],
    [65535, 'daffff'],
    [65536, 'db00010000'],
  ])('an ASCII string of %d bytes starts with %s', (length, head) => {
    const text = 'abcdefghij'.repeat(6554).slice(0, length)
    const bytes = encode(text)
    expect(toHex(bytes.subarray(0, head.length / 2))).toBe(head)
    expect(bytes.length).toBe(head.length / 2 + length)
    expect(decode(bytes)).toBe(text)
  })

  // The name, then the header, then the text: titles print the first two only (the text can be 64 KiB).
  it.each([
    ['é × 15', 'be', 'é'.repeat(15)],
    ['é × 15 + a', 'bf', `${'é'.repeat(15)}a`],
    ['é × 16', 'd920', 'é'.repeat(16)],
    ['€ × 85', 'd9ff', '€'.repeat(85)],
    ['€ × 85 + a', 'da0100', `${'€'.repeat(85)}a`],
    ['€ × 21845', 'daffff', '€'.repeat(21845)],
    ['€ × 21845 + a', 'db00010000', `${'€'.repeat(21845)}a`],
  ])('the non-ASCII string %s has its UTF-8 length in its header %s', (_, head, text) => {
    const bytes = encode(text)
    expect(toHex(bytes.subarray(0, head.length / 2))).toBe(head)
    expect(bytes.subarray(head.length / 2)).toEqual(new TextEncoder().encode(text))
    expect(decode(bytes)).toBe(text)
    expect(bytes).toEqual(oracleEncode(text))
  })

  it.each([
    [0, 'c400'],
    [255, 'c4ff'],
    [256, 'c50100'],
    [65535, 'c5ffff'],
    [65536, 'c600010000'],
  ])('bytes of length %d start with %s', (length, head) => {
    const bytes = new Uint8Array(length).map((_, i) => i * 7)
    const encoded = encode(bytes)
    expect(toHex(encoded.subarray(0, head.length / 2))).toBe(head)
    expect(encoded.subarray(head.length / 2)).toEqual(bytes)
    const decoded = decode(encoded) as Uint8Array
    expect(decoded).toEqual(bytes)
    expect(Object.getPrototypeOf(decoded)).toBe(Uint8Array.prototype)
  })

  it.each([
    [0, '90'],
    [15, '9f'],
    [16, 'dc0010'],
    [65535, 'dcffff'],
    [65536, 'dd00010000'],
  ])('an array of %d items starts with %s', (length, head) => {
    const items = Array.from({ length }, (_, i) => i % 100)
    const encoded = encode(items)
    expect(toHex(encoded.subarray(0, head.length / 2))).toBe(head)
    expect(encoded).toEqual(oracleEncode(items))
    expect(decode(encoded)).toEqual(items)
  })

  it.each([
    [0, '80'],
    [15, '8f'],
    [16, 'de0010'],
    [65535, 'deffff'],
    [65536, 'df00010000'],
  ])('a map of %d entries starts with %s', (size, head) => {
    const map = Object.fromEntries(Array.from({ length: size }, (_, i) => [`k${i}`, i % 3 ? 'v' : [i]]))
    const encoded = encode([1, map, 'after'])
    expect(toHex(encoded.subarray(2, 2 + head.length / 2))).toBe(head)
    expect(encoded).toEqual(oracleEncode([1, map, 'after']))
    expect(decode(encoded)).toEqual([1, map, 'after'])
  })

  it('writes nil, booleans, and undefined as nil (in arrays and maps), as before', () => {
    expect(hex([null, true, false, undefined])).toBe('94c0c3c2c0')
    expect(hex({ a: undefined })).toBe('81a161c0')
    // biome-ignore lint/suspicious/noSparseArray: a hole is written as nil
    expect(hex([1, , 2])).toBe('9301c002')
  })

  it('writes a Buffer as bin and any object as a map of its enumerable keys', () => {
    expect(hex(Buffer.from('ab'))).toBe('c4026162')
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    expect(hex(new Point(1, 2))).toBe('82a17801a17902')
    expect(hex(Object.create(null))).toBe('80')
    // Own keys only: an enumerable key inherited (say, from a polluted prototype) is not sent.
    expect(hex(Object.assign(Object.create({ inherited: 1 }), { own: 2 }))).toBe('81a36f776e02')
  })
})

describe('MsgPack wire: UTF-8', () => {
  it.each([
    ['ASCII', 'com.example.procedure'],
    ['two-byte', 'Grüße, Zoë'],
    ['three-byte', '日本語のテキスト€'],
    ['four-byte (surrogate pairs)', '𝄞 music 😀 emoji'],
    ['a leading byte-order mark', '\ufeffkept'],
    ['NUL and controls', '\0\u0001\u007f'],
    ['long mixed', `${'a'.repeat(100)}é${'😀'.repeat(40)}`],
  ])('%s text is written as TextEncoder writes it and read back', (_, text) => {
    const bytes = encode(text)
    const utf8 = new TextEncoder().encode(text)
    expect(bytes.subarray(bytes.length - utf8.length)).toEqual(utf8)
    expect(decode(bytes)).toBe(text)
    expect(oracleDecode(bytes)).toBe(text)
  })

  it.each([
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate', 'x\udc00y'],
    ['a reversed pair', '\ude00\ud83d'],
    ['a lone surrogate in long text', `${'a'.repeat(70)}\ud800`],
  ])('%s becomes U+FFFD, as TextEncoder writes it', (_, text) => {
    const bytes = encode(text)
    const utf8 = new TextEncoder().encode(text)
    expect(bytes.subarray(bytes.length - utf8.length)).toEqual(utf8)
    expect(decode(bytes)).toBe(new TextDecoder().decode(utf8))
  })

  // @msgpack/msgpack alone reads strings of up to 200 bytes byte by byte (a stray byte becomes the
  // character of the same number): msgpack.ts reads those again strictly, so every length gets U+FFFD,
  // as TextDecoder gives, in values and in map keys. It never throws and never desyncs.
  it('reads invalid UTF-8 as U+FFFD in short and long strings, values and keys, without throwing', () => {
    expect(unhex('a3 61ff62')).toBe('a\ufffdb')
    expect(unhex('93 a3 61ff62 a161 01')).toEqual(['a\ufffdb', 'a', 1])
    expect(unhex('81 a3 61ff62 01')).toEqual({ 'a\ufffdb': 1 })
    // Valid multi-byte text is untouched: é (c3 a9) and € (e2 82 ac).
    expect(unhex('a5 c3a9e282ac')).toBe('é€')
    const long = new Uint8Array([0xd9, 240, ...new Uint8Array(239).fill(0x61), 0xe2])
    expect(decode(long)).toBe(`${'a'.repeat(239)}\ufffd`)
  })
})

describe('MsgPack wire: Date (the timestamp extension -1, as @msgpack/msgpack wrote and read it)', () => {
  it.each([
    [0, 'd6ff00000000'],
    [1000 * (2 ** 32 - 1), 'd6ffffffffff'],
    [1, 'd7ff003d090000000000'],
    [1000 * 2 ** 32, 'd7ff0000000100000000'],
    [-1, 'c70cff3b8b87c0ffffffffffffffff'],
    [1000 * 2 ** 34, 'c70cff000000000000000400000000'],
    [Date.UTC(2030, 0, 2, 3, 4, 5, 678), undefined],
    [-Date.UTC(3000, 0, 1), undefined],
  ])('writes the Date at %d ms as the oracle does and reads it back', (ms, bytes) => {
    const date = new Date(ms)
    const encoded = encode(date)
    expect(encoded).toEqual(oracleEncoder.encode(date))
    if (bytes) expect(toHex(encoded)).toBe(bytes)
    expect(decode(encoded)).toEqual(date)
  })

  it('refuses an invalid Date', () => {
    expect(() => msgpack.encode([70, 1, {}, [new Date(Number.NaN)]])).toThrow(
      /^the message cannot be encoded as MsgPack: an invalid Date/,
    )
  })

  it('refuses any other extension type, naming it', () => {
    expect(() => unhex('d40500')).toThrow('the MsgPack extension type 5 is not supported')
    expect(() => unhex('c70180 00')).toThrow('the MsgPack extension type -128 is not supported')
    expect(() => unhex('d5ff0000')).toThrow('Unrecognized data size for timestamp (expected 4, 8, or 12): 2')
  })
})

describe('MsgPack wire: input', () => {
  const frame = '94 2e 01 80 93 a26869 c40201ff 81a16bcb3ff8000000000000'.replaceAll(' ', '')
  const message = [46, 1, {}, ['hi', Uint8Array.of(1, 255), { k: 1.5 }]]

  it('reads a Buffer at a nonzero offset of a larger pool, and returns bytes as plain copies', () => {
    const pool = Buffer.alloc(64, 0xc1)
    const bytes = Buffer.from(frame, 'hex')
    bytes.copy(pool, 13)
    const view = pool.subarray(13, 13 + bytes.length)
    expect(view.byteOffset).toBe(13)
    const decoded = decode(view) as [number, number, object, [string, Uint8Array, object]]
    expect(decoded).toEqual(message)
    expect(Object.getPrototypeOf(decoded[3][1])).toBe(Uint8Array.prototype)
    pool.fill(0)
    expect(decoded[3][1]).toEqual(Uint8Array.of(1, 255))
  })

  it('reads an ArrayBuffer and a view of another type', () => {
    const bytes = fromHex(frame)
    expect(decode(bytes.slice().buffer)).toEqual(message)
    const padded = new Uint8Array(bytes.length + 8)
    padded.set(bytes, 8)
    expect(decode(new DataView(padded.buffer, 8))).toEqual(message)
  })

  it('returns each message in its own buffer, untouched by later messages', () => {
    const first = encode(['first', 1])
    const second = encode(['second', 2])
    expect(first.buffer).not.toBe(second.buffer)
    expect(decode(first)).toEqual(['first', 1])
    expect(first.byteOffset).toBe(0)
    expect(first.buffer.byteLength).toBe(first.length)
  })

  it('grows for a large message and still encodes small ones after', () => {
    const big = ['x'.repeat(1_500_000), new Uint8Array(1_000_000).fill(7)]
    const [text, bytes] = decode(encode(big)) as [string, Uint8Array]
    expect(text === big[0]).toBe(true)
    expect(Buffer.compare(bytes, big[1] as Uint8Array)).toBe(0)
    expect(hex([1, 'a'])).toBe('9201a161')
  })

  it('encodes a message whose getter encodes another one', () => {
    const payload = {
      get inner() {
        return toHex(encode(['nested', 2 ** 40]))
      },
    }
    const outer = decode(encode([1, payload, 'tail'])) as [number, { inner: string }, string]
    expect(outer).toEqual([1, { inner: toHex(oracleEncode(['nested', 2 ** 40])) }, 'tail'])
  })
})

describe('MsgPack wire: nesting on encode', () => {
  const nested = (levels: number): unknown => (levels === 0 ? 'leaf' : [nested(levels - 1)])

  it('encodes a payload nested as deep as inspectMessage allows, and refuses one level more naming where', () => {
    // MAX_NESTING: 1023 levels in all; the message is level 1 and its args level 2.
    const deepest = [70, 1, {}, [nested(1021)]]
    expect(unhex(toHex(msgpack.encode(deepest)))).toEqual(deepest)
    const error = thrown(() => msgpack.encode([70, 1, {}, [nested(1022)]]))
    expect(error).toBeInstanceOf(SerializationError)
    expect(error.message).toMatch(/^args\[0\](\[0\])+ is nested too deeply/)
  })
})

describe('MsgPack wire: malformed input', () => {
  const sample = [
    70,
    2 ** 53,
    { receive_progress: true, 'é€😀': -(2 ** 40) },
    ['text', 'x'.repeat(300), Uint8Array.of(1, 2, 3), 1.5, -1, null, [[]], new Date(1)],
  ]

  it('throws "truncated" when the data is cut at any byte', () => {
    const bytes = encode(sample)
    expect(decode(bytes)).toEqual(sample)
    for (let cut = 0; cut < bytes.length; cut++) {
      expect(() => decode(bytes.subarray(0, cut)), `cut at ${cut}`).toThrow(/^truncated MsgPack data/)
    }
  })

  it('throws on bytes after the value', () => {
    expect(() => unhex('910100')).toThrow('Extra 1 of 3 byte(s) found at buffer[2]')
  })

  it('throws on the never-used byte 0xc1', () => {
    expect(() => unhex('92 01 c1')).toThrow('Unrecognized type byte: 0xc1')
  })

  it('refuses a huge count in a short frame without allocating for it', () => {
    expect(() => unhex('ddffffffff')).toThrow(/^truncated/)
    expect(() => unhex('dfffffffff 01')).toThrow(/^truncated/)
    expect(() => unhex('dbffffffff 61')).toThrow(/^truncated/)
    expect(() => unhex('c6ffffffff 61')).toThrow(/^truncated/)
  })

  it('reads 1023 levels of nesting (what the nexus router accepts) and refuses more', () => {
    const deep = (levels: number) => new Uint8Array([...new Uint8Array(levels).fill(0x91), 0xc0])
    expect(() => decode(deep(1023))).not.toThrow()
    expect(() => decode(deep(1024))).toThrow('MsgPack data nested deeper than 1023 levels')
    expect(() => decode(new Uint8Array(100_000).fill(0x81))).toThrow(/nested deeper|truncated/)
  })

  it('reads number keys as their decimal text, as @msgpack/msgpack did', () => {
    expect(unhex('83 01c0 ffc3 cb3ff8000000000000c2')).toEqual({ '1': null, '-1': true, '1.5': false })
    expect(unhex('83 01c0 ffc3 cb3ff8000000000000c2')).toEqual(oracleDecode(fromHex('8301c0ffc3cb3ff8000000000000c2')))
  })

  it.each([
    ['nil', '81 c0 01'],
    ['boolean', '81 c3 01'],
    ['object', '81 90 01'],
    ['object', '81 80 01'],
    ['object', '81 c40161 01'],
  ])('refuses a %s map key', (type, bytes) => {
    expect(() => unhex(bytes)).toThrow(`a MsgPack map key must be a string or a number, not ${type}`)
  })

  it('refuses a __proto__ key, also inside a nested map, without touching prototypes', () => {
    expect(() => unhex('81 a95f5f70726f746f5f5f 80')).toThrow('The key __proto__ is not allowed')
    expect(() => unhex('91 81 a161 81 a95f5f70726f746f5f5f 81 a170c3')).toThrow('The key __proto__ is not allowed')
    expect(Object.hasOwn(Object.prototype, 'p')).toBe(false)
  })

  it('leaves the message it encodes untouched (wide integers and lone surrogates are rewritten in a copy)', () => {
    const details = { big: 2 ** 40, text: 'x\ud800' }
    const message = [70, 1, details, [2 ** 33, 'ok', [-(2 ** 40)]]]
    const copy = structuredClone(message)
    const detailsHex = '82 a3626967 cf0000010000000000 a474657874 a478efbfbd'
    const argsHex = '93 cf0000000200000000 a26f6b 91 d3ffffff0000000000'
    expect(toHex(msgpack.encode(message))).toBe(`94 46 01 ${detailsHex} ${argsHex}`.replaceAll(' ', ''))
    expect(message).toEqual(copy)
    expect(message[2]).toBe(details)
  })

  it('decodes again after a failure', () => {
    expect(() => unhex('9301')).toThrow()
    expect(unhex('9201a161')).toEqual([1, 'a'])
  })
})

// ---------------------------------------------------------------------------------------------
// @msgpack/msgpack as the oracle.

const text = fc.string({ unit: 'binary', maxLength: 80 })
const integer = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 32 }),
  fc.maxSafeInteger(),
  fc.integer({ min: -2000, max: 70000 }),
  fc.constantFrom(
    2 ** 53,
    -(2 ** 53),
    2 ** 32,
    2 ** 32 - 1,
    -(2 ** 31) - 1,
    -33,
    -32,
    127,
    128,
    255,
    256,
    65535,
    65536,
  ),
)
const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 5 },
    fc.constant(null),
    fc.boolean(),
    integer,
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
    text,
    fc.uint8Array({ maxLength: 300 }),
    fc.array(tie('value'), { maxLength: 20 }),
    fc.dictionary(
      text.filter((k) => k !== '__proto__'),
      tie('value'),
      { maxKeys: 20 },
    ),
  ),
})).value

/** The value as it comes back: 64-bit integers within ±2^53 are numbers. */
const numbers = smallBigIntsAsNumbers

describe('MsgPack wire against @msgpack/msgpack', () => {
  it('writes the very bytes the serializer wrote before (smallest forms; wide integers as ints)', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(toHex(encode(v))).toBe(toHex(oracleEncode(v)))
      }),
      { numRuns: 500 },
    )
  })

  it('writes what @msgpack/msgpack reads, and reads what it writes, to the same values', () => {
    const plain = new Encoder()
    const float32 = new Encoder({ forceFloat32: true })
    const bigints = new Encoder({ useBigInt64: true })
    fc.assert(
      fc.property(value, fc.boolean(), (v, wide) => {
        const ours = encode(v)
        expect(oracleDecode(ours)).toEqual(decode(ours))
        expect(decode(ours)).toEqual(v)
        for (const encoder of [plain, float32]) {
          const theirs = encoder.encode(v)
          expect(decode(theirs)).toEqual(oracleDecode(theirs))
        }
        if (wide) {
          const withBigInts = mapLeaves(v, (leaf) =>
            typeof leaf === 'number' && Number.isInteger(leaf) && Math.abs(leaf) <= 2 ** 53 ? BigInt(leaf) : leaf,
          )
          const theirs = bigints.encode(withBigInts)
          expect(decode(theirs)).toEqual(v)
          expect(toHex(encode(withBigInts))).toBe(toHex(theirs))
          expect(decode(encode(withBigInts))).toEqual(numbers(withBigInts))
        }
      }),
      { numRuns: 500 },
    )
  })

  it('reads damaged data as @msgpack/msgpack does, or throws where it throws', () => {
    fc.assert(
      fc.property(value, fc.nat(), fc.nat(255), fc.constantFrom('cut', 'set', 'insert'), (v, at, byte, how) => {
        const bytes = encode(v)
        const i = at % bytes.length
        const damaged =
          how === 'cut'
            ? bytes.subarray(0, i)
            : how === 'set'
              ? bytes.map((b, j) => (j === i ? byte : b))
              : new Uint8Array([...bytes.subarray(0, i), byte, ...bytes.subarray(i)])
        let expected: unknown
        try {
          expected = oracleDecode(damaged)
        } catch {
          expect(() => decode(damaged)).toThrow()
          return
        }
        // Where the oracle reads an extension other than the timestamp (an ExtData) we refuse it.
        let actual: unknown
        try {
          actual = decode(damaged)
        } catch (error) {
          expect(String(error)).toMatch(/extension type/)
          return
        }
        // The same library reads it: the same values, but for strings whose invalid UTF-8 we read as U+FFFD.
        expect(equalButStrictUtf8(actual, expected)).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })
})

/** Deep equality where a string of ours may differ from the oracle's only by U+FFFD for invalid UTF-8. */
function equalButStrictUtf8(ours: unknown, oracle: unknown): boolean {
  if (typeof ours === 'string' && typeof oracle === 'string') {
    return ours === oracle || ours.includes('\ufffd')
  }
  if (Array.isArray(ours) && Array.isArray(oracle)) {
    return ours.length === oracle.length && ours.every((item, i) => equalButStrictUtf8(item, oracle[i]))
  }
  if (ours instanceof Map || oracle instanceof Map) return isDeepStrictEqual(ours, oracle)
  if (isPlain(ours) && isPlain(oracle)) {
    const a = Object.entries(ours)
    const b = Object.entries(oracle)
    return (
      a.length === b.length &&
      a.every(([key, value], i) => equalButStrictUtf8(key, b[i]![0]) && equalButStrictUtf8(value, b[i]![1]))
    )
  }
  return isDeepStrictEqual(ours, oracle)
}

function isPlain(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype
}
