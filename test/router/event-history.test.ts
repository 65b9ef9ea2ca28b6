import { describe, expect, it } from 'vitest'
import { type Event, RPCError } from '../../src/client/index.js'
import { getEvents, lookupSubscription } from '../../src/meta/index.js'
import { createRouter } from '../../src/router/index.js'
import { failure, join, sleep, testRouter } from './support.js'

const history = {
  realm1: {
    eventHistory: [
      { topic: 'test.h.exact', limit: 3 },
      { topic: 'test.h.', match: 'prefix' as const, limit: 10 },
    ],
  },
}

describe('event history of the local router (wamp.subscription.get_events)', () => {
  it('keeps the last `limit` events of a configured subscription, oldest first, even with no subscriber', async () => {
    const router = testRouter(history)
    const publisher = await join(router)
    for (const n of [1, 2, 3, 4]) await publisher.publish('test.h.exact', [n], { n }, { acknowledge: true })
    const reader = await join(router)
    const id = await lookupSubscription(reader, 'test.h.exact')
    expect(id).toBeTypeOf('number')
    const { events, limitReached } = await getEvents(reader, id!)
    expect(events.map((event) => event.args[0])).toEqual([2, 3, 4])
    expect(events[0]).toMatchObject({ subscription: id, kwargs: { n: 2 }, details: {} })
    expect(limitReached).toBe(true)
    expect((await getEvents(reader, id!, { limit: 2, reverse: true })).events.map((e) => e.args[0])).toEqual([4, 3])
  })

  it('a subscriber gets the same subscription (and its history); it outlives its last subscriber', async () => {
    const router = testRouter(history)
    const subscriber = await join(router)
    const subscription = await subscriber.subscribe('test.h.exact', () => {})
    const publisher = await join(router)
    const publication = await publisher.publish('test.h.exact', ['a'], {}, { acknowledge: true })
    await subscription.unsubscribe()
    const reader = await join(router)
    expect(await lookupSubscription(reader, 'test.h.exact')).toBe(subscription.id)
    const { events } = await getEvents(reader, subscription.id)
    expect(events.map((event) => event.publication)).toEqual([publication])
  })

  it('pattern histories name the topic; `topic` filters; exclude/eligible publications are not stored', async () => {
    const router = testRouter(history)
    const publisher = await join(router)
    await publisher.publish('test.h.a', [1], {}, { acknowledge: true })
    await publisher.publish('test.h.b', [2], {}, { acknowledge: true })
    await publisher.publish('test.h.a', [3], {}, { acknowledge: true, exclude: [publisher.id] })
    const reader = await join(router)
    const id = await lookupSubscription(reader, 'test.h.', { match: 'prefix' })
    const all = await getEvents(reader, id!)
    expect(all.events.map((event) => [event.topic, event.args[0]])).toEqual([
      ['test.h.a', 1],
      ['test.h.b', 2],
    ])
    expect((await getEvents(reader, id!, { topic: 'test.h.b' })).events.map((e) => e.args[0])).toEqual([2])
  })

  it('no history: history_unavailable; unknown subscription: no_such_subscription; bad arguments: invalid_argument', async () => {
    const router = testRouter(history)
    const reader = await join(router)
    const plain = await reader.subscribe('test.plain', () => {})
    expect(((await failure(getEvents(reader, plain.id))) as RPCError).uri).toBe('wamp.error.history_unavailable')
    expect(((await failure(getEvents(reader, 424242))) as RPCError).uri).toBe('wamp.error.no_such_subscription')
    const id = await lookupSubscription(reader, 'test.h.exact')
    const bad = (await failure(reader.call('wamp.subscription.get_events', [id], { limit: 0 }))) as RPCError
    expect(bad).toBeInstanceOf(RPCError)
    expect(bad.uri).toBe('wamp.error.invalid_argument')
    expect(await lookupSubscription(reader, 'test.nothing')).toBeUndefined()
  })

  it('refuses a bad eventHistory entry at creation, naming it', () => {
    expect(() => createRouter({ realms: { realm1: { eventHistory: [{ topic: 'x', limit: 0 }] } } })).toThrow(
      /realm realm1: eventHistory x: limit must be a positive integer/,
    )
  })
})

describe('retained events of the local router', () => {
  it('get_retained delivers the last retained event of each matching topic, marked retained', async () => {
    const router = testRouter()
    const publisher = await join(router)
    await publisher.publish('test.r.a', ['old'], {}, { acknowledge: true, retain: true })
    await publisher.publish('test.r.a', ['new'], {}, { acknowledge: true, retain: true })
    await publisher.publish('test.r.a', ['not retained'], {}, { acknowledge: true })
    await publisher.publish('test.r.b', ['b'], {}, { acknowledge: true, retain: true, eligible: [publisher.id] })
    const subscriber = await join(router)
    const exact: Event[] = []
    const prefix: Event[] = []
    const none: Event[] = []
    await subscriber.subscribe('test.r.a', (event) => void exact.push(event), { get_retained: true })
    await subscriber.subscribe('test.r.', (event) => void prefix.push(event), { match: 'prefix', get_retained: true })
    await subscriber.subscribe('test.r.b', (event) => void none.push(event))
    await sleep(10)
    expect(exact.map((event) => [event.args[0], event.details.retained])).toEqual([['new', true]])
    // A publication limited to some sessions is not retained (the spec's rule for stored events).
    expect(prefix.map((event) => [event.topic, event.args[0]])).toEqual([['test.r.a', 'new']])
    expect(none).toEqual([])
  })
})
