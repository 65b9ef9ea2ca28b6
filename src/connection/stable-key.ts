/**
 * A structural key for (uri, args, kwargs, options): equal values give equal keys whatever the
 * object identity or key order, so inline literals never cause a new SUBSCRIBE or CALL.
 */
export function stableKey(value: unknown): string {
  return JSON.stringify(normalize(value))
}

function normalize(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: Array.from(value) }
  if (Array.isArray(value)) return value.map(normalize)
  if (typeof value === 'object' && value !== null) {
    const out: [string, unknown][] = []
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key]
      if (item !== undefined && typeof item !== 'function') out.push([key, normalize(item)])
    }
    return out
  }
  if (typeof value === 'bigint') return { $bigint: value.toString() }
  return value
}
