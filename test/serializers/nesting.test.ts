import { describe, expect, it } from 'vitest'
import { MAX_NESTING, nestsTooDeep } from '../../src/protocol/nesting.js'
import { validateClientMessage } from '../../src/router/validate.js'
import { cborSerializer as cbor } from '../../src/serializers/cbor.js'
import { jsonSerializer as json } from '../../src/serializers/json.js'
import { msgpackSerializer as msgpack } from '../../src/serializers/msgpack.js'

const nested = (levels: number): unknown => {
  let value: unknown = 'leaf'
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { k: value }
  return value
}
/** A PUBLISH whose whole nesting (the message list being level 1) is `levels`. */
const publishOf = (levels: number) => [16, 1, {}, 'a.b', [nested(levels - 2)]]

// Issue 16 item 3: up to the 1023 levels the nexus router accepts, every serializer encodes what
// our router accepts, so it never acknowledges a publication it then cannot deliver.
describe.each([
  ['json', json],
  ['msgpack', msgpack],
  ['cbor', cbor],
] as const)('%s nesting', (_name, serializer) => {
  it(`encodes and decodes ${MAX_NESTING} levels`, () => {
    const message = publishOf(MAX_NESTING)
    expect(serializer.decode(serializer.encode(message))).toEqual(message)
  })

  it('refuses to encode one level more', () => {
    expect(() => serializer.encode(publishOf(MAX_NESTING + 1))).toThrow(/nested too deeply/)
  })
})

describe('deeper than MAX_NESTING on the way in', () => {
  it('MsgPack refuses to decode it', () => {
    const frame = new Uint8Array([
      0x95,
      0x10,
      0x01,
      0x80,
      0xa3,
      0x61,
      0x2e,
      0x62,
      ...new Uint8Array(MAX_NESTING).fill(0x91),
      1,
    ])
    expect(() => msgpack.decode(frame)).toThrow(`nested deeper than ${MAX_NESTING} levels`)
  })

  it('CBOR refuses to decode it, before the decoder recurses', () => {
    const frame = new Uint8Array([
      0x85,
      0x10,
      0x01,
      0xa0,
      0x63,
      0x61,
      0x2e,
      0x62,
      ...new Uint8Array(MAX_NESTING).fill(0x81),
      1,
    ])
    expect(() => cbor.decode(frame)).toThrow(`CBOR data: nested deeper than ${MAX_NESTING} levels`)
    expect(() => cbor.decode(frame.subarray(0, frame.length - 2).with(-1, 1))).not.toThrow()
  })

  it('JSON decodes any depth; our router refuses such a message as a protocol violation', () => {
    const text = (levels: number) => `[16,1,{},"a.b",[${'['.repeat(levels - 2)}1${']'.repeat(levels - 2)}]]`
    expect(() => validateClientMessage(json.decode(text(MAX_NESTING)))).not.toThrow()
    expect(() => validateClientMessage(json.decode(text(MAX_NESTING + 1)))).toThrow(
      `a message may nest at most ${MAX_NESTING} levels`,
    )
  })

  it('nestsTooDeep counts lists and dictionaries, not bytes or strings', () => {
    expect(nestsTooDeep(publishOf(MAX_NESTING))).toBe(false)
    expect(nestsTooDeep(publishOf(MAX_NESTING + 1))).toBe(true)
    expect(nestsTooDeep([16, 1, {}, 'a.b', ['['.repeat(3000), Uint8Array.of(1)]])).toBe(false)
  })
})
