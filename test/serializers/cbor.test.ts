import cbor from 'cbor'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SerializationError } from '../../src/protocol/errors.js'
import { MAX_NESTING } from '../../src/protocol/nesting.js'
import { cborSerializer } from '../../src/serializers/cbor.js'
import { jsonSerializer, loadSerializer } from '../../src/serializers/index.js'
import {
  expectPlainValues,
  fromHex,
  startsWithPath,
  thrown,
  toHex,
  unencodable,
  vectors,
  withBytes,
} from './vectors.js'

// The `cbor` npm package (what Autobahn|JS speaks) is the independent oracle here.
const encodeHex = (message: unknown[]) => toHex(cborSerializer.encode(message))
const unhex = (hex: string) => cborSerializer.decode(fromHex(hex.replaceAll(' ', '')))
const oracleDecode = (bytes: Uint8Array): unknown => plain(cbor.decodeFirstSync(Buffer.from(bytes)))

/** The oracle's Buffers as plain Uint8Arrays and BigInts within ±2^53 as numbers, as ours gives them. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return value >= -(2n ** 53n) && value <= 2n ** 53n ? Number(value) : value
  if (value instanceof Uint8Array) return new Uint8Array(value)
  if (Array.isArray(value)) return value.map(plain)
  if (value instanceof Date) return value
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]))
  }
  return value
}

describe('CBOR serializer', () => {
  it('describes the wamp.2.cbor wire format (RawSocket serializer 3)', () => {
    expect(cborSerializer).toMatchObject({ name: 'cbor', subprotocol: 'wamp.2.cbor', rawSocketCode: 3, binary: true })
  })

  it('is what loadSerializer returns for "cbor", and other names are refused', async () => {
    expect(await loadSerializer('cbor')).toBe(cborSerializer)
    expect(await loadSerializer()).toBe(jsonSerializer)
    await expect(loadSerializer('ubjson' as 'json')).rejects.toThrow('use "json", "msgpack" or "cbor"')
  })

  describe.each(vectors)('$name', (vector) => {
    const message = withBytes(vector.message) as unknown[]

    it('encodes what the oracle reads back as the message, and decodes it back', () => {
      const bytes = cborSerializer.encode(message) as Uint8Array
      expect(oracleDecode(bytes)).toEqual(message)
      const decoded = cborSerializer.decode(bytes)
      expect(decoded).toEqual(message)
      expectPlainValues(decoded)
    })

    it("decodes the oracle's encoding", () => {
      const decoded = cborSerializer.decode(new Uint8Array(cbor.encode(message)))
      expect(decoded).toEqual(message)
      expectPlainValues(decoded)
    })
  })
})

describe('CBOR integers and IDs', () => {
  // WAMP IDs are integers in [1, 2^53]: CBOR integers in the smallest header, never floats.
  it.each([
    [23, '17'],
    [24, '1818'],
    [2 ** 32 - 1, '1affffffff'],
    [2 ** 32, '1b0000000100000000'],
    [5512315355, '1b00000001488f41db'],
    [2 ** 53 - 1, '1b001fffffffffffff'],
    [2 ** 53, '1b0020000000000000'],
  ])('encodes the ID %d as %s', (id, hex) => {
    expect(encodeHex([34, 1, id])).toBe(`83 1822 01 ${hex}`.replaceAll(' ', ''))
  })

  it.each([
    [-1, '20'],
    [-(2 ** 31) - 1, '3a80000000'],
    [-(2 ** 53), '3b001fffffffffffff'],
  ])('encodes the payload integer %d as %s', (value, hex) => {
    expect(encodeHex([70, 1, {}, [value]])).toBe(`84 1846 01 a0 81 ${hex}`.replaceAll(' ', ''))
  })

  it.each([
    ['1b 0000000000000001', 1],
    ['1b 0020000000000000', 2 ** 53],
    ['3b 001fffffffffffff', -(2 ** 53)],
    ['c2 4100', 0],
    ['c2 48 0020000000000000', 2 ** 53],
    ['c3 4100', -1],
  ])('decodes %s as the number %d, never a BigInt', (hex, value) => {
    const decoded = unhex(`82 1823 ${hex}`) as unknown[]
    expect(decoded).toEqual([35, value])
    expect(typeof decoded[1]).toBe('number')
  })

  it('decodes integers beyond ±2^53 as exact BigInts and encodes BigInts as 64-bit integers', () => {
    expect(unhex('83 1b0020000000000001 1bffffffffffffffff 3bffffffffffffffff')).toEqual([
      2n ** 53n + 1n,
      2n ** 64n - 1n,
      -(2n ** 64n),
    ])
    expect(encodeHex([70, 1, {}, [2n ** 63n, -1n]])).toBe('841846 01 a0 82 1b8000000000000000 20'.replaceAll(' ', ''))
    // The `cbor` package (Autobahn|JS) writes a BigInt as a bignum tag even within 64 bits.
    expect(cborSerializer.decode(new Uint8Array(cbor.encode([2n ** 63n])))).toEqual([2n ** 63n])
  })

  it('refuses bignums beyond 64 bits, both ways, and reads leading zero bytes', () => {
    expect(() => unhex('81 c2 49 010000000000000000')).toThrow('a CBOR bignum (tag 2) beyond 64 bits')
    expect(() => unhex('81 c3 49 010000000000000000')).toThrow('a CBOR bignum (tag 3) beyond 64 bits')
    expect(unhex('81 c2 4a 0000 ffffffffffffffff')).toEqual([2n ** 64n - 1n])
    // A megabyte-long bignum is refused by its length, before any arithmetic on it.
    const huge = new Uint8Array([0x81, 0xc2, 0x5a, 0x00, 0x10, 0x00, 0x00, ...new Uint8Array(1 << 20).fill(0xff)])
    expect(() => cborSerializer.decode(huge)).toThrow('a CBOR bignum (tag 2) beyond 64 bits')
    expect(() => cborSerializer.encode([70, 1, {}, [2n ** 64n]])).toThrow(SerializationError)
  })

  it('writes numbers that are not integers as the smallest float that keeps them exact', () => {
    expect(encodeHex([70, 1, {}, [1.5, 0.1, 2 ** 60]])).toBe(
      '841846 01 a0 83 f93e00 fb3fb999999999999a fa5d800000'.replaceAll(' ', ''),
    )
  })
})

describe('CBOR text, bytes and other values', () => {
  it('encodes text as text strings and bytes (Uint8Array, Buffer) as byte strings', () => {
    expect(encodeHex([70, 1, {}, ['hi', Uint8Array.of(1, 2), new Uint8Array(0), Buffer.from('ab')]])).toBe(
      '841846 01 a0 84 626869 420102 40 426162'.replaceAll(' ', ''),
    )
  })

  it('decodes byte strings (and tag 64, a Uint8Array as the cbor package writes it) to plain copies of the frame', () => {
    const pool = Buffer.alloc(32, 0xff)
    Buffer.from('82 42 01ff d840 4102'.replaceAll(' ', ''), 'hex').copy(pool, 7)
    const decoded = cborSerializer.decode(pool.subarray(7, 15)) as Uint8Array[]
    expect(decoded).toEqual([Uint8Array.of(1, 255), Uint8Array.of(2)])
    expectPlainValues(decoded)
    pool.fill(0)
    expect(decoded[0]).toEqual(Uint8Array.of(1, 255))
  })

  it('writes undefined as null, as MsgPack writes nil, and reads CBOR undefined as null', () => {
    expect(encodeHex([70, 1, { a: undefined }, [undefined, null, true, false]])).toBe(
      '841846 01 a1 6161 f6 84 f6 f6 f5 f4'.replaceAll(' ', ''),
    )
    expect(unhex('82 f7 f6')).toEqual([null, null])
  })

  it('writes a Date as tag 1 epoch seconds, and reads tags 0 and 1 back as Date', () => {
    expect(encodeHex([70, 1, {}, [new Date(2000), new Date(1500), new Date(-1000)]])).toBe(
      '841846 01 a0 83 c102 c1f93e00 c120'.replaceAll(' ', ''),
    )
    const when = new Date('2026-12-04T23:12:14.123Z')
    expect(cborSerializer.decode(cborSerializer.encode([1, when]))).toEqual([1, when])
    expect(oracleDecode(cborSerializer.encode([1, when]) as Uint8Array)).toEqual([1, when])
    expect(unhex(`81 c0 78 18 ${Buffer.from('2026-12-04T23:12:14.123Z').toString('hex')}`)).toEqual([when])
    expect(() => unhex('81 c0 63 616263')).toThrow('CBOR tag 0 must hold a valid date-time text')
    expect(() => unhex('81 c1 63 616263')).toThrow('CBOR tag 1 must hold epoch seconds')
    expect(() => cborSerializer.encode([1, new Date(Number.NaN)])).toThrow(
      'the message cannot be encoded as CBOR: a Date is invalid',
    )
  })

  it('writes lone surrogates as U+FFFD, as TextEncoder does, and reads invalid UTF-8 as U+FFFD', () => {
    expect(encodeHex([1, 'x\ud800y'])).toBe('82 01 6578efbfbd79'.replaceAll(' ', ''))
    expect(unhex('82 63 61ff62 a1 63 61ff62 01')).toEqual(['a\ufffdb', { 'a\ufffdb': 1 }])
    expect(unhex('81 65 c3a9e282ac')).toEqual(['é€'])
  })

  it('writes any object as a map of its own enumerable keys', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    expect(encodeHex([1, new Point(1, 2)])).toBe('82 01 a2 617801 617902'.replaceAll(' ', ''))
  })

  it.each(unencodable)('refuses to encode %s, naming %s', (_, path, message) => {
    const error = thrown(() => cborSerializer.encode(message))
    expect(error).toBeInstanceOf(SerializationError)
    expect(error.message).toMatch(startsWithPath(path))
  })

  it('returns each message as a plain Uint8Array that later messages leave untouched', () => {
    const first = cborSerializer.encode(['first', 1]) as Uint8Array
    const copy = first.slice()
    const second = cborSerializer.encode(['second', 2]) as Uint8Array
    expect(Object.getPrototypeOf(first)).toBe(Uint8Array.prototype)
    expect(Object.getPrototypeOf(second)).toBe(Uint8Array.prototype)
    expect(first).toEqual(copy)
    expect(cborSerializer.decode(first)).toEqual(['first', 1])
    // slice() copies exactly the message (a Buffer's slice would be a view of its whole pool).
    expect(first.slice().buffer.byteLength).toBe(first.length)
  })
})

describe('CBOR decoding is bounded and strict', () => {
  it('refuses a text frame', () => {
    expect(() => cborSerializer.decode('[1]')).toThrow('a CBOR frame must be binary, not text')
  })

  it('throws "truncated" when the data is cut at any byte', () => {
    const sample = [
      70,
      2 ** 53,
      { receive_progress: true, 'é€😀': -(2 ** 40) },
      ['x'.repeat(300), Uint8Array.of(1), 1.5],
    ]
    const bytes = cborSerializer.encode(sample) as Uint8Array
    for (let cut = 0; cut < bytes.length; cut++) {
      expect(() => cborSerializer.decode(bytes.subarray(0, cut)), `cut at ${cut}`).toThrow(/^CBOR data: truncated/)
    }
  })

  it('refuses a length or count the frame cannot hold, without allocating for it', () => {
    expect(() => unhex('9b 0000000100000000 01')).toThrow(
      'CBOR data: truncated, an array of 4294967296 entries with 1 bytes left (at byte 0)',
    )
    expect(() => unhex('81 bb ffffffffffffffff')).toThrow('CBOR data: truncated, a map of')
    expect(() => unhex('81 5a ffffffff 61')).toThrow('CBOR data: truncated, a byte string of 4294967295 bytes')
    expect(() => unhex('81 7a 00000005 61')).toThrow('CBOR data: truncated, a text string of 5 bytes with 1 left')
  })

  it(`reads ${MAX_NESTING} levels of nesting and refuses more, also in a frame of nothing but arrays`, () => {
    const deep = (levels: number) => new Uint8Array([...new Uint8Array(levels).fill(0x81), 0xf6])
    expect(() => cborSerializer.decode(deep(MAX_NESTING))).not.toThrow()
    expect(() => cborSerializer.decode(deep(MAX_NESTING + 1))).toThrow(
      `CBOR data: nested deeper than ${MAX_NESTING} levels`,
    )
    expect(() => cborSerializer.decode(new Uint8Array(1_000_000).fill(0x9f))).toThrow('nested deeper')
    // A tag is a level too: a chain of them is refused before the decoder recurses into it.
    const tags = new Uint8Array(1_000_000).fill(0xc1)
    expect(() => cborSerializer.decode(tags)).toThrow(`CBOR data: nested deeper than ${MAX_NESTING} levels`)
    expect(unhex('82 c1 00 81 c1 00')).toEqual([new Date(0), [new Date(0)]])
  })

  it('reads indefinite-length arrays and maps, and refuses indefinite-length strings', () => {
    expect(unhex('9f 01 bf 6161 02 ff ff')).toEqual([1, { a: 2 }])
    expect(() => unhex('5f 4101 ff')).toThrow('an indefinite length in a byte string, which is not supported')
    expect(() => unhex('81 ff')).toThrow('a break outside an indefinite-length array or map')
  })

  it.each([
    ['bytes after the item', '8101 00', 'CBOR data: 1 bytes after the item (at byte 2)'],
    ['a reserved header value', '81 1c', 'CBOR data: a reserved header value (28) in an integer (at byte 1)'],
    ['an unknown tag, named', '81 d82a 01', 'tag not supported (42)'],
    ['a simple value', '81 f0', 'simple values are not supported'],
    ['a number map key', 'a1 01 02', 'non-string keys not supported (got number)'],
    ['a byte-string map key', 'a1 4161 02', 'non-string keys not supported'],
  ])('refuses %s', (_, hex, message) => {
    expect(() => unhex(hex)).toThrow(message)
  })

  it('keeps __proto__ and constructor keys as own data, touching no prototype', () => {
    const proto = Buffer.from('__proto__').toString('hex')
    const decoded = unhex(
      `82 a1 69${proto} a1 68 706f6c6c75746564 f5 a1 6b${Buffer.from('constructor').toString('hex')} a0`,
    ) as [Record<string, unknown>, Record<string, unknown>]
    expect(Object.getPrototypeOf(decoded[0])).toBe(Object.prototype)
    expect(Object.keys(decoded[0])).toEqual(['__proto__'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.keys(decoded[1])).toEqual(['constructor'])
  })

  it('decodes again after a failure', () => {
    expect(() => unhex('8301')).toThrow()
    expect(unhex('8201 6161')).toEqual([1, 'a'])
  })
})

describe('CBOR against the cbor package (what Autobahn|JS speaks)', () => {
  const key = fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__')
  const leaf = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.integer({ min: -(2 ** 31), max: 2 ** 32 }),
    fc.maxSafeInteger(),
    fc.constantFrom(2 ** 53, -(2 ** 53), 0, 1.5, -0.25, 1e300),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
    fc.boolean(),
    fc.constant(null),
    fc.uint8Array({ maxLength: 20 }),
  )
  const value = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fc.array(tie('node'), { maxLength: 4 }),
      fc.dictionary(key, tie('node'), { maxKeys: 4, noNullPrototype: true }),
    ),
  })).node

  it('each reads what the other writes, to the same values', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 5 }), (args) => {
        const message = [70, 1, {}, args]
        expect(oracleDecode(cborSerializer.encode(message) as Uint8Array)).toEqual(message)
        expect(cborSerializer.decode(new Uint8Array(cbor.encode(message)))).toEqual(message)
      }),
      { numRuns: 300 },
    )
  })
})
