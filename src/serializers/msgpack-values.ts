import { MAX_NESTING } from '../protocol/nesting.js'
import { isWideInteger } from './inspect.js'

const LIMIT = 2n ** 53n

/** The string with each lone surrogate as U+FFFD, as TextEncoder writes it (String.prototype.toWellFormed, ES2024). */
function toWellFormed(text: string): string {
  return (text as { toWellFormed?(): string }).toWellFormed?.() ?? text.replace(/\p{Cs}/gu, '\uFFFD')
}

/** A BigInt within ±2^53 as a number (IDs stay numbers); beyond, the exact BigInt. */
export function narrowBigInt(value: bigint): number | bigint {
  return value >= -LIMIT && value <= LIMIT ? Number(value) : value
}

/**
 * Before encoding (only when inspectMessage found some): integers beyond 32 bits as BigInt, so the
 * encoder (useBigInt64) writes them as int64/uint64 and not as float64; lone surrogates as U+FFFD,
 * as TextEncoder writes them (the library's short-string path would write invalid UTF-8).
 * Copy on write: what needs nothing is returned as is.
 */
export function prepareForEncoder(value: unknown): unknown {
  switch (typeof value) {
    case 'number':
      return isWideInteger(value) ? BigInt(value) : value
    case 'string':
      return toWellFormed(value)
    case 'object':
      break
    default:
      return value
  }
  if (value === null || value instanceof Uint8Array || value instanceof Date) return value
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const item = prepareForEncoder(value[i])
      if (item === value[i]) continue
      copy ??= value.slice()
      copy[i] = item
    }
    return copy ?? value
  }
  let copy: Record<string, unknown> | undefined
  const record = value as Record<string, unknown>
  // Own enumerable keys, as the encoder takes them; spread keeps a __proto__ key as own data.
  for (const key of Object.keys(record)) {
    const item = prepareForEncoder(record[key])
    if (item === record[key]) continue
    copy ??= { ...record }
    copy[key] = item
  }
  return copy ?? value
}

/**
 * After decoding, in place: refuses nesting deeper than MAX_NESTING (the decoder has no such limit),
 * turns int64 values within ±2^53 back into numbers, and copies bytes out of the frame (the decoder
 * hands out views of it, which would pin the frame and see a reused buffer change).
 */
export function settleDecoded(value: unknown): unknown {
  return typeof value === 'object' || typeof value === 'bigint' ? settle(value, 0) : value
}

function settle(value: unknown, depth: number): unknown {
  if (typeof value === 'bigint') return narrowBigInt(value)
  if (value === null || typeof value !== 'object') return value
  if (value instanceof Uint8Array) return value.slice()
  if (value instanceof Date) return value
  if (depth >= MAX_NESTING) throw new Error(`MsgPack data nested deeper than ${MAX_NESTING} levels`)
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i]
      if (typeof item === 'object' || typeof item === 'bigint') {
        const settled = settle(item, depth + 1)
        if (settled !== item) value[i] = settled
      }
    }
    return value
  }
  const record = value as Record<string, unknown>
  for (const key of Object.keys(record)) {
    const item = record[key]
    if (typeof item === 'object' || typeof item === 'bigint') {
      const settled = settle(item, depth + 1)
      if (settled !== item) record[key] = settled
    }
  }
  return value
}
