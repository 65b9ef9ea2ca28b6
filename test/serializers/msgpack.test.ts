import { describe, expect, it } from 'vitest'
import { SerializationError } from '../../src/protocol/errors.js'
import { jsonSerializer, loadSerializer } from '../../src/serializers/index.js'
import { msgpackSerializer as msgpack } from '../../src/serializers/msgpack.js'
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

const encodeHex = (message: unknown[]) => toHex(msgpack.encode(message))
const decodeHex = (hex: string) => msgpack.decode(fromHex(hex))

describe('MsgPack serializer', () => {
  it('describes the wamp.2.msgpack wire format', () => {
    expect(msgpack).toMatchObject({ name: 'msgpack', subprotocol: 'wamp.2.msgpack', rawSocketCode: 2, binary: true })
  })

  it('is what loadSerializer returns for "msgpack"', async () => {
    expect(await loadSerializer('msgpack')).toBe(msgpack)
    expect(await loadSerializer()).toBe(jsonSerializer)
    expect(await loadSerializer(msgpack)).toBe(msgpack)
    await expect(loadSerializer('ubjson' as 'json')).rejects.toThrow(TypeError)
  })

  describe.each(vectors)('$name', (vector) => {
    const message = withBytes(vector.message) as unknown[]

    it('decodes the canonical bytes', () => {
      const decoded = decodeHex(vector.msgpack)
      expect(decoded).toEqual(message)
      expectPlainValues(decoded)
    })

    it('decodes the 64-bit-int, 32-bit-header encoding', () => {
      const decoded = decodeHex(vector.msgpackWide)
      expect(decoded).toEqual(message)
      expectPlainValues(decoded)
    })

    it('decodes what it encodes', () => {
      expect(msgpack.decode(msgpack.encode(message))).toEqual(message)
    })

    it('encodes to the canonical bytes', () => {
      expect(encodeHex(message)).toBe(vector.msgpack)
    })
  })
})

describe('MsgPack integers and IDs', () => {
  it.each([
    ['ce ffffffff', 2 ** 32 - 1],
    ['cf 0000000000000001', 1],
    ['cf 0000000100000000', 2 ** 32],
    ['cf 001fffffffffffff', 2 ** 53 - 1],
    ['cf 0020000000000000', 2 ** 53],
    ['d3 0020000000000000', 2 ** 53],
    ['d3 ffffffffffffffff', -1],
  ])('decodes %s as the number %d, never a BigInt', (hex, value) => {
    const decoded = decodeHex(`92 23 ${hex}`.replaceAll(' ', '')) as unknown[]
    expect(decoded).toEqual([35, value])
    expect(typeof decoded[1]).toBe('number')
  })

  // WAMP IDs are integers in [1, 2^53]: they must go out as MsgPack ints, in the smallest form.
  it.each([
    [2 ** 32 - 1, 'ce ffffffff'],
    [2 ** 32, 'cf 0000000100000000'],
    [5512315355, 'cf 00000001488f41db'],
    [2 ** 53 - 1, 'cf 001fffffffffffff'],
    [2 ** 53, 'cf 0020000000000000'],
  ])('encodes the ID %d as %s', (id, hex) => {
    expect(encodeHex([34, 1, id])).toBe(`93 22 01 ${hex}`.replaceAll(' ', ''))
  })

  it.each([
    [-(2 ** 31), 'd2 80000000'],
    [-(2 ** 31) - 1, 'd3 ffffffff7fffffff'],
    [-(2 ** 53) + 1, 'd3 ffe0000000000001'],
  ])('encodes the payload integer %d as %s', (value, hex) => {
    expect(encodeHex([70, 1, {}, [value]])).toBe(`94 46 01 80 91 ${hex}`.replaceAll(' ', ''))
  })

  it('encodes BigInt as a 64-bit int, which decodes back as a number', () => {
    const hex = encodeHex([70, 1, {}, [2n ** 53n, -1n]])
    expect(hex).toBe('94460180 92 cf0020000000000000 d3ffffffffffffffff'.replaceAll(' ', ''))
    expect(decodeHex(hex)).toEqual([70, 1, {}, [2 ** 53, -1]])
  })
})

describe('MsgPack str and bin', () => {
  it('encodes text as str and bytes as bin', () => {
    const bytes = fromHex('0102')
    expect(encodeHex([70, 1, {}, ['hi', bytes, new Uint8Array(0), Buffer.from('ab')]])).toBe(
      '94460180 94 a26869 c4020102 c400 c4026162'.replaceAll(' ', ''),
    )
  })

  it('decodes str of every width to strings and bin of every width to plain Uint8Arrays', () => {
    const decoded = decodeHex('96 a161 d90162 da000163 c40101 c5000102 c60000000103'.replaceAll(' ', ''))
    expect(decoded).toEqual(['a', 'b', 'c', fromHex('01'), fromHex('02'), fromHex('03')])
    expectPlainValues(decoded)
  })

  it('decodes a frame that is a view into a larger buffer', () => {
    const frame = fromHex('ff 9446018091c40201ff ff'.replaceAll(' ', '')).subarray(1, 10)
    const decoded = msgpack.decode(frame) as unknown[]
    expect(decoded).toEqual([70, 1, {}, [fromHex('01ff')]])
    expectPlainValues(decoded)
  })
})

describe('MsgPack encoding errors name the offending value', () => {
  it.each(unencodable)('rejects %s, naming %s', (_, path, message) => {
    const error = thrown(() => msgpack.encode(message))
    expect(error).toBeInstanceOf(SerializationError)
    expect(error.message).toMatch(startsWithPath(path))
  })
})

describe('MsgPack decoding', () => {
  it.each([
    ['no bytes', ''],
    ['a truncated list', '9301'],
    ['a truncated str', '91a3616263'.slice(0, 6)],
    ['the never-used byte 0xc1', 'c1'],
    ['bytes after the message', '910100'],
  ])('throws on %s', (_, hex) => {
    expect(() => decodeHex(hex)).toThrow()
  })

  it('refuses a text frame', () => {
    expect(() => msgpack.decode('[1]')).toThrow(/binary/)
  })

  // @msgpack/msgpack 3.1.3 refuses a map key "__proto__" outright (DecodeError).
  it('refuses a __proto__ map key without touching any prototype', () => {
    const hex = '9532018090 81 a95f5f70726f746f5f5f 81 a8706f6c6c75746564c3'.replaceAll(' ', '')
    expect(() => decodeHex(hex)).toThrow('The key __proto__ is not allowed')
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false)
  })

  it('keeps a constructor map key as own data', () => {
    // [50, 1, {}, [], {"constructor": {"prototype": {"polluted": true}}}]
    const hex = '9532018090 81 ab636f6e7374727563746f72 81 a970726f746f74797065 81 a8706f6c6c75746564c3'
    const decoded = decodeHex(hex.replaceAll(' ', '')) as unknown[]
    const kwargs = decoded[4] as Record<string, unknown>
    expect(Object.getPrototypeOf(kwargs)).toBe(Object.prototype)
    expect(Object.keys(kwargs)).toEqual(['constructor'])
    expect(kwargs.constructor).toEqual({ prototype: { polluted: true } })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false)
  })
})
