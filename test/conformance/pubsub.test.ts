import { afterEach, describe, expect, it } from 'vitest'
import type { Event } from '../../src/client/index.js'
import { RPCError } from '../../src/client/index.js'
import { nextValue, sessions, sleep, targets, uniqueUri } from './targets.js'

describe.each(targets())('PubSub: $label', (target) => {
  const pool = sessions(target)
  afterEach(() => pool.closeAll())

  it('subscribe and publish: identical args and kwargs; acknowledged publication ID matches (§6.15)', async () => {
    const subscriber = await pool.join()
    const publisher = await pool.join()
    const topic = uniqueUri('ps.basic')
    const events = nextValue<Event>()
    const subscription = await subscriber.subscribe(topic, (event) => events.push(event))
    expect(subscriber.subscriptionId(topic)).toBe(subscription.id)
    const payload = [1, 'two', { three: [3] }, Uint8Array.of(1, 2, 3)]
    const publication: number = await publisher.publish(topic, payload, { k: 'v' }, { acknowledge: true })
    const event = await events.next()
    expect(event.publication).toBe(publication)
    expect(event.args).toEqual(payload)
    expect(event.kwargs).toEqual({ k: 'v' })
    expect(event.topic).toBe(topic)
    expect(event.subscription).toBe(subscription.id)
    expect(await publisher.publish(topic, ['no ack'])).toBeUndefined()
    expect((await events.next()).args).toEqual(['no ack'])
  })

  it('an invalid topic: ERROR invalid_uri with acknowledge; refused locally before sending (§6.16, §6.17)', async () => {
    const client = await pool.join()
    await expect(client.publish('a..b', [], {}, { acknowledge: true })).rejects.toThrow(/not a valid WAMP URI/)
    await expect(client.subscribe('a..b', () => {})).rejects.toThrow(/not a valid WAMP URI/)
    expect(client.stats.pendingRequests).toBe(0)
  })

  it('two handlers of one topic share one router subscription; both fire (§6.18)', async () => {
    const subscriber = await pool.join()
    const publisher = await pool.join()
    const topic = uniqueUri('ps.shared')
    const first = nextValue<Event>()
    const second = nextValue<Event>()
    const a = await subscriber.subscribe(topic, (e) => first.push(e))
    const b = await subscriber.subscribe(topic, (e) => second.push(e))
    expect(a.id).toBe(b.id)
    expect(subscriber.stats.subscriptions).toBe(1)
    await publisher.publish(topic, [1], {}, { acknowledge: true })
    expect((await first.next()).args).toEqual([1])
    expect((await second.next()).args).toEqual([1])
    await a.unsubscribe()
    await a.unsubscribe() // idempotent: must not remove b
    await publisher.publish(topic, [2], {}, { acknowledge: true })
    expect((await second.next()).args).toEqual([2])
    await sleep(50)
    expect(first.queued).toBe(0)
    await b.unsubscribe()
    expect(subscriber.stats.subscriptions).toBe(0)
  })

  it('no event to the publisher by default; delivered with exclude_me: false (§6.19)', async () => {
    const client = await pool.join()
    const topic = uniqueUri('ps.self')
    const events = nextValue<Event>()
    await client.subscribe(topic, (e) => events.push(e))
    await client.publish(topic, ['excluded'], {}, { acknowledge: true })
    await client.publish(topic, ['included'], {}, { acknowledge: true, exclude_me: false })
    expect((await events.next()).args).toEqual(['included'])
    await sleep(50)
    expect(events.queued).toBe(0)
  })

  it('unsubscribe stops the events; unsubscribing an unknown topic is refused locally (§6.26)', async () => {
    const subscriber = await pool.join()
    const publisher = await pool.join()
    const topic = uniqueUri('ps.unsub')
    const events = nextValue<Event>()
    await subscriber.subscribe(topic, (e) => events.push(e))
    await publisher.publish(topic, [1], {}, { acknowledge: true })
    await events.next()
    await subscriber.unsubscribe(topic)
    expect(subscriber.subscriptionId(topic)).toBeUndefined()
    await publisher.publish(topic, [2], {}, { acknowledge: true })
    await sleep(100)
    expect(events.queued).toBe(0)
    await expect(subscriber.unsubscribe(topic)).rejects.toThrow(/not subscribed/)
  })

  it('a handler that throws does not stop other handlers or the session', async () => {
    const errors: unknown[] = []
    const logger = { debug() {}, warn() {}, error: (_m: string, e: unknown) => errors.push(e) }
    const subscriber = await pool.join({ logger })
    const publisher = await pool.join()
    const topic = uniqueUri('ps.throws')
    const events = nextValue<Event>()
    await subscriber.subscribe(topic, () => {
      throw new Error('handler bug')
    })
    await subscriber.subscribe(topic, async () => {
      throw new Error('async handler bug')
    })
    await subscriber.subscribe(topic, (e) => events.push(e))
    await publisher.publish(topic, ['x'], {}, { acknowledge: true })
    expect((await events.next()).args).toEqual(['x'])
    await sleep(10)
    expect(errors.map((e) => (e as Error).message).sort()).toEqual(['async handler bug', 'handler bug'])
    expect(subscriber.isOpen).toBe(true)
  })

  it('disclose_me where the realm refuses disclosure: refused (nexus, local) or withheld (Crossbar.io) (§6.25)', async () => {
    const subscriber = await pool.join({ realm: 'realm2' })
    const client = await pool.join({ realm: 'realm2' })
    const topic = uniqueUri('ps.disclose')
    const events = nextValue<Event>(1000)
    await subscriber.subscribe(topic, (e) => events.push(e))
    const outcome = await client
      .publish(topic, ['x'], {}, { acknowledge: true, disclose_me: true })
      .catch((e: unknown) => e)
    if (target.router === 'crossbar') {
      // Crossbar.io accepts the publication but does not disclose the publisher.
      const event = await events.next()
      expect(outcome).toBe(event.publication)
      expect(event.details.publisher).toBeUndefined()
    } else {
      expect(outcome).toBeInstanceOf(RPCError)
      expect((outcome as RPCError).uri).toBe('wamp.error.option_disallowed.disclose_me')
      await expect(events.next()).rejects.toThrow(/nothing arrived/)
    }
    expect(client.isOpen).toBe(true)
  })
})
