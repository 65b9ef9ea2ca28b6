import { describe, expect, it } from 'vitest'
import { fromBase64, toBase64 } from '../../src/serializers/base64.js'
import { rfc4648 } from './vectors.js'

/** mulberry32: a small seeded PRNG, so every run checks the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const nodeBase64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')

describe('base64', () => {
  it.each(rfc4648)('matches RFC 4648 §10: %j ⇄ %j', (text, base64) => {
    const bytes = new TextEncoder().encode(text)
    expect(toBase64(bytes)).toBe(base64)
    expect(fromBase64(base64)).toEqual(bytes)
  })

  it('agrees with Node’s Buffer on 500 random inputs of 0 to 300 bytes', () => {
    const next = random(0x5eed)
    const lengths = new Set<number>()
    for (let n = 0; n < 500; n++) {
      const bytes = Uint8Array.from({ length: Math.floor(next() * 301) }, () => Math.floor(next() * 256))
      lengths.add(bytes.length % 3)
      const text = toBase64(bytes)
      expect(text).toBe(nodeBase64(bytes))
      const back = fromBase64(text)
      expect(back).toEqual(bytes)
      expect(Object.getPrototypeOf(back)).toBe(Uint8Array.prototype)
    }
    expect(lengths.size).toBe(3)
  })

  it('round-trips all 256 byte values and encodes only a view’s own bytes', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(toBase64(bytes)).toBe(nodeBase64(bytes))
    expect(fromBase64(toBase64(bytes))).toEqual(bytes)
    const view = bytes.subarray(250, 254)
    expect(toBase64(view)).toBe('+vv8/Q==')
  })

  it.each([
    ['a URL-safe "-"', 'Zm9-', 3],
    ['a URL-safe "_"', 'Zm9_', 3],
    ['a space', 'Zm9v Zg==', 4],
    ['a newline', 'Zm9v\nZg==', 4],
    ['"!"', '!m9v', 0],
    ['"."', 'Zm.v', 2],
    ['a NUL', 'Zm9v\0', 4],
    ['padding inside the text', 'Zg==Zg==', 2],
    ['a non-ASCII letter', 'Zm9é', 3],
    ['an emoji', 'Zm😀v', 2],
  ])('rejects %s', (_, text, position) => {
    expect(() => fromBase64(text)).toThrow(`invalid base64 character at ${position}`)
  })
})
