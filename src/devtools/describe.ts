import { MessageType, messageName } from '../protocol/message-types.js'

/** Index of the URI or reason a message names (topic, procedure, realm, error), by type. */
const uriAt: Record<number, number> = {
  [MessageType.HELLO]: 1,
  [MessageType.ABORT]: 2,
  [MessageType.CHALLENGE]: 1,
  [MessageType.GOODBYE]: 2,
  [MessageType.ERROR]: 4,
  [MessageType.PUBLISH]: 3,
  [MessageType.SUBSCRIBE]: 3,
  [MessageType.CALL]: 3,
  [MessageType.REGISTER]: 3,
}

/** Types whose second element is a request ID. */
const requestAt1 = new Set<number>([
  MessageType.PUBLISH,
  MessageType.PUBLISHED,
  MessageType.SUBSCRIBE,
  MessageType.SUBSCRIBED,
  MessageType.UNSUBSCRIBE,
  MessageType.UNSUBSCRIBED,
  MessageType.CALL,
  MessageType.CANCEL,
  MessageType.RESULT,
  MessageType.REGISTER,
  MessageType.REGISTERED,
  MessageType.UNREGISTER,
  MessageType.UNREGISTERED,
  MessageType.INVOCATION,
  MessageType.INTERRUPT,
  MessageType.YIELD,
])

/** Characters of a URI or ID kept in a summary: a message is summarized before it is validated. */
const SUMMARY_PART = 120

/** One short line naming what a message is about: its request, URI, subscription or registration. */
export function summarizeMessage(message: unknown): string {
  if (!Array.isArray(message)) return `not a WAMP message (${typeof message})`
  const type = message[0] as number
  const parts: string[] = []
  if (type === MessageType.ERROR) parts.push(`to ${messageName(message[1])}`, `#${part(message[2])}`)
  if (requestAt1.has(type)) parts.push(`#${part(message[1])}`)
  if (type === MessageType.EVENT) parts.push(`subscription ${part(message[1])}`)
  if (type === MessageType.INVOCATION) parts.push(`registration ${part(message[2])}`)
  if (type === MessageType.WELCOME) parts.push(`session ${part(message[1])}`)
  const at = uriAt[type]
  if (at !== undefined && typeof message[at] === 'string') parts.push(part(message[at]))
  if ((type === MessageType.RESULT || type === MessageType.YIELD) && isProgress(message[2])) parts.push('(progress)')
  return parts.join(' ')
}

/** A short text of an ID or URI: numbers and strings (cut), the type of anything else. */
function part(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (typeof value === 'string') {
    return value.length > SUMMARY_PART ? `${value.slice(0, SUMMARY_PART)}… (${value.length} characters)` : value
  }
  if (typeof value === 'bigint') return value <= Number.MAX_SAFE_INTEGER && value >= 0 ? String(value) : '<bigint>'
  if (Array.isArray(value)) return `<array of ${value.length}>`
  return value === null ? 'null' : `<${typeof value}>`
}

function isProgress(details: unknown): boolean {
  return typeof details === 'object' && details !== null && (details as { progress?: unknown }).progress === true
}

/** Values measured one by one; beyond them, the rest of an array or object is extrapolated. */
const SIZE_VALUES = 4_096
/** Characters of strings measured one by one; a longer string's rest is extrapolated. */
const SIZE_CHARACTERS = 65_536
/** Nesting levels measured; a deeper array or object counts as if each of its items were `null`. */
const SIZE_DEPTH = 64

interface SizeBudget {
  values: number
  characters: number
}

/**
 * About how many bytes the message takes as JSON: the devtools see messages before encoding
 * (sent) and after decoding (received), so this is an estimate. Exact for the JSON text of a
 * small message; a large one is measured up to a bound and the rest extrapolated, so a huge
 * payload costs no more than a small one.
 */
export function messageSize(message: unknown): number {
  return jsonSize(message, { values: SIZE_VALUES, characters: SIZE_CHARACTERS }, 0)
}

function jsonSize(value: unknown, budget: SizeBudget, depth: number): number {
  budget.values -= 1
  switch (typeof value) {
    case 'string':
      return stringSize(value, budget)
    case 'number':
      return Number.isFinite(value) ? String(value).length : 4
    case 'boolean':
      return value ? 4 : 5
    case 'bigint':
      // A bigint's digits, quoted (as the log shows it); a huge one is estimated from its bits.
      return (value < 2n ** 64n && value > -(2n ** 64n) ? String(value).length : bigintDigits(value)) + 2
    case 'object':
      break
    default:
      return 4 // undefined, functions and symbols: `null` in an array
  }
  if (value === null) return 4
  // JSON carries bytes as a string of "\0" + base64 (WAMP's rule); any typed array counts as its bytes.
  if (ArrayBuffer.isView(value)) return Math.ceil(value.byteLength / 3) * 4 + 3
  if (value instanceof Date) return 26
  // Past the depth, no item is measured (a hostile nesting must not overflow the stack).
  const items = depth < SIZE_DEPTH ? budget : { values: 0, characters: 0 }
  if (Array.isArray(value)) return itemsSize(value.length, 2, items, (i) => jsonSize(value[i], budget, depth + 1))
  const record = value as Record<string, unknown>
  const keys = Object.keys(record)
  return itemsSize(keys.length, 2, items, (i) => {
    const key = keys[i] as string
    const item = record[key]
    // JSON leaves such a key out, and the comma before it (-1).
    return isJsonValue(item) ? stringSize(key, budget) + 1 + jsonSize(item, budget, depth + 1) : -1
  })
}

function isJsonValue(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol'
}

/** `count` items with commas between them inside brackets; those past the budget count as the average of the others. */
function itemsSize(count: number, brackets: number, budget: SizeBudget, itemSize: (index: number) => number): number {
  let measured = 0
  let size = 0
  while (measured < count && budget.values > 0) {
    size += itemSize(measured)
    measured += 1
  }
  if (measured < count)
    size += measured === 0 ? (count - measured) * 4 : Math.round((size / measured) * (count - measured))
  return size + brackets + Math.max(0, count - 1)
}

/** The bytes of a JSON string: quotes, escapes and UTF-8; past the budget, the rest at the measured rate. */
function stringSize(text: string, budget: SizeBudget): number {
  const measured = Math.min(text.length, Math.max(0, budget.characters))
  budget.characters -= measured
  let size = 0
  for (let i = 0; i < measured; i++) {
    const code = text.charCodeAt(i)
    if (code === 0x22 || code === 0x5c) size += 2
    else if (code < 0x20) size += code === 8 || code === 9 || code === 10 || code === 12 || code === 13 ? 2 : 6
    else if (code < 0x80) size += 1
    else if (code < 0x800) size += 2
    else if (code >= 0xd800 && code <= 0xdfff)
      size += 2 // half of a 4-byte character
    else size += 3
  }
  const rest = text.length - measured
  if (rest > 0) size += measured === 0 ? rest : Math.round((size / measured) * rest)
  return size + 2
}

/** About how many decimal digits a bigint has, without printing it (printing a huge one is slow). */
function bigintDigits(value: bigint): number {
  const hex = (value < 0n ? -value : value).toString(16).length
  return Math.ceil(hex * Math.log10(16)) + (value < 0n ? 1 : 0)
}
