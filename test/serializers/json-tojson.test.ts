/**
 * Issue 17, case 5: the JSON serializer turned a Date (any object with toJSON) into {} when the
 * same message carried bytes; without bytes the Date went out as its ISO string. Now toJSON is
 * honoured as JSON.stringify does, with or without bytes.
 */
import { describe, expect, it } from 'vitest'
import { SerializationError } from '../../src/client/index.js'
import { jsonSerializer } from '../../src/serializers/json.js'

const roundTrip = (message: unknown[]) => jsonSerializer.decode(jsonSerializer.encode(message))

class Money {
  constructor(
    readonly cents: number,
    readonly currency: string,
  ) {}
  toJSON(key: string) {
    return { amount: this.cents / 100, currency: this.currency, key }
  }
}

describe('objects with toJSON next to bytes (case 5)', () => {
  const when = new Date(Date.UTC(2026, 11, 4, 21, 0, 0, 123))

  it('a Date arrives as its ISO string whether or not the message carries bytes', () => {
    const withBytes = roundTrip([16, 1, {}, 'com.example.topic', [when, Uint8Array.of(1, 2, 3)], { when }])
    const without = roundTrip([16, 1, {}, 'com.example.topic', [when, 'no bytes'], { when }])
    expect(withBytes).toEqual([
      16,
      1,
      {},
      'com.example.topic',
      [when.toISOString(), Uint8Array.of(1, 2, 3)],
      { when: when.toISOString() },
    ])
    expect(without).toEqual([
      16,
      1,
      {},
      'com.example.topic',
      [when.toISOString(), 'no bytes'],
      { when: when.toISOString() },
    ])
  })

  it('toJSON gets the key JSON.stringify would pass, and its result is written, with or without bytes', () => {
    const kwargs = { price: new Money(1250, 'EUR'), list: [new Money(5, 'USD')] }
    const expected = JSON.parse(JSON.stringify(kwargs)) as unknown
    expect(expected).toEqual({
      price: { amount: 12.5, currency: 'EUR', key: 'price' },
      list: [{ amount: 0.05, currency: 'USD', key: '0' }],
    })
    expect(roundTrip([48, 1, {}, 'com.example.pay', [], kwargs])).toEqual([48, 1, {}, 'com.example.pay', [], expected])
    expect(roundTrip([48, 1, {}, 'com.example.pay', [Uint8Array.of(9)], kwargs])).toEqual([
      48,
      1,
      {},
      'com.example.pay',
      [Uint8Array.of(9)],
      expected,
    ])
  })

  it('a Node Buffer (which has a toJSON) still travels as bytes, beside a Date or alone', () => {
    const buffer = Buffer.from([1, 2, 3])
    expect(roundTrip([16, 1, {}, 'com.example.topic', [buffer]])).toEqual([
      16,
      1,
      {},
      'com.example.topic',
      [Uint8Array.of(1, 2, 3)],
    ])
    expect(roundTrip([16, 1, {}, 'com.example.topic', [buffer, when]])).toEqual([
      16,
      1,
      {},
      'com.example.topic',
      [Uint8Array.of(1, 2, 3), when.toISOString()],
    ])
  })

  it('what toJSON returns is checked like any payload: bytes travel as bytes, NaN is refused', () => {
    const asBytes = { toJSON: () => Uint8Array.of(7, 8) }
    expect(roundTrip([16, 1, {}, 'com.example.topic', [asBytes]])).toEqual([
      16,
      1,
      {},
      'com.example.topic',
      [Uint8Array.of(7, 8)],
    ])
    const notANumber = { toJSON: () => Number.NaN }
    expect(() => jsonSerializer.encode([16, 1, {}, 'com.example.topic', [notANumber]])).toThrow(SerializationError)
    const throws = {
      toJSON() {
        throw new Error('no')
      },
    }
    expect(() => jsonSerializer.encode([16, 1, {}, 'com.example.topic', [throws, Uint8Array.of(1)]])).toThrow(
      SerializationError,
    )
  })
})
