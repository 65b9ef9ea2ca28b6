import type { CancelMode } from '../client/types.js'
import { InvalidArgumentError } from '../protocol/errors.js'

/**
 * A structural key for (uri, args, kwargs, options), hashed by value as TanStack Query hashes its
 * keys: plain objects by sorted keys, arrays in order, Dates by their time, bytes (`Uint8Array`,
 * other typed arrays, `ArrayBuffer`) by their content, BigInts and non-finite numbers by value.
 * Equal values give equal keys whatever the object identity or key order, so inline literals never
 * cause a new SUBSCRIBE or CALL.
 *
 * A value that has no meaningful value to hash (a class instance, a Map, a function, a symbol)
 * throws an `InvalidArgumentError` naming where it sits (`args[0].when`), never a silent collision.
 * Members that are `undefined` are left out, as the wire leaves them out.
 *
 * @example
 * stableKey({ args: [new Date(0)], kwargs: { b: 1, a: 2 } }) === stableKey({ kwargs: { a: 2, b: 1 }, args: [new Date(0)] })
 */
export function stableKey(value: unknown): string {
  return JSON.stringify(normalize(value, ''))
}

/**
 * The key under which identical calls share one CALL while it runs: `useCall`, `useProgressCall`,
 * `useSuspenseCall` and the TanStack Query helpers all key by it, so they share the wire.
 * Throws as `stableKey` does.
 */
export function callKey(
  procedure: string,
  args: unknown,
  kwargs: unknown,
  options: unknown,
  cancelMode: CancelMode,
  progress: boolean,
): string {
  return stableKey({ procedure, args: args ?? [], kwargs: kwargs ?? {}, options: options ?? {}, cancelMode, progress })
}

/**
 * The key of a durable subscription: (topic, options) and, with history, the history options but
 * `sequenceOf` (a function, and local to each holder). The Connection and a shared tab key by it.
 */
export function subscriptionKey(topic: string, options: unknown, history?: { sequenceOf?: unknown }): string {
  if (!history) return stableKey([topic, options])
  const { sequenceOf: _notKeyed, ...historyKey } = history
  return stableKey([topic, options, historyKey])
}

function normalize(value: unknown, path: string): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return value
    case 'number':
      // JSON writes NaN and ±Infinity as null: keep them apart from null and from each other.
      return Number.isFinite(value) ? value : { $number: String(value) }
    case 'bigint':
      return { $bigint: value.toString() }
    case 'function':
    case 'symbol':
      throw unhashable(path, `a ${typeof value}`)
  }
  if (value === null) return null
  if (Array.isArray(value)) return value.map((item, index) => normalize(item ?? null, `${path}[${index}]`))
  if (value instanceof Date) return { $date: String(value.getTime()) }
  if (value instanceof ArrayBuffer) return { $bytes: Array.from(new Uint8Array(value)) }
  if (ArrayBuffer.isView(value)) {
    return { $bytes: Array.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) }
  }
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) {
    const name = (proto as { constructor?: { name?: string } }).constructor?.name || 'class'
    throw unhashable(path, `a ${name} instance`)
  }
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value as object).sort()) {
    const item = (value as Record<string, unknown>)[key]
    // Tags ($date, $bytes, …) start with `$`: a plain key that does too is escaped, so they never meet.
    if (item !== undefined) out[key.startsWith('$') ? `$${key}` : key] = normalize(item, join(path, key))
  }
  return out
}

function join(path: string, key: string): string {
  const part = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)
  if (part === key) return path ? `${path}.${key}` : key
  return `${path}[${part}]`
}

function unhashable(path: string, what: string): InvalidArgumentError {
  return new InvalidArgumentError(
    `cannot use ${what} at ${path || 'the top level'} as part of a key: pass plain data (objects, arrays, strings, numbers, booleans, Dates, bytes)`,
  )
}
