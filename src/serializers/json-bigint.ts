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

/** Digit runs long enough to be an integer beyond 2^53. */
const DIGIT_RUN = /\d{16,}/g

/**
 * The fast path: an integer beyond 2^53 has 17+ digits, or 16 beginning with 9. Random IDs mostly
 * have 16 digits (below 9007199254740992) and must not send every EVENT down the slow path.
 */
function mayHoldBigIntegers(text: string): boolean {
  DIGIT_RUN.lastIndex = 0
  for (let run = DIGIT_RUN.exec(text); run !== null; run = DIGIT_RUN.exec(text)) {
    if (run[0].length > 16 || run[0].charCodeAt(0) === 0x39) return true
  }
  return false
}

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
  if (!mayHoldBigIntegers(text)) return JSON.parse(text)
  let marked = false
  // Strings match as a whole (and stay); an integer token of 16+ digits beyond ±2^53 becomes a marked string.
  const rewritten = text.replace(INTEGER_OR_STRING, (token, digits?: string) => {
    if (digits === undefined) return token
    const value = BigInt(digits)
    if (value <= LIMIT && value >= -LIMIT) return token
    marked = true
    return `"${marker}${digits}"`
  })
  if (!marked) return JSON.parse(text)
  return JSON.parse(rewritten, (_key, item: unknown) =>
    typeof item === 'string' && item.startsWith(marker) ? BigInt(item.slice(marker.length)) : item,
  )
}

/** A JSON string, or an integer token of 16+ digits (not part of a fraction or an exponent). */
const INTEGER_OR_STRING = /"[^"\\]*(?:\\.[^"\\]*)*"|(?<![\w.+-])(-?[1-9]\d{15,})(?![\w.])/g
