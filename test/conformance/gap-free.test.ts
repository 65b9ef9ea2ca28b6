/**
 * Gap-free subscriptions against real routers (each its own router process, so histories start
 * empty): a proxy between the app and the router cuts the line for a few seconds while a publisher
 * keeps publishing numbered events.
 * - with a history longer than the outage: after the reconnect the app has every number once, in order;
 * - with a history shorter than the outage: `partial`, and the gap is exactly `missing`;
 * - on a topic without history: `unfillable`;
 * - `last: N` starts with the last N stored events; `retained` starts with the retained event
 *   where the router keeps one (Crossbar.io, ours; nexus does not).
 *
 * Router configuration (test/routers): `test.history.gapfree` keeps 1000 events, `test.history.gapshort`
 * 5. A second subscriber (the "keeper") stays on each history topic: nexus drops a subscription and its
 * history when its last subscriber leaves, and Crossbar.io stores events only while one is subscribed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type Client, connect, type Event } from '../../src/client/index.js'
import { type Connection, createConnection, type StreamCompleteness } from '../../src/connection/index.js'
import type { SubscriptionLease } from '../../src/connection/subscriptions.js'
import { selectedRouters, startRouter } from '../routers/start.js'
import type { RunningRouter } from '../routers/types.js'
import { type CutProxy, startCutProxy } from '../support/cut-proxy.js'
import { quietLogger } from '../support/fake-router.js'
import { sleep, uniqueUri } from './targets.js'

const OUTAGE_MS = 2500
const PUBLISH_EVERY_MS = 40

async function until(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`)
    await sleep(10)
  }
}

function gaps(numbers: number[]): number {
  let total = 0
  for (let i = 1; i < numbers.length; i += 1) total += (numbers[i] as number) - (numbers[i - 1] as number) - 1
  return total
}

describe.each(selectedRouters())('gap-free subscriptions on %s', (name) => {
  let router: RunningRouter
  let proxy: CutProxy
  /** Stays subscribed to the history topics for the whole suite (see the header). */
  let keeper: Client
  const clients: Client[] = []
  const connections: Connection[] = []
  beforeAll(async () => {
    router = await startRouter(name)
    proxy = await startCutProxy(Number(new URL(router.wsUrl).port))
    keeper = await connect(router.wsUrl, { realm: 'realm1', logger: quietLogger() })
    await keeper.subscribe('test.history.gapfree', () => {})
    await keeper.subscribe('test.history.gapshort', () => {})
  })
  afterAll(async () => {
    if (keeper?.isOpen) await keeper.close()
    await proxy?.close()
    await router?.stop()
  })
  afterEach(async () => {
    await Promise.all(connections.splice(0).map((c) => c.close()))
    await Promise.all(clients.splice(0).map((c) => (c.isOpen ? c.close().catch(() => {}) : undefined)))
  })

  const direct = async () => {
    const client = await connect(router.wsUrl, { realm: 'realm1', logger: quietLogger() })
    clients.push(client)
    return client
  }

  /** The app: a connection through the proxy, quick to reconnect once the line is back. */
  const app = () => {
    const connection = createConnection({
      realm: 'realm1',
      url: proxy.url(router.wsUrl),
      reconnect: { initialDelay: 100, maxDelay: 300 },
      liveness: false,
      responseTimeout: 3000,
      logger: quietLogger(),
    })
    connections.push(connection)
    connection.start()
    return connection
  }

  const completeness = (lease: SubscriptionLease): StreamCompleteness | undefined =>
    lease.status.getSnapshot().completeness

  const settled = (lease: SubscriptionLease) => () => {
    const status = lease.status.getSnapshot()
    return status.status === 'active' && status.completeness?.filling === false
  }

  /**
   * Subscribes the app with backfill, publishes numbered events every few ms, cuts the line for
   * OUTAGE_MS meanwhile, and returns what the app saw once the last number arrived.
   */
  async function outage(topic: string) {
    const publisher = await direct()
    const numbers: number[] = []
    const lease = app().acquireSubscription(
      topic,
      (event: Event) => {
        numbers.push(event.args[0] as number)
      },
      {},
      { backfill: true, sequenceOf: (event) => event.args[0] as number },
    )
    await until('subscribed and anchored in the history', settled(lease))
    let next = 1
    const publishFor = async (ms: number) => {
      const end = Date.now() + ms
      while (Date.now() < end) {
        await publisher.publish(topic, [next++], {}, { acknowledge: true })
        await sleep(PUBLISH_EVERY_MS)
      }
    }
    await publishFor(500)
    proxy.cut(OUTAGE_MS)
    await publishFor(OUTAGE_MS + 300)
    // Publications keep coming while the app reconnects and reads the history.
    const whileFilling = publishFor(800)
    await until('reconnected', () => lease.status.getSnapshot().status === 'active')
    await whileFilling
    await until('filled', settled(lease))
    const last = next - 1
    await until(`the last number (${last}) arrived`, () => numbers.at(-1) === last)
    for (let i = 1; i < numbers.length; i += 1) expect(numbers[i]).toBeGreaterThan(numbers[i - 1] as number)
    return { numbers, last, state: completeness(lease) }
  }

  it('a history longer than the outage: every number once, in order, complete', async () => {
    const { numbers, last, state } = await outage('test.history.gapfree')
    expect(numbers).toEqual(Array.from({ length: last }, (_, i) => i + 1))
    expect(state).toEqual({ status: 'complete', filling: false })
  }, 40_000)

  it('a history shorter than the outage: partial, the gap counted exactly', async () => {
    const { numbers, state } = await outage('test.history.gapshort')
    expect(state?.status).toBe('partial')
    expect(state?.missing).toBeGreaterThan(0)
    if (name === 'crossbar') {
      // Crossbar.io 26 stores each event once per receiver (here the keeper and the app) and, once the
      // history is full, fails while purging the duplicates: then one of the subscribers misses live
      // events (seen: one of two missed every 4th with limit 5). Those losses are the router's, silent
      // on the wire; the gap of the outage is still counted.
      expect(gaps(numbers)).toBeGreaterThanOrEqual(state?.missing as number)
    } else {
      expect(gaps(numbers)).toBe(state?.missing)
    }
  }, 40_000)

  it('a topic without history: unfillable', async () => {
    const { numbers, state } = await outage(uniqueUri('gapfree.nohistory'))
    expect(state?.status).toBe('unfillable')
    // The outage's events are lost, and said to be: the numbers jump.
    expect(gaps(numbers)).toBeGreaterThan(0)
  }, 40_000)

  it('last: N starts with the last N stored events, then live ones', async () => {
    const topic = 'test.history.gapfree'
    const publisher = await direct()
    for (let n = 101; n <= 106; n += 1) await publisher.publish(topic, [n], {}, { acknowledge: true })
    const numbers: number[] = []
    const lease = app().acquireSubscription(
      topic,
      (event) => void numbers.push(event.args[0] as number),
      {},
      {
        last: 3,
      },
    )
    await until('filled', settled(lease))
    await publisher.publish(topic, [107], {}, { acknowledge: true })
    await until('the live event', () => numbers.includes(107))
    expect(numbers).toEqual([104, 105, 106, 107])
    expect(completeness(lease)?.status).toBe('complete')
  })

  it('retained: the topic’s retained event first, where the router keeps one', async () => {
    const topic = uniqueUri('gapfree.retained')
    const publisher = await direct()
    await publisher.publish(topic, ['old'], {}, { acknowledge: true, retain: true })
    await publisher.publish(topic, ['kept'], {}, { acknowledge: true, retain: true })
    const seen: Event[] = []
    const lease = app().acquireSubscription(topic, (event) => void seen.push(event), {}, { retained: true })
    await until('subscribed', () => lease.status.getSnapshot().status === 'active')
    await publisher.publish(topic, ['live'], {}, { acknowledge: true })
    await until('the live event', () => seen.some((event) => event.args[0] === 'live'))
    if (publisher.hasFeature('broker', 'event_retention')) {
      expect(seen.map((event) => event.args[0])).toEqual(['kept', 'live'])
      expect(seen[0]?.details.retained).toBe(true)
    } else {
      // nexus keeps no retained events (WAMP.md §5): the live one only.
      expect(seen.map((event) => event.args[0])).toEqual(['live'])
    }
  })
})
