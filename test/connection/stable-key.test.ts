import { describe, expect, it } from 'vitest'
import { stableKey } from '../../src/connection/stable-key.js'
import { InvalidArgumentError } from '../../src/protocol/errors.js'

describe('stableKey: hashed by value, like TanStack Query’s keys', () => {
  it('plain objects by sorted keys, at any depth; undefined members left out', () => {
    expect(stableKey({ a: 1, b: { c: 2, d: [1, { e: 3, f: 4 }] } })).toBe(
      stableKey({ b: { d: [1, { f: 4, e: 3 }], c: 2 }, a: 1, z: undefined }),
    )
    expect(stableKey({ a: 1 })).not.toBe(stableKey({ a: 2 }))
    expect(stableKey(Object.assign(Object.create(null), { a: 1 }))).toBe(stableKey({ a: 1 }))
  })

  it('Dates by value: equal times are one key, other times another', () => {
    expect(stableKey([new Date(0)])).toBe(stableKey([new Date(0)]))
    expect(stableKey([new Date(0)])).not.toBe(stableKey([new Date(1)]))
    expect(stableKey([new Date(Number.NaN)])).not.toBe(stableKey([new Date(0)]))
  })

  it('bytes by value, whatever the view', () => {
    expect(stableKey({ b: new Uint8Array([1, 2]) })).toBe(stableKey({ b: new Uint8Array([1, 2]) }))
    expect(stableKey({ b: new Uint8Array([1, 2]) })).not.toBe(stableKey({ b: new Uint8Array([1, 3]) }))
    expect(stableKey(new Uint8Array([1, 2]).buffer)).toBe(stableKey(new Uint8Array([1, 2])))
    expect(stableKey(new Uint8Array([0, 1, 2]).subarray(1))).toBe(stableKey(new Uint8Array([1, 2])))
  })

  it('no collisions between shapes: arrays and objects, tags and plain keys, null and NaN', () => {
    expect(stableKey([['a', 1]])).not.toBe(stableKey({ a: 1 }))
    expect(stableKey({ $date: '0' })).not.toBe(stableKey(new Date(0)))
    expect(stableKey({ $bytes: [1] })).not.toBe(stableKey(new Uint8Array([1])))
    expect(stableKey([null])).not.toBe(stableKey([Number.NaN]))
    expect(stableKey([Number.POSITIVE_INFINITY])).not.toBe(stableKey([Number.NEGATIVE_INFINITY]))
    expect(stableKey([1n])).not.toBe(stableKey(['1']))
    expect(stableKey(['1'])).not.toBe(stableKey([1]))
  })

  it('a class instance, a Map, a function or a symbol is an InvalidArgumentError naming the path', () => {
    class Point {
      constructor(readonly x: number) {}
    }
    const fails = (value: unknown) => {
      try {
        stableKey(value)
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidArgumentError)
        return (error as Error).message
      }
      throw new Error('no error')
    }
    expect(fails({ args: [{ at: new Point(1) }] })).toContain('a Point instance at args[0].at')
    expect(fails({ kwargs: { 'odd key': new Map() } })).toContain('a Map instance at kwargs["odd key"]')
    expect(fails({ options: { f: () => 1 } })).toContain('a function at options.f')
    expect(fails([Symbol('s')])).toContain('a symbol at [0]')
    expect(fails(new Point(1))).toContain('at the top level')
  })
})
