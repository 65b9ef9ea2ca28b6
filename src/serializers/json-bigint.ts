/**
 * 64-bit integers in JSON. JSON.parse rounds an integer beyond 2^53 to the nearest double, and
 * JSON.stringify refuses a BigInt. WAMP peers written in Go or Python send and expect exact
 * 64-bit integers, so an integer beyond ±2^53 is decoded as a BigInt (as MsgPack does) and a
 * BigInt is written as its exact digits.
 */

const LIMIT = 2n ** 53n
/** BigInts a 64-bit peer can parse: int64 and uint64. */
const MIN_64 = -(2n ** 63n)
const MAX_64 = 2n ** 64n - 1n

/** 2^53 has 16 digits: text without such a run cannot hold an integer beyond it (the fast path). */
const LONG_DIGIT_RUN = /\d{16}/

// A marker no peer can forge (random per process) stands for a BigInt while JSON.parse/stringify run.
const marker = `bigint:${Array.from(globalThis.crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('')}:`
const markedDigits = new RegExp(`"${marker}(-?[\\d.e+-]+)"`, 'g')

/** True for a BigInt JSON may carry (within int64 ∪ uint64). */
export function isSendableBigInt(value: bigint): boolean {
  return value >= MIN_64 && value <= MAX_64
}

/**
 * JSON.stringify that writes each BigInt as its exact digits, and an integral number beyond ±2^53
 * in exponent form: it is a double, and written as plain digits it would come back as a BigInt.
 */
export function stringifyWithBigInts(value: unknown): string {
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'bigint') return marker + item
    if (typeof item === 'number' && Math.abs(item) > 2 ** 53 && Number.isInteger(item)) {
      return marker + item.toExponential()
    }
    return item
  })
  return text.replace(markedDigits, '$1')
}

/** JSON.parse, with integers beyond ±2^53 as BigInt (the text is scanned only when it has a long digit run). */
export function parseWithBigInts(text: string): unknown {
  if (!LONG_DIGIT_RUN.test(text)) return JSON.parse(text)
  const marked = markLongIntegers(text)
  if (marked === text) return JSON.parse(text)
  return JSON.parse(marked, (_key, item: unknown) =>
    typeof item === 'string' && item.startsWith(marker) ? BigInt(item.slice(marker.length)) : item,
  )
}

const isDigit = (code: number) => code >= 0x30 && code <= 0x39

/** The text with every integer token beyond ±2^53 (outside strings) turned into a marked string. */
function markLongIntegers(text: string): string {
  let out = ''
  let copied = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === 0x22) {
      // Skip a string, escapes included.
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++
      continue
    }
    if (code !== 0x2d && !isDigit(code)) continue
    let end = code === 0x2d ? i + 1 : i
    const digits = end
    while (end < text.length && isDigit(text.charCodeAt(end))) end++
    const next = text.charCodeAt(end)
    const integer = next !== 0x2e && next !== 0x65 && next !== 0x45
    // A leading zero is invalid JSON: leave it for JSON.parse to refuse.
    if (integer && end - digits >= 16 && text.charCodeAt(digits) !== 0x30) {
      const value = BigInt(text.slice(i, end))
      if (value > LIMIT || value < -LIMIT) {
        out += `${text.slice(copied, i)}"${marker}${text.slice(i, end)}"`
        copied = end
      }
    }
    // Skip the rest of the number (fraction, exponent).
    while (end < text.length && /[\d.eE+-]/.test(text[end]!)) end++
    i = end - 1
  }
  return copied === 0 ? text : out + text.slice(copied)
}
