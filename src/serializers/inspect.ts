import { SerializationError } from '../protocol/errors.js'
import { MAX_NESTING } from '../protocol/nesting.js'
import { isSendableBigInt } from './json-bigint.js'

/** A field of the message (walk depth 0) is level 2: a container at depth MAX_DEPTH would be one level too deep. */
const MAX_DEPTH = MAX_NESTING - 1

/** Found by inspectPayload: bytes (JSON must rewrite them). */
export const HAS_BYTES = 1
/** Found by inspectPayload: integers beyond 32 bits (MsgPack must write them as 64-bit integers). */
export const HAS_WIDE_INTEGERS = 2
/** Found by inspectPayload for JSON: an object with a `toJSON` method (a Date…), which JSON replaces by its result. */
export const HAS_TO_JSON = 4
/** Found by inspectPayload: BigInts, or integral numbers beyond ±2^53 (JSON must write both its own way). */
export const HAS_BIG_INTEGERS = 8
/** Found by inspectPayload for MsgPack: strings with lone surrogates, which UTF-8 cannot carry. */
export const HAS_LONE_SURROGATES = 16

/** What `walk` returns for a value that cannot be sent, when it is not asked to say where. */
const UNSENDABLE = -1

/** Without a path: UNSENDABLE; with one: a SerializationError saying where and what. */
function fail(path: string | undefined, problem: string): number {
  if (path === undefined) return UNSENDABLE
  throw new SerializationError(`${path} ${problem}`)
}

/** With a `path` a problem throws a SerializationError naming it; without one it returns UNSENDABLE. */
function walk(value: unknown, path: string | undefined, forJson: boolean, depth: number): number {
  switch (typeof value) {
    case 'string':
      // UTF-8 cannot carry a lone surrogate: MsgPack writes U+FFFD for it.
      if (!forJson) return isWellFormed(value) ? 0 : HAS_LONE_SURROGATES
      // In JSON a leading NUL marks bytes (the spec's binary rule): such a string would arrive as bytes.
      return value.charCodeAt(0) === 0
        ? fail(path, 'starts with U+0000, which JSON reserves for bytes; send a Uint8Array')
        : 0
    case 'boolean':
    case 'undefined':
      return 0
    case 'number':
      if (!Number.isFinite(value)) return fail(path, `is ${value}, which WAMP cannot carry`)
      if (isWideInteger(value)) return HAS_WIDE_INTEGERS
      // JSON writes it as a float (exponent form), or it would come back as an exact BigInt.
      return Math.abs(value) > 2 ** 53 && Number.isInteger(value) ? HAS_BIG_INTEGERS : 0
    case 'bigint':
      // Peers parse int64 and uint64; beyond that a Go peer could not read the number.
      return isSendableBigInt(value)
        ? HAS_BIG_INTEGERS
        : fail(path, 'is a BigInt beyond 64 bits, which WAMP peers cannot carry')
    case 'function':
    case 'symbol':
      return fail(path, `is a ${typeof value}, which cannot be serialized`)
  }
  if (value === null) return 0
  // JSON writes what toJSON returns, not the object: the encoder resolves it, then inspects that.
  // Bytes first: a Node Buffer has a toJSON too, but travels as bytes.
  if (forJson && typeof (value as { toJSON?: unknown }).toJSON === 'function' && !(value instanceof Uint8Array)) {
    return HAS_TO_JSON
  }
  // A plain object or a list skips the checks for bytes and other objects.
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== Array.prototype) {
    if (value instanceof Uint8Array) return HAS_BYTES
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
      return fail(path, `is an ${value.constructor.name}; send binary data as a Uint8Array`)
    }
    if (value instanceof Map || value instanceof Set || value instanceof Promise) {
      return fail(path, `is a ${value.constructor.name}, which cannot be serialized`)
    }
  }
  if (depth >= MAX_DEPTH) return fail(path, 'is nested too deeply (or refers to itself)')
  let flags = 0
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = walk(value[i], path === undefined ? undefined : `${path}[${i}]`, forJson, depth + 1)
      if (item === UNSENDABLE) return UNSENDABLE
      flags |= item
    }
    return flags
  }
  for (const key in value as Record<string, unknown>) {
    const item = walk(
      (value as Record<string, unknown>)[key],
      path === undefined ? undefined : `${path}.${key}`,
      forJson,
      depth + 1,
    )
    if (item === UNSENDABLE) return UNSENDABLE
    flags |= item
  }
  return flags
}

/** True when the string has no lone surrogate (String.prototype.isWellFormed, ES2024, where the engine has it). */
export function isWellFormed(text: string): boolean {
  // In u-mode a surrogate pair is one code point, so \p{Cs} matches lone surrogates only.
  return (text as { isWellFormed?(): boolean }).isWellFormed?.() ?? !/\p{Cs}/u.test(text)
}

/** An integer outside [-2^31, 2^32) and within ±2^53. */
export function isWideInteger(value: number): boolean {
  return (value >= 2 ** 32 || value < -(2 ** 31)) && Number.isInteger(value) && Math.abs(value) <= 2 ** 53
}

/**
 * Walks a message before it is encoded: rejects what a WAMP payload cannot carry with a
 * SerializationError naming where it sits (`args[1].when`, `kwargs.y`, `field 2`), and reports
 * (as HAS_* flags) what needs rewriting.
 */
export function inspectMessage(message: readonly unknown[], forJson: boolean): number {
  let flags = 0
  for (let i = 1; i < message.length; i++) {
    // This runs on every message: no path strings, unless a failure must be named (a second walk).
    const found = walk(message[i], undefined, forJson, 0)
    if (found === UNSENDABLE) {
      const args = payloadIndex[message[0] as number] ?? -1
      walk(message[i], i === args ? 'args' : i === args + 1 ? 'kwargs' : `field ${i}`, forJson, 0)
    }
    flags |= found
  }
  return flags
}

/** A copy of `value` with every leaf passed through `leaf`; keys such as __proto__ stay own data. */
export function mapLeaves(value: unknown, leaf: (value: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => mapLeaves(item, leaf))
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, {
        value: mapLeaves(item, leaf),
        enumerable: true,
        writable: true,
        configurable: true,
      })
    }
    return out
  }
  return leaf(value)
}

/** Where Args sit in the messages that carry a payload (ABORT, ERROR, PUBLISH, EVENT, CALL, RESULT, INVOCATION, YIELD). */
const payloadIndex: Record<number, number> = { 3: 3, 8: 5, 16: 4, 36: 4, 48: 4, 50: 3, 68: 4, 70: 3 }
