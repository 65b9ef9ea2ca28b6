import { readFileSync } from 'node:fs'
import { expect } from 'vitest'

/** One entry of test/fixtures/wamp-vectors/messages.json (see generate.py there). */
export interface Vector {
  name: string
  /** The spec test-suite sample it restates, or null for vectors added here. */
  spec: string | null
  /** The message, with binary values written {"$bytes": hex}. */
  message: unknown[]
  /** Compact JSON text, as JSON.stringify writes it. */
  json: string
  /** The same message with spaces after commas and colons. */
  jsonSpaced: string
  /** Canonical MsgPack: smallest int encodings, str for text, bin for bytes. */
  msgpack: string
  /** Valid but non-canonical MsgPack: 64-bit ints, 32-bit str/bin/array/map headers. */
  msgpackWide: string
}

const file = new URL('../fixtures/wamp-vectors/messages.json', import.meta.url)
export const vectors: Vector[] = JSON.parse(readFileSync(file, 'utf8')).vectors

/** A plain Uint8Array (not a Buffer) holding the bytes written in hex. */
export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'))
}

export function toHex(bytes: string | Uint8Array): string {
  if (typeof bytes === 'string') throw new Error('expected bytes, got text')
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

/** The fixture's message with its {"$bytes": hex} markers turned into Uint8Array. */
export function withBytes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withBytes)
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    const keys = Object.keys(record)
    if (keys.length === 1 && keys[0] === '$bytes') return fromHex(record.$bytes as string)
    return Object.fromEntries(keys.map((key) => [key, withBytes(record[key])]))
  }
  return value
}

/** Checks that a decoded value holds no BigInt and that its bytes are plain Uint8Arrays. */
export function expectPlainValues(value: unknown, path = 'message'): void {
  expect(typeof value, `${path} is a BigInt`).not.toBe('bigint')
  if (value instanceof Uint8Array) {
    expect(Object.getPrototypeOf(value), `${path} is not a plain Uint8Array`).toBe(Uint8Array.prototype)
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      expectPlainValues(item, `${path}[${i}]`)
    })
  } else if (typeof value === 'object' && value !== null) {
    expect(Object.getPrototypeOf(value), `${path} is not a plain object`).toBe(Object.prototype)
    for (const [key, item] of Object.entries(value)) expectPlainValues(item, `${path}.${key}`)
  }
}

/** The error a function throws (fails the test when it does not throw). */
export function thrown(run: () => unknown): Error {
  try {
    run()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected an error, but nothing was thrown')
}

const circular: Record<string, unknown> = {}
circular.self = circular

/** Messages neither serializer can encode: [what, the path the error must name, message]. */
export const unencodable: readonly (readonly [string, string, unknown[]])[] = [
  ['a function', 'args[0]', [48, 1, {}, 'p', [() => 1]]],
  ['a symbol', 'args[0]', [48, 1, {}, 'p', [Symbol('s')]]],
  ['NaN', 'args[1]', [48, 1, {}, 'p', [1, Number.NaN]]],
  ['Infinity', 'kwargs.x', [48, 1, {}, 'p', [], { x: Number.POSITIVE_INFINITY }]],
  ['-Infinity', 'args[0]', [70, 1, {}, [Number.NEGATIVE_INFINITY]]],
  ['a Map', 'args[0]', [48, 1, {}, 'p', [new Map([['k', 1]])]]],
  ['a Set', 'kwargs.s', [48, 1, {}, 'p', [], { s: new Set() }]],
  ['an ArrayBuffer', 'args[0]', [48, 1, {}, 'p', [new ArrayBuffer(2)]]],
  ['an Int16Array', 'kwargs.samples', [50, 1, {}, [], { samples: new Int16Array(2) }]],
  ['a nested function', 'args[0].f', [48, 1, {}, 'p', [{ f: () => 1 }]]],
  ['a function in Options', 'field 2.f', [48, 1, { f: () => 1 }, 'p']],
  ['a function in ERROR Kwargs', 'kwargs.f', [8, 48, 1, {}, 'e', [], { f: () => 1 }]],
  ['a circular structure', 'args[0].self.self', [48, 1, {}, 'p', [circular]]],
]

/** Matches an error message that begins with the given path. */
export function startsWithPath(path: string): RegExp {
  return new RegExp(`^${path.replace(/[[\].]/g, '\\$&')}[ .]`)
}

/** RFC 4648 §10 test vectors: 0, 1, 2 and 3 bytes, then one more of each remainder. */
export const rfc4648: readonly (readonly [text: string, base64: string])[] = [
  ['', ''],
  ['f', 'Zg=='],
  ['fo', 'Zm8='],
  ['foo', 'Zm9v'],
  ['foob', 'Zm9vYg=='],
  ['fooba', 'Zm9vYmE='],
  ['foobar', 'Zm9vYmFy'],
]
