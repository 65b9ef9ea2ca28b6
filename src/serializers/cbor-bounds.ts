import { MAX_NESTING } from '../protocol/nesting.js'

const KINDS = [
  'an integer',
  'a negative integer',
  'a byte string',
  'a text string',
  'an array',
  'a map',
  'a tag',
  'a simple value',
]
const INDEFINITE = 31
const BREAK = 0xff
/** Marks an open indefinite-length array or map: it ends at its break, not after a count. */
const UNTIL_BREAK = -1

/** Per open array, map or tag: items still to come, or UNTIL_BREAK. Reused: decoding is synchronous. */
const open = new Float64Array(MAX_NESTING)

function fail(problem: string, at: number): never {
  throw new Error(`CBOR data: ${problem} (at byte ${at})`)
}

/**
 * Walks the item headers of one CBOR data item, building nothing, before the decoder reads it:
 * refuses arrays, maps and tags nested deeper than MAX_NESTING (the decoder recurses without a limit), a
 * declared length or count that the bytes left could not hold (so nothing is allocated for a length
 * a hostile peer made up), reserved header values, indefinite-length strings, a stray break and
 * bytes after the item. Each error names what is wrong and at which byte.
 *
 * @returns true when some integer has an 8-byte argument (the decoder may hand it out as a BigInt)
 */
export function checkCborBounds(bytes: Uint8Array): boolean {
  const end = bytes.length
  let depth = 0
  let wideIntegers = false
  let pos = 0
  for (;;) {
    if (pos >= end) fail('truncated, an item is missing', pos)
    const start = pos
    const initial = bytes[pos++]!
    // An item is complete (a scalar, or a container closed here) unless it opens a container or is a tag.
    let complete = true
    if (initial === BREAK) {
      if (depth === 0 || open[depth - 1] !== UNTIL_BREAK)
        fail('a break outside an indefinite-length array or map', start)
      depth--
    } else {
      const major = initial >> 5
      const info = initial & 31
      let argument = info
      if (info >= 24 && info <= 27) {
        const size = 1 << (info - 24)
        if (pos + size > end) fail(`truncated, the header of ${KINDS[major]} is cut short`, start)
        argument = 0
        // Beyond 2^53 this is inexact, but then far larger than any frame anyway.
        for (let i = 0; i < size; i++) argument = argument * 256 + bytes[pos++]!
        if (info === 27 && major <= 1) wideIntegers = true
      } else if (info >= 28 && info <= 30) {
        fail(`a reserved header value (${info}) in ${KINDS[major]}`, start)
      } else if (info === INDEFINITE && major !== 4 && major !== 5) {
        fail(`an indefinite length in ${KINDS[major]}, which is not supported`, start)
      }
      if (major === 2 || major === 3) {
        if (argument > end - pos) {
          fail(`truncated, ${KINDS[major]} of ${argument} bytes with ${end - pos} left`, start)
        }
        pos += argument
      } else if (major === 4 || major === 5) {
        if (depth >= MAX_NESTING) fail(`nested deeper than ${MAX_NESTING} levels`, start)
        const items = info === INDEFINITE ? UNTIL_BREAK : major === 5 ? argument * 2 : argument
        // Every item takes at least one byte.
        if (items > end - pos)
          fail(`truncated, ${KINDS[major]} of ${argument} entries with ${end - pos} bytes left`, start)
        if (items !== 0) {
          open[depth++] = items
          complete = false
        }
      } else if (major === 6) {
        // A tag wraps the one item that follows: a level, as a Date is one for inspectMessage (and the
        // decoder recurses into it too, so a chain of tags must be bounded like arrays are).
        if (depth >= MAX_NESTING) fail(`nested deeper than ${MAX_NESTING} levels`, start)
        open[depth++] = 1
        complete = false
      }
    }
    if (!complete) continue
    // The item counts against its container, which may be complete then too.
    while (depth > 0 && open[depth - 1] !== UNTIL_BREAK && --open[depth - 1]! === 0) depth--
    if (depth === 0) break
  }
  if (pos !== end) fail(`${end - pos} bytes after the item`, pos)
  return wideIntegers
}
