import { MessageType } from '../protocol/message-types.js'

/** What a redacted secret shows instead. */
export const REDACTED = '<redacted>'

/** How much of a payload the devtools keep: longer strings, arrays and objects are cut. */
export interface PreviewLimits {
  /** Characters kept of a string. */
  maxString: number
  /** Items kept of an array, keys of an object. */
  maxItems: number
  /** Nesting levels kept below the message itself. */
  maxDepth: number
}

export const defaultPreviewLimits: PreviewLimits = { maxString: 200, maxItems: 20, maxDepth: 5 }

/**
 * A copy of a WAMP message that is safe to show and cheap to keep: the handshake's secrets
 * (AUTHENTICATE's signature and extra, CHALLENGE's extra, the `authextra` of HELLO and WELCOME)
 * are replaced by `<redacted>`, and payloads are cut to `limits`. The message itself is not changed.
 */
export function redactMessage(message: unknown, limits: PreviewLimits = defaultPreviewLimits): unknown {
  if (!Array.isArray(message)) return preview(message, limits, 0)
  const copy: unknown[] = [...message]
  switch (copy[0]) {
    case MessageType.HELLO:
    case MessageType.WELCOME:
      copy[2] = withoutAuthextra(copy[2])
      break
    case MessageType.CHALLENGE:
      copy[2] = redactValues(copy[2])
      break
    case MessageType.AUTHENTICATE:
      if (copy.length > 1) copy[1] = REDACTED
      copy[2] = redactValues(copy[2])
      break
  }
  return preview(copy, limits, -1) // the message's own array does not count as a level
}

/**
 * A router URL safe to show: its password, the values of its query and its fragment are
 * `<redacted>` (a browser cannot set WebSocket headers, so apps often put a token there). A text
 * that is not a URL is redacted whole.
 */
export function redactUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return REDACTED
  }
  const { protocol, username, password, host, pathname, searchParams, search, hash } = parsed
  const user = username || password ? `${username}${password ? `:${REDACTED}` : ''}@` : ''
  const query = search ? `?${[...searchParams.keys()].map((key) => `${key}=${REDACTED}`).join('&')}` : ''
  return `${protocol}//${user}${host}${pathname}${query}${hash ? `#${REDACTED}` : ''}`
}

/** A text (an error message) with every URL in it passed through `redactUrl`. */
export function redactUrlsIn(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>()]+/gi, redactUrl)
}

/** Keeps the keys of a dictionary (which fields were sent) but none of its values. */
function redactValues(value: unknown): unknown {
  if (value === undefined) return undefined
  if (!isPlainObject(value)) return REDACTED
  return Object.fromEntries(Object.keys(value).map((key) => [key, REDACTED]))
}

function withoutAuthextra(details: unknown): unknown {
  if (!isPlainObject(details) || !('authextra' in details)) return details
  return { ...details, authextra: redactValues(details.authextra) }
}

/** A bounded, JSON-safe copy of a value: strings, arrays, objects and depth cut to `limits`. */
export function preview(value: unknown, limits: PreviewLimits = defaultPreviewLimits, depth = 0): unknown {
  switch (typeof value) {
    case 'string':
      return value.length > limits.maxString
        ? `${value.slice(0, limits.maxString)}… (${value.length} characters)`
        : value
    case 'bigint':
      return bigintPreview(value, limits)
    case 'number':
    case 'boolean':
    case 'undefined':
      return value
    case 'function':
    case 'symbol':
      return `<${typeof value}>`
  }
  if (value === null) return null
  if (value instanceof Uint8Array) return `<${value.length} bytes>`
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '<invalid Date>' : value.toISOString()
  if (Array.isArray(value)) {
    if (depth >= limits.maxDepth) return `<array of ${value.length}>`
    const kept = value.slice(0, limits.maxItems).map((item) => preview(item, limits, depth + 1))
    if (value.length > limits.maxItems) kept.push(`… ${value.length - limits.maxItems} more`)
    return kept
  }
  if (!isPlainObject(value)) return `<${value?.constructor?.name ?? 'object'}>`
  const keys = Object.keys(value)
  if (depth >= limits.maxDepth) return `<object with ${keys.length} keys>`
  const kept: Record<string, unknown> = {}
  for (const key of keys.slice(0, limits.maxItems)) kept[key] = preview(value[key], limits, depth + 1)
  if (keys.length > limits.maxItems) kept['…'] = `${keys.length - limits.maxItems} more keys`
  return kept
}

/** A bigint's digits, or (printing a huge one in decimal is slow) about how many it has. */
function bigintPreview(value: bigint, limits: PreviewLimits): string {
  // Hex digits cost linear time; each is about 1.2 decimal digits.
  const digits = Math.ceil((value < 0n ? -value : value).toString(16).length * Math.log10(16))
  return digits <= limits.maxString ? `${value}n` : `<bigint of about ${digits} digits>`
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
