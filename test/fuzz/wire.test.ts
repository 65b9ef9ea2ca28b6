/**
 * Fuzzing below the decoded-message level: random and malformed text and bytes go through the real
 * WebSocket transport and the real JSON / MsgPack / CBOR serializers (on a fake socket) into a session.
 * An undecodable frame is a protocol violation; a decodable one must be handled as the oracle says.
 */
import { encode as msgpackEncode } from '@msgpack/msgpack'
import { encode as cborgEncode } from 'cborg'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Serializer } from '../../src/serializers/index.js'
import { failOnUnhandled, fuzzCounter, fuzzParams, scaled } from '../reliability/support.js'
import { type Expected, expectedOutcome, frame } from './frames.js'
import { fakeSocketWire, feedAndJudge, openSession } from './harness.js'

const count = fuzzCounter('wire')

const unhandled = failOnUnhandled()

const utf8 = (text: string) => new TextEncoder().encode(text)

/** One edit of a string or byte sequence: cut short, a unit dropped, or a unit inserted. */
function mutate<T extends string | Uint8Array>(data: T, at: number, how: number, unit: number): T {
  const cut = data.length === 0 ? 0 : at % data.length
  if (typeof data === 'string') {
    if (how === 0) return data.slice(0, cut) as T
    if (how === 1) return (data.slice(0, cut) + data.slice(cut + 1)) as T
    return (data.slice(0, cut) + String.fromCharCode(unit % 128) + data.slice(cut)) as T
  }
  const bytes = data as Uint8Array
  if (how === 0) return bytes.slice(0, cut) as T
  if (how === 1) return Uint8Array.from([...bytes.subarray(0, cut), ...bytes.subarray(cut + 1)]) as T
  return Uint8Array.from([...bytes.subarray(0, cut), unit & 0xff, ...bytes.subarray(cut)]) as T
}

const edit = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }), fc.nat())

/** Strings of base64 characters, sometimes with characters outside the alphabet. */
const base64ish = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=!-_ é'.split('')),
  maxLength: 16,
})

/** JSON text frames (and some binary ones: the JSON serializer also accepts UTF-8 bytes). */
const jsonData: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: frame.map((f) => JSON.stringify(f) ?? 'null') },
  {
    weight: 3,
    arbitrary: fc.tuple(frame, edit).map(([f, [at, how, unit]]) => mutate(JSON.stringify(f) ?? '', at, how, unit)),
  },
  // The binary rule: a string that starts with NUL is base64; valid or not.
  {
    weight: 2,
    arbitrary: fc
      .tuple(base64ish, fc.constantFrom(36, 50, 68))
      .map(([b64, type]) =>
        JSON.stringify(
          type === 36
            ? [36, 100, 1, {}, [`\0${b64}`]]
            : type === 50
              ? [50, 1, {}, [`\0${b64}`]]
              : [68, 9, 200, { [`\0${b64}`]: 1 }],
        ),
      ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: frame.map((f) => utf8(JSON.stringify(f) ?? '')) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }) },
)

/** MsgPack binary frames (and some text ones, which a MsgPack session must refuse). */
const msgpackData: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: frame.map((f) => msgpackEncode(f)) },
  {
    weight: 3,
    arbitrary: fc.tuple(frame, edit).map(([f, [at, how, unit]]) => mutate(msgpackEncode(f), at, how, unit)),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }) },
  // Map keys that are not strings, extension types, 64-bit integers.
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      Uint8Array.of(0x94, 0x24, 0x64, 0x01, 0x81, 0x01, 0xc0), // [36, 100, 1, {1: nil}]
      Uint8Array.of(0x94, 0x24, 0x64, 0x01, 0x81, 0x90, 0xc0), // [36, 100, 1, {[]: nil}]
      Uint8Array.of(0x94, 0x24, 0x64, 0x01, 0xd6, 0xff, 0, 0, 0, 1), // details = timestamp ext (a Date)
      Uint8Array.of(0x94, 0x24, 0x64, 0x01, 0xd4, 0x05, 0x00), // details = unknown ext type 5
      Uint8Array.of(0x93, 0x11, 0xcf, 0x00, 0x20, 0, 0, 0, 0, 0, 0, 0x01), // PUBLISHED, request 2^53
      Uint8Array.of(0x93, 0x11, 0xcf, 0x00, 0x20, 0, 0, 0, 0, 0, 1, 0x01), // PUBLISHED, request 2^53 + 1
      Uint8Array.of(0xdd, 0xff, 0xff, 0xff, 0xff), // array32 of 4 294 967 295 items, none present
    ),
  },
  { weight: 1, arbitrary: frame.map((f) => JSON.stringify(f) ?? '') },
)

/**
 * cborg itself writes the frames (the `cbor` package cannot write a key named `constructor`), copied
 * into a plain Uint8Array: in Node it hands out a Buffer, whose slice() would be a view of its pool.
 */
const cborEncode = (value: unknown) => Uint8Array.from(cborgEncode(value))

/** CBOR binary frames (and some text ones, which a CBOR session must refuse). */
const cborData: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: frame.map(cborEncode) },
  { weight: 3, arbitrary: fc.tuple(frame, edit).map(([f, [at, how, unit]]) => mutate(cborEncode(f), at, how, unit)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }) },
  // Non-text map keys, tags, simple values, huge counts, deep nesting, indefinite lengths, 64-bit integers.
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      Uint8Array.of(0x84, 0x18, 0x24, 0x18, 0x64, 0x01, 0xa1, 0x01, 0xf6), // [36, 100, 1, {1: null}]
      Uint8Array.of(0x84, 0x18, 0x24, 0x18, 0x64, 0x01, 0xc1, 0x01), // details = tag 1 (a Date)
      Uint8Array.of(0x84, 0x18, 0x24, 0x18, 0x64, 0x01, 0xd8, 0x2a, 0xa0), // details = unknown tag 42
      Uint8Array.of(0x84, 0x18, 0x24, 0x18, 0x64, 0x01, 0xf0), // details = simple value 16
      Uint8Array.of(0x83, 0x11, 0x1b, 0x00, 0x20, 0, 0, 0, 0, 0, 0, 0x01), // PUBLISHED, request 2^53
      Uint8Array.of(0x83, 0x11, 0x1b, 0x00, 0x20, 0, 0, 0, 0, 0, 1, 0x01), // PUBLISHED, request 2^53 + 1
      Uint8Array.of(0x83, 0x11, 0xc2, 0x41, 0x05, 0x01), // PUBLISHED, request as bignum 5
      Uint8Array.of(0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), // array of 2^64 - 1 items, none present
      Uint8Array.of(0x9f, 0x11, 0x01, 0x01, 0xff), // [17, 1, 1] with an indefinite length
      new Uint8Array(2000).fill(0x81), // 2000 levels of nesting, cut short
    ),
  },
  { weight: 1, arbitrary: frame.map((f) => JSON.stringify(f) ?? '') },
)

/** What the frame decodes to, and the oracle's verdict; undecodable means protocol violation. */
function judge(serializer: Serializer, data: string | Uint8Array): { message: unknown; expected: Expected } {
  try {
    const message = serializer.decode(typeof data === 'string' ? data : data.slice())
    return { message, expected: expectedOutcome(message) }
  } catch {
    return { message: undefined, expected: { kind: 'violation' } }
  }
}

describe.each([
  ['json', jsonData, 11],
  ['msgpack', msgpackData, 12],
  ['cbor', cborData, 13],
] as const)('%s frames through the WebSocket transport', (serialization, data, salt) => {
  it(
    'every frame ends as the oracle says (undecodable → ABORT protocol_violation)',
    async () => {
      await fc.assert(
        fc.asyncProperty(data, fc.boolean(), async (input, debug) => {
          const joined = await fakeSocketWire(serialization, debug)
          const session = await openSession(joined)
          const { message, expected } = judge(joined.serializer, input)
          count(serialization)
          count(`${serialization} → ${expected.kind}`)
          await feedAndJudge(session, input, message, expected)
          expect(unhandled.errors).toEqual([])
        }),
        fuzzParams(1000, 40_000, salt),
      )
    },
    scaled(30_000, 900_000),
  )
})
