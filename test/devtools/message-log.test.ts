import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EventRates, MAX_COUNTED_SUBSCRIPTIONS } from '../../src/devtools/event-rates.js'
import { InvocationsInFlight } from '../../src/devtools/invocations.js'
import { filterMessages, MessageLog } from '../../src/devtools/message-log.js'

interface Model {
  pushed: number[]
  clearedAt: number
}

class Push implements fc.Command<Model, MessageLog> {
  constructor(readonly request: number) {}
  check = () => true
  run(model: Model, log: MessageLog): void {
    log.push('out', [48, this.request, {}, 'com.example.proc', ['x'.repeat(this.request % 300)]])
    model.pushed.push(this.request)
    expectInvariants(model, log)
  }
  toString = () => `push(${this.request})`
}

class Clear implements fc.Command<Model, MessageLog> {
  check = () => true
  run(model: Model, log: MessageLog): void {
    log.clear()
    model.clearedAt = model.pushed.length
    expectInvariants(model, log)
  }
  toString = () => 'clear'
}

function expectInvariants(model: Model, log: MessageLog): void {
  const live = model.pushed.slice(model.clearedAt)
  const kept = live.slice(-log.capacity)
  const entries = log.entries()
  expect(entries.length).toBeLessThanOrEqual(log.capacity)
  expect(log.total).toBe(live.length)
  expect(entries.map((entry) => (entry.message as unknown[])[1])).toEqual(kept)
  for (let i = 1; i < entries.length; i++) expect(entries[i]!.seq).toBe(entries[i - 1]!.seq + 1)
  for (const entry of entries) {
    expect(entry.name).toBe('CALL')
    expect(JSON.stringify(entry.message).length).toBeLessThan(400)
  }
}

describe('MessageLog: a bounded ring buffer', () => {
  it('model: keeps exactly the last `capacity` messages since the last clear, oldest first', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.commands([fc.nat(1000).map((n) => new Push(n)), fc.constant(new Clear())], { maxCommands: 60 }),
        (capacity, commands) => {
          fc.modelRun(() => ({ model: { pushed: [], clearedAt: 0 }, real: new MessageLog(capacity) }), commands)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('names, sizes and summarizes each message; refuses a capacity that is not a whole number ≥ 1', () => {
    const log = new MessageLog(10)
    const published = log.push('out', [16, 7, {}, 'com.example.chat', ['hi']], 1000)
    expect(published).toMatchObject({ direction: 'out', type: 16, name: 'PUBLISH', at: 1000 })
    expect(published.summary).toBe('#7 com.example.chat')
    expect(published.size).toBe(JSON.stringify([16, 7, {}, 'com.example.chat', ['hi']]).length)
    expect(log.push('in', [8, 48, 3, {}, 'wamp.error.canceled']).summary).toBe('to CALL #3 wamp.error.canceled')
    expect(log.push('in', [36, 55, 66, {}, [1]]).summary).toBe('subscription 55')
    expect(log.push('in', [68, 9, 77, {}]).summary).toBe('#9 registration 77')
    expect(log.push('in', [50, 3, { progress: true }, [1]]).summary).toBe('#3 (progress)')
    expect(log.push('in', 'junk').name).toBe('not WAMP')
    expect(log.push('out', [48, 1, {}, 'p', [new Uint8Array(30)]]).size).toBeGreaterThan(40)
    expect(filterMessages(log.entries(), 'publish').map((e) => e.type)).toEqual([16])
    expect(filterMessages(log.entries(), '← in')).toHaveLength(5)
    expect(filterMessages(log.entries(), '')).toHaveLength(7)
    expect(() => new MessageLog(0)).toThrow(/capacity/)
    expect(() => new MessageLog(1.5)).toThrow(/capacity/)
  })
})

describe('EventRates', () => {
  it('counts events per second over a sliding window, per subscription', () => {
    const rates = new EventRates(1000)
    for (let t = 0; t < 1000; t += 100) rates.count(1, t)
    rates.count(2, 950)
    expect(rates.perSecond(1, 999)).toBe(10)
    expect(rates.perSecond(2, 999)).toBe(1)
    expect(rates.perSecond(1, 1450)).toBe(5)
    expect(rates.perSecond(1, 5000)).toBe(0)
    expect(rates.perSecond(3, 0)).toBe(0)
  })

  it('forgets subscriptions that went quiet: memory stays bounded as IDs come and go', () => {
    const rates = new EventRates(1000)
    for (let id = 0; id < 10_000; id++) rates.count(id, id * 10)
    expect(rates.size).toBeLessThanOrEqual(356)
    expect(rates.perSecond(9_999, 99_990)).toBe(1)
  })
})

describe('EventRates under a flood of subscription IDs', () => {
  it('counts at most MAX_COUNTED_SUBSCRIPTIONS IDs at once; the ones it knows keep their rate', () => {
    const rates = new EventRates(1000)
    rates.count(7, 0)
    for (let id = 100_000; id < 200_000; id++) rates.count(id, 1)
    rates.count(7, 2)
    expect(rates.size).toBeLessThanOrEqual(MAX_COUNTED_SUBSCRIPTIONS)
    expect(rates.perSecond(7, 500)).toBe(2)
    // Once the flood is quiet it is forgotten, and new IDs are counted again.
    rates.count(8, 5000)
    expect(rates.perSecond(8, 5000)).toBe(1)
  })
})

describe('InvocationsInFlight', () => {
  it('an INVOCATION starts one; the final YIELD or an ERROR ends it; progress does not; a new session clears all', () => {
    const running = new InvocationsInFlight()
    running.see('in', [68, 1, 500, {}])
    running.see('in', [68, 2, 500, {}])
    running.see('in', [68, 3, 600, {}])
    expect([running.of(500), running.of(600), running.size]).toEqual([2, 1, 3])
    running.see('out', [70, 1, { progress: true }, [1]])
    expect(running.of(500)).toBe(2)
    running.see('out', [70, 1, {}, ['done']])
    running.see('out', [8, 68, 3, {}, 'wamp.error.canceled'])
    running.see('out', [8, 48, 2, {}, 'not an invocation error'])
    expect([running.of(500), running.of(600)]).toEqual([1, 0])
    running.see('in', [2, 77, {}])
    expect(running.size).toBe(0)
  })
})

/** An array that counts the reads of its items: how much of a payload the devtools walk. */
function countingArray(length: number): { array: unknown[]; reads: () => number } {
  let reads = 0
  const target = Array.from({ length }, (_, i) => i % 1000)
  const array = new Proxy(target, {
    get(object, property, receiver) {
      if (typeof property === 'string' && /^\d+$/.test(property)) reads += 1
      return Reflect.get(object, property, receiver)
    },
  })
  return { array, reads: () => reads }
}

describe('MessageLog: hostile payloads cost what is kept, not what was sent', () => {
  it('logs a message with a huge array without walking it all; its size is estimated near the JSON size', () => {
    const items = 200_000
    const { array, reads } = countingArray(items)
    const entry = new MessageLog(4).push('in', [36, 1, 2, {}, array])
    expect(reads()).toBeLessThan(20_000)
    const exact = JSON.stringify([36, 1, 2, {}, Array.from({ length: items }, (_, i) => i % 1000)]).length
    expect(entry.size).toBeGreaterThan(exact * 0.9)
    expect(entry.size).toBeLessThan(exact * 1.1)
    expect(((entry.message as unknown[])[4] as unknown[]).at(-1)).toBe(`… ${items - 20} more`)
  })

  it('sizes a typed array by its bytes, without listing its elements', () => {
    // 8 MB of bytes: about 10.7 MB as base64; listed as {"0":0.333…,…} it would be about 27 MB.
    const floats = new Float64Array(1_000_000).fill(1 / 3)
    const { size } = new MessageLog(1).push('out', [48, 1, {}, 'p', [floats]])
    expect(size).toBeGreaterThan(10_600_000)
    expect(size).toBeLessThan(10_700_000)
  })

  it('logs a deeply nested payload (100,000 levels) without overflowing the stack', () => {
    let array: unknown = 1
    let object: unknown = 1
    for (let i = 0; i < 100_000; i++) {
      array = [array]
      object = { a: object }
    }
    const log = new MessageLog(4)
    expect(log.push('in', [36, 1, 2, {}, [array]]).size).toBeGreaterThan(100)
    expect(log.push('in', [36, 1, 2, {}, [object]]).size).toBeGreaterThan(100)
  })

  it('keeps a short summary whatever the URI and IDs are (a message is summarized before it is validated)', () => {
    const log = new MessageLog(4)
    const uri = `com.${'x'.repeat(1_000_000)}`
    expect(log.push('out', [48, 1, {}, uri, []]).summary.length).toBeLessThan(300)
    const hugeId = Array.from({ length: 100_000 }, () => 'id')
    expect(log.push('in', [36, hugeId, 2, {}, []]).summary.length).toBeLessThan(300)
    expect(log.push('in', [8, hugeId, hugeId, {}, uri]).summary.length).toBeLessThan(300)
    expect(log.push('in', [2, 2n ** 4000n, {}]).summary.length).toBeLessThan(300)
  })

  it('sizes a string by its JSON text (escapes and UTF-8 bytes), exactly below the cut and about above it', () => {
    const exact = (message: unknown) => new TextEncoder().encode(JSON.stringify(message)).length
    for (const text of ['plain', 'quote " and \\ slash', 'line\nbreak\u0001', 'é€😀', '']) {
      const message = [16, 1, {}, 'com.example.t', [text], { k: text, n: null, b: true, f: 1.5 }]
      expect(messageSizeOf(message)).toBe(exact(message))
    }
    const long = [16, 1, {}, 'com.example.t', ['€'.repeat(1_000_000)]]
    const size = messageSizeOf(long)
    expect(size).toBeGreaterThan(exact(long) * 0.95)
    expect(size).toBeLessThan(exact(long) * 1.05)
  })
})

function messageSizeOf(message: unknown): number {
  return new MessageLog(1).push('out', message).size
}
