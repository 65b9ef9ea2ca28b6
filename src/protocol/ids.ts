/** The largest WAMP ID: 2^53. */
export const MAX_ID = 2 ** 53

/** True for an integer ID in [1, 2^53]. */
export function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_ID
}

/** Session-scoped request IDs: 1, 2, 3, … wrapping back to 1 after 2^53. */
export class RequestIds {
  private last = 0

  next(): number {
    this.last = this.last >= MAX_ID ? 1 : this.last + 1
    return this.last
  }

  /** The most recently issued ID (0 before the first). */
  get current(): number {
    return this.last
  }
}

/** A random global-scope ID in [1, 2^53] (sessions, publications). */
export function randomId(): number {
  const words = new Uint32Array(2)
  globalThis.crypto.getRandomValues(words)
  // 21 high bits and 32 low bits make 53 random bits; +1 keeps 0 out of range.
  return (words[0]! & 0x1fffff) * 2 ** 32 + words[1]! + 1
}
