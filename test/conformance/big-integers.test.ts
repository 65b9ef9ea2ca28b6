import { afterEach, describe, expect, it } from 'vitest'
import type { Event } from '../../src/client/index.js'
import { nextValue, sessions, targets, uniqueUri } from './targets.js'

// Issue 16 item 2: integers beyond ±2^53 cross every router exactly, as BigInt, in JSON and MsgPack.
const edges = [2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n, -(2n ** 53n) - 1n]

describe.each(targets())('64-bit integers: $label', (target) => {
  const pool = sessions(target)
  afterEach(() => pool.closeAll())

  it('a call and its result carry int64/uint64 edge values exactly', async () => {
    const [callee, caller] = [await pool.join(), await pool.join()]
    const procedure = uniqueUri('rpc.int64')
    const seen: unknown[] = []
    await callee.register(procedure, ({ args, kwargs }) => {
      seen.push(args, kwargs)
      return { args, kwargs: { ...kwargs, back: 2n ** 64n - 2n } }
    })
    const result = await caller.call(procedure, edges, { max: 2n ** 63n - 1n, safe: 2 ** 53 })
    expect(seen).toEqual([edges, { max: 2n ** 63n - 1n, safe: 2 ** 53 }])
    expect(result.args).toEqual(edges)
    expect(result.kwargs).toEqual({ max: 2n ** 63n - 1n, safe: 2 ** 53, back: 2n ** 64n - 2n })
  })

  it('an event carries int64/uint64 edge values exactly', async () => {
    const [subscriber, publisher] = [await pool.join(), await pool.join()]
    const topic = uniqueUri('ps.int64')
    const events = nextValue<Event>()
    await subscriber.subscribe(topic, (event) => events.push(event))
    await publisher.publish(topic, edges, { min: -(2n ** 63n) }, { acknowledge: true })
    const event = await events.next()
    expect(event.args).toEqual(edges)
    expect(event.kwargs).toEqual({ min: -(2n ** 63n) })
  })
})
