import { describe, expect, it } from 'vitest'
import type { Event, RegisterOptions, RPCError } from '../../src/client/index.js'
import { failure, join, sleep, testRouter } from './support.js'

describe('pattern-based registrations: exact > longest prefix > wildcard', () => {
  // The example of the spec (rpc_pattern_based_registration).
  const registrations: [string, RegisterOptions['match']][] = [
    ['a1.b2.c3.d4.e55', 'exact'],
    ['a1.b2.c3', 'prefix'],
    ['a1.b2.c3.d4', 'prefix'],
    ['a1.b2..d4.e5', 'wildcard'],
    ['a1.b2.c3..e5', 'wildcard'],
    ['a1.b2..d4.e5..g7', 'wildcard'],
    ['a1.b2..d4..f6.g7', 'wildcard'],
  ]
  const calls: [string, number][] = [
    ['a1.b2.c3.d4.e55', 1],
    ['a1.b2.c3.d98.e74', 2],
    ['a1.b2.c3.d4.e325', 3],
    ['a1.b2.c55.d4.e5', 4],
    // The spec also routes a1.b2.c3.d4.e5 to registration 5 "as no prefix matches", but prefixes 2 and 3
    // do match it, and by its own rule 3 wins: that case is tested below without the prefixes.
    ['a1.b2.c3.d4.e5', 3],
    ['a1.b2.c88.d4.e5.f6.g7', 6],
  ]

  it.each(calls)('%s goes to registration %i, with details.procedure for patterns', async (uri, expected) => {
    const router = testRouter()
    const callee = await join(router)
    for (const [index, [procedure, match]] of registrations.entries()) {
      await callee.register(procedure, ({ details }) => ({ args: [index + 1, details.procedure ?? null] }), { match })
    }
    const caller = await join(router)
    const { args } = await caller.call(uri)
    expect(args).toEqual([expected, expected === 1 ? null : uri])
  })

  it('of two wildcards, the longer run of components before the first wildcard wins', async () => {
    const router = testRouter()
    const callee = await join(router)
    for (const [index, [procedure, match]] of registrations.entries()) {
      if (match === 'wildcard') await callee.register(procedure, () => ({ args: [index + 1] }), { match })
    }
    const caller = await join(router)
    expect((await caller.call('a1.b2.c3.d4.e5')).args).toEqual([5])
  })

  it('no match: no_such_procedure', async () => {
    const router = testRouter()
    const callee = await join(router)
    for (const [procedure, match] of registrations) await callee.register(procedure, () => {}, { match })
    const caller = await join(router)
    expect(((await failure(caller.call('a2.b2.c2.d2.e2'))) as RPCError).uri).toBe('wamp.error.no_such_procedure')
  })

  it('a prefix is a plain string prefix', async () => {
    const router = testRouter()
    const callee = await join(router)
    await callee.register('test.obj1', ({ procedure }) => ({ args: [procedure] }), { match: 'prefix' })
    const caller = await join(router)
    expect((await caller.call('test.obj1-sub')).args).toEqual(['test.obj1-sub'])
    expect((await caller.call('test.obj1')).args).toEqual(['test.obj1'])
    expect(((await failure(caller.call('test.obj'))) as RPCError).uri).toBe('wamp.error.no_such_procedure')
  })
})

describe('pattern-based subscriptions', () => {
  it('one publication reaches exact, prefix and wildcard subscriptions: one EVENT each, one publication ID', async () => {
    const router = testRouter()
    const subscriber = await join(router)
    const publisher = await join(router)
    const events: Event[] = []
    await subscriber.subscribe('test.a.x.c', (e) => void events.push(e))
    await subscriber.subscribe('test.a', (e) => void events.push(e), { match: 'prefix' })
    await subscriber.subscribe('test.a..c', (e) => void events.push(e), { match: 'wildcard' })
    await publisher.publish('test.a.x.c', ['hi'], {}, { acknowledge: true })
    await sleep(20)
    expect(events).toHaveLength(3)
    expect(new Set(events.map((e) => e.publication)).size).toBe(1)
    expect(new Set(events.map((e) => e.subscription)).size).toBe(3)
    const patterned = events.filter((e) => e.details.topic !== undefined)
    expect(patterned.map((e) => e.details.topic)).toEqual(['test.a.x.c', 'test.a.x.c'])
  })

  it('a wildcard matches whole components only, and the same number of them', async () => {
    const router = testRouter()
    const subscriber = await join(router)
    const publisher = await join(router)
    const topics: string[] = []
    await subscriber.subscribe('test..c', (e) => void topics.push(e.topic), { match: 'wildcard' })
    for (const topic of ['test.x.c', 'test.x.y.c', 'test.x.cc', 'test.y.c']) {
      await publisher.publish(topic, [], {}, { acknowledge: true })
    }
    await sleep(20)
    expect(topics).toEqual(['test.x.c', 'test.y.c'])
  })
})
