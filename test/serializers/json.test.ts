import { describe, expect, it } from 'vitest'
import { SerializationError } from '../../src/protocol/errors.js'
import { jsonSerializer as json } from '../../src/serializers/json.js'
import {
  expectPlainValues,
  fromHex,
  rfc4648,
  startsWithPath,
  thrown,
  unencodable,
  vectors,
  withBytes,
} from './vectors.js'

describe('JSON serializer', () => {
  it('describes the wamp.2.json wire format', () => {
    expect(json).toMatchObject({ name: 'json', subprotocol: 'wamp.2.json', rawSocketCode: 1, binary: false })
  })

  describe.each(vectors)('$name', (vector) => {
    const message = withBytes(vector.message) as unknown[]

    it('encodes to the exact compact text', () => {
      expect(json.encode(message)).toBe(vector.json)
    })

    it('decodes the compact text', () => {
      const decoded = json.decode(vector.json)
      expect(decoded).toEqual(message)
      expectPlainValues(decoded)
    })

    it('decodes the text with spaces, and as UTF-8 bytes', () => {
      expect(json.decode(vector.jsonSpaced)).toEqual(message)
      expect(json.decode(new TextEncoder().encode(vector.json))).toEqual(message)
    })
  })
})

describe('JSON binary rule: bytes travel as "\\u0000" + base64', () => {
  const yieldOf = (...args: unknown[]) => [70, 1, {}, args]

  it.each(rfc4648)('%j is sent as "\\u0000%s"', (text, base64) => {
    const bytes = new TextEncoder().encode(text)
    const wire = `[70,1,{},["\\u0000${base64}"]]`
    expect(json.encode(yieldOf(bytes))).toBe(wire)
    expect(json.decode(wire)).toEqual(yieldOf(bytes))
  })

  it('carries all 256 byte values in the standard alphabet with padding', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i)
    const base64 = Buffer.from(bytes).toString('base64')
    expect(base64).toMatch(/\+.*\/.*==$/)
    const wire = json.encode(yieldOf(bytes))
    expect(wire).toBe(`[70,1,{},["\\u0000${base64}"]]`)
    const decoded = json.decode(wire) as unknown[]
    expect(decoded).toEqual(yieldOf(bytes))
    expectPlainValues(decoded)
  })

  it('converts bytes in Args, Kwargs, Options and nested containers', () => {
    const one = fromHex('01')
    const message = [16, 5, { _blob: one }, 'com.topic', [[one], { deep: [one] }], { a: { b: [{ c: one }] } }]
    const wire = json.encode(message)
    expect(JSON.parse(wire as string)).toEqual([
      16,
      5,
      { _blob: '\0AQ==' },
      'com.topic',
      [['\0AQ=='], { deep: ['\0AQ=='] }],
      { a: { b: [{ c: '\0AQ==' }] } },
    ])
    expect(json.decode(wire)).toEqual(message)
  })

  it('finds bytes in containers of any prototype: null-prototype dicts, class instances, Array subclasses', () => {
    const dict = Object.assign(Object.create(null) as Record<string, unknown>, { b: fromHex('01') })
    class Point {
      x = 1
      bytes = fromHex('02')
    }
    class List extends Array<unknown> {}
    const list = List.from([Buffer.from([3])])
    expect(json.encode([70, 1, {}, [dict, new Point(), list]])).toBe(
      '[70,1,{},[{"b":"\\u0000AQ=="},{"x":1,"bytes":"\\u0000Ag=="},["\\u0000Aw=="]]]',
    )
  })

  it('rejects a Map subclass or a typed array inside a null-prototype dict', () => {
    class Registry extends Map<string, number> {}
    const inDict = (value: unknown) => Object.assign(Object.create(null) as Record<string, unknown>, { v: value })
    expect(thrown(() => json.encode([70, 1, {}, [inDict(new Registry())]])).message).toMatch(
      startsWithPath('args[0].v'),
    )
    expect(thrown(() => json.encode([70, 1, {}, [], inDict(new Float32Array(1))])).message).toMatch(
      startsWithPath('kwargs.v'),
    )
  })

  it('encodes only the bytes a Uint8Array view covers', () => {
    const view = fromHex('00ff0102ff').subarray(1, 4)
    expect(json.encode(yieldOf(view))).toBe('[70,1,{},["\\u0000/wEC"]]')
  })

  it('leaves the caller’s message unchanged', () => {
    const bytes = fromHex('0102')
    const message = yieldOf(bytes, { x: bytes })
    json.encode(message)
    expect(message).toEqual([70, 1, {}, [bytes, { x: bytes }]])
  })

  it('decodes a NUL-only string to empty bytes and leaves other strings alone', () => {
    const decoded = json.decode('[70,1,{},["\\u0000","a\\u0000b","AQ==","\\u0001AQ=="]]') as unknown[]
    expect(decoded).toEqual([70, 1, {}, [new Uint8Array(0), 'a\0b', 'AQ==', '\u0001AQ==']])
    expectPlainValues(decoded)
  })

  it('decodes IDs up to 2^53 as numbers', () => {
    expect(json.decode('[65,9007199254740992,9007199254740991]')).toEqual([65, 2 ** 53, 2 ** 53 - 1])
  })
})

describe('JSON encoding errors name the offending value', () => {
  it.each([...unencodable, ['a BigInt beyond 64 bits', 'args[0]', [48, 1, {}, 'p', [2n ** 64n]]] as const])(
    'rejects %s, naming %s',
    (_, path, message) => {
      const error = thrown(() => json.encode(message))
      expect(error).toBeInstanceOf(SerializationError)
      expect(error.message).toMatch(startsWithPath(path))
    },
  )
})

describe('JSON decoding', () => {
  it.each([
    ['empty text', ''],
    ['not JSON', 'hello'],
    ['a truncated list', '[1,'],
    ['trailing garbage', '[1] x'],
    ['invalid UTF-8 bytes', new Uint8Array([0x5b, 0xff, 0x5d])],
  ])('throws on %s', (_, data) => {
    expect(() => json.decode(data)).toThrow()
  })

  it('keeps a NUL-led string whose rest is not base64 as text, so one odd payload cannot sink the frame', () => {
    expect(json.decode('[70,1,{},["\\u0000AQ!="]]')).toEqual([70, 1, {}, ['\u0000AQ!=']])
  })

  const hostile = '{"__proto__":{"polluted":"\\u0000AQ=="},"constructor":{"prototype":{"polluted":true}}}'
  type Locate = (decoded: unknown[]) => unknown[]
  const kwargsOf: Locate = (d) => [d[4]]

  it.each<[string, string, Locate]>([
    ['in Kwargs', `[50,1,{},[],${hostile.replace('"\\u0000AQ=="', 'true')}]`, kwargsOf],
    ['in Kwargs, with bytes', `[50,1,{},[],${hostile}]`, kwargsOf],
    [
      'nested',
      `[50,1,{},[[${hostile}]],{"x":[${hostile}]}]`,
      (d) => [(d[3] as unknown[][])[0]![0], (d[4] as { x: unknown[] }).x[0]],
    ],
  ])('keeps __proto__ and constructor keys as own data (%s)', (_, wire, locate) => {
    for (const dict of locate(json.decode(wire) as unknown[]) as Record<string, unknown>[]) {
      expect(Object.getPrototypeOf(dict)).toBe(Object.prototype)
      expect(Object.keys(dict)).toEqual(['__proto__', 'constructor'])
      expect(Object.getOwnPropertyDescriptor(dict, '__proto__')?.value).toHaveProperty('polluted')
      expect(dict.constructor).toEqual({ prototype: { polluted: true } })
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false)
  })

  it('round-trips an own __proto__ key holding bytes', () => {
    const decoded = json.decode('[70,1,{},[],{"__proto__":"\\u0000AQ=="}]') as unknown[]
    const kwargs = decoded[4] as Record<string, unknown>
    expect(Object.getPrototypeOf(kwargs)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(kwargs, '__proto__')?.value).toEqual(fromHex('01'))
    expect(json.encode(decoded)).toBe('[70,1,{},[],{"__proto__":"\\u0000AQ=="}]')
  })
})
