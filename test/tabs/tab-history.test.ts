/**
 * Gap-free subscriptions (issue 20) in shared-tab mode (issue 19): the hub's Connection reads the
 * history, each tab gets every event once and in order with the lease's completeness mirrored.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Event } from '../../src/client/index.js'
import type { SubscriptionLease } from '../../src/connection/subscriptions.js'
import { InvalidArgumentError } from '../../src/protocol/errors.js'
import { readHubMessage, readTabMessage } from '../../src/tabs/messages.js'
import { type MessagePortLike, messagePortLink } from '../../src/tabs/port.js'
import { TabConnection } from '../../src/tabs/tab-connection.js'
import { TabSubscriptions } from '../../src/tabs/tab-subscriptions.js'
import { createWorld } from '../connection/world.js'
import { sleep, until } from '../support/wait.js'
import { createHarness, type Harness } from './harness.js'

const TOPIC = 'tabs.history.price'

let harness: Harness
afterEach(async () => {
  await harness?.close()
})

function historyHarness(limit = 1000): Harness {
  return createHarness({ world: createWorld({ eventHistory: [{ topic: TOPIC, limit }] }) })
}

async function publish(numbers: number[]): Promise<void> {
  const world = harness.world
  if (!world) throw new Error('no world')
  const admin = await world.admin()
  for (const n of numbers) await admin.publish(TOPIC, [n], {}, { acknowledge: true })
}

const settled = (lease: SubscriptionLease) => {
  const { status, completeness } = lease.status.getSnapshot()
  return status === 'active' && completeness?.filling === false
}

describe('history across tabs', () => {
  it('a tab starts with `last` N; a later tab on the same stream shares it (no `last` again) and its completeness', async () => {
    harness = historyHarness()
    await publish([1, 2, 3, 4, 5])
    const [a, b] = [harness.openTab(), harness.openTab()]
    a.start()
    b.start()
    const seenA: number[] = []
    const seenB: number[] = []
    const leaseA = a.acquireSubscription(TOPIC, (e: Event) => void seenA.push(e.args[0] as number), {}, { last: 3 })
    expect(leaseA.status.getSnapshot().completeness).toEqual({ status: 'complete', filling: true })
    await until('a filled', () => settled(leaseA))
    expect(seenA).toEqual([3, 4, 5])
    const leaseB = b.acquireSubscription(TOPIC, (e: Event) => void seenB.push(e.args[0] as number), {}, { last: 3 })
    await until('b active', () => settled(leaseB))
    await publish([6, 7])
    await until('both have 7', () => seenA.at(-1) === 7 && seenB.at(-1) === 7)
    expect(seenA).toEqual([3, 4, 5, 6, 7])
    expect(seenB).toEqual([6, 7])
    expect(leaseB.status.getSnapshot().completeness).toEqual({ status: 'complete', filling: false })
    expect(harness.routerSubscribes()).toBe(1)
  })

  it('the hub session drops while events are published: both tabs get every number once, in order, complete', async () => {
    harness = historyHarness()
    const tabs = [harness.openTab(), harness.openTab()]
    const seen = tabs.map(() => [] as number[])
    const leases = tabs.map((tab, i) => {
      tab.start()
      return tab.acquireSubscription(
        TOPIC,
        (e: Event) => void seen[i]?.push(e.args[0] as number),
        {},
        { backfill: true },
      )
    })
    await until('anchored', () => leases.every(settled))
    await publish([1, 2])
    await until('live', () => seen.every((s) => s.length === 2))
    expect(harness.world?.freeze()).toBe(true)
    await publish([3, 4, 5, 6])
    harness.world?.reapFrozen()
    await until('reconnected and filled', () => harness.sessions.length === 2 && leases.every(settled))
    await publish([7])
    await until('7 arrived', () => seen.every((s) => s.at(-1) === 7))
    expect(seen).toEqual([
      [1, 2, 3, 4, 5, 6, 7],
      [1, 2, 3, 4, 5, 6, 7],
    ])
    for (const lease of leases)
      expect(lease.status.getSnapshot().completeness).toEqual({ status: 'complete', filling: false })
  })

  it('a gap the history cannot fill is mirrored to the tab as partial, with its reason', async () => {
    harness = historyHarness(2)
    const tab = harness.openTab()
    tab.start()
    const seen: number[] = []
    const lease = tab.acquireSubscription(
      TOPIC,
      (e: Event) => void seen.push(e.args[0] as number),
      {},
      { backfill: true },
    )
    await until('anchored', () => settled(lease))
    await publish([1])
    await until('1', () => seen.length === 1)
    harness.world?.freeze()
    await publish([2, 3, 4, 5])
    harness.world?.reapFrozen()
    await until('filled again', () => harness.sessions.length === 2 && settled(lease))
    expect(seen).toEqual([1, 4, 5])
    expect(lease.status.getSnapshot().completeness).toMatchObject({ status: 'partial', filling: false })
    expect(lease.status.getSnapshot().completeness?.reason).toMatch(/history/)
  })

  it('`sequenceOf` cannot cross to the hub: the lease is refused with an error naming it, and nothing is sent', async () => {
    harness = historyHarness()
    const tab = harness.openTab()
    tab.start()
    const lease = tab.acquireSubscription(
      TOPIC,
      () => {},
      {},
      { backfill: true, sequenceOf: (e) => e.args[0] as number },
    )
    await until('refused', () => lease.status.getSnapshot().status === 'error')
    const { error } = lease.status.getSnapshot()
    expect(error).toBeInstanceOf(InvalidArgumentError)
    expect(error?.message).toContain('history.sequenceOf')
    const plain = tab.acquireSubscription('tabs.history.other', () => {})
    await until('the plain one active', () => plain.status.getSnapshot().status === 'active')
    expect(harness.routerSubscribes()).toBe(1)
    lease.release()
    await until('refused entry gone', () => tab.stats.subscriptions === 1)
    expect(harness.logged.filter((l) => l.message.includes('dropped'))).toEqual([])
  })

  it('history options of the wrong type are refused in the tab, not left pending', async () => {
    harness = historyHarness()
    const tab = harness.openTab()
    tab.start()
    const lease = tab.acquireSubscription(TOPIC, () => {}, {}, { last: '3' as unknown as number })
    await until('refused', () => lease.status.getSnapshot().status === 'error')
    expect(lease.status.getSnapshot().error?.message).toBe('history.last must be a finite number')
    const bad = tab.acquireSubscription(TOPIC, () => {}, {}, { last: -1 })
    await until('the hub says why', () => bad.status.getSnapshot().status === 'error')
    expect(bad.status.getSnapshot().error?.message).toContain('history.last must be a whole number')
  })
})

describe('the protocol carries history and completeness, checked', () => {
  const status = (completeness: unknown) => ({ t: 'sub-status', lease: 1, status: { status: 'active', completeness } })

  it('reads a well-formed completeness and history', () => {
    expect(readHubMessage(status({ status: 'partial', missing: 2, reason: 'x', filling: false })).ok).toBe(true)
    expect(
      readTabMessage({ t: 'sub', lease: 1, topic: 't', options: {}, history: { last: 3, backfill: true } }).ok,
    ).toBe(true)
  })

  it.each([
    ['an unknown status', { status: 'fine', filling: false }],
    ['no filling', { status: 'complete' }],
    ['a negative missing', { status: 'partial', missing: -1, filling: false }],
    ['a string', 'complete'],
  ])('drops a sub-status with %s in its completeness, naming it', (_what, completeness) => {
    expect(readHubMessage(status(completeness))).toEqual({
      ok: false,
      reason: 'sub-status: its completeness is malformed',
    })
  })

  it.each([
    ['a string last', { last: '3' }],
    ['an unknown key', { sequence: 1 }],
    ['a non-boolean backfill', { backfill: 1 }],
  ])('drops a sub with %s in its history', (_what, history) => {
    expect(readTabMessage({ t: 'sub', lease: 1, topic: 't', options: {}, history }).ok).toBe(false)
  })

  it('a tab drops a malformed completeness from the hub with a logged reason and keeps the last good one', async () => {
    const { port1, port2 } = new MessageChannel()
    const logged: string[] = []
    const tab = new TabConnection(
      {
        realm: 'realm1',
        logger: { debug() {}, warn: (m) => void logged.push(m), error: (m) => void logged.push(m) },
      },
      { kind: 'port', open: (_id, onHub) => onHub(messagePortLink(port1 as unknown as MessagePortLike)), close() {} },
    )
    const hub = messagePortLink(port2 as unknown as MessagePortLike)
    const sent: { t: string; lease?: number }[] = []
    hub.listen((m) => void sent.push(m as { t: string; lease?: number }))
    tab.start()
    const lease = tab.acquireSubscription('t', () => {}, {}, { last: 1 })
    await until('sub sent', () => sent.some((m) => m.t === 'sub'))
    const leaseId = sent.find((m) => m.t === 'sub')?.lease
    hub.post({
      t: 'sub-status',
      lease: leaseId,
      status: { status: 'active', completeness: { status: 'partial', filling: false } },
    })
    await until('partial', () => lease.status.getSnapshot().completeness?.status === 'partial')
    hub.post({
      t: 'sub-status',
      lease: leaseId,
      status: { status: 'active', completeness: { status: 'bad', filling: false } },
    })
    await until('logged', () => logged.some((m) => m.includes('completeness is malformed')))
    expect(lease.status.getSnapshot().completeness).toEqual({ status: 'partial', filling: false })
    await tab.close()
    port2.close()
  })
})

describe('TabSubscriptions across a hub change', () => {
  it('a new hub starting the stream afresh: what the tab had is not delivered again, and the move is a reported gap', async () => {
    const posted: { t: string; lease?: number }[] = []
    let next = 1
    const subs = new TabSubscriptions({
      post: (m) => void posted.push(m as { t: string }),
      nextLease: () => next++,
      logger: () => ({ debug() {}, warn() {}, error() {} }),
    })
    const seen: number[] = []
    const lease = subs.acquire(TOPIC, (e) => void seen.push(e.args[0] as number), {}, { last: 2 })
    await until('asked of the hub once its history part loaded', () => posted.some((m) => m.t === 'sub'))
    const event = (n: number) => ({
      args: [n],
      kwargs: {},
      details: {},
      topic: TOPIC,
      subscription: 1,
      publication: 100 + n,
    })
    subs.onStatus(1, { status: 'active', completeness: { status: 'complete', filling: false } })
    subs.onEvent(1, event(1))
    subs.onEvent(1, event(2))
    subs.replay()
    expect(posted.filter((m) => m.t === 'sub')).toHaveLength(2)
    expect(lease.status.getSnapshot()).toMatchObject({
      status: 'pending',
      completeness: { status: 'partial', filling: true },
    })
    // The new hub's first read starts with `last` 2 again: 1 and 2 are not delivered twice.
    subs.onEvent(1, event(1))
    subs.onEvent(1, event(2))
    subs.onEvent(1, event(3))
    subs.onStatus(1, { status: 'active', completeness: { status: 'complete', filling: false } })
    expect(seen).toEqual([1, 2, 3])
    expect(lease.status.getSnapshot().completeness).toMatchObject({ status: 'partial', filling: false })
    expect(lease.status.getSnapshot().completeness?.reason).toMatch(/moved to another tab/)
  })

  it('a new hub whose `last` brings events older than where the tab stands: they are not delivered, out of order', async () => {
    const posted: { t: string }[] = []
    const subs = new TabSubscriptions({
      post: (m) => void posted.push(m as { t: string }),
      nextLease: () => 1,
      logger: () => ({ debug() {}, warn() {}, error() {} }),
    })
    const seen: number[] = []
    subs.acquire(TOPIC, (e) => void seen.push(e.args[0] as number), {}, { last: 3 })
    await until('asked', () => posted.some((m) => m.t === 'sub'))
    const event = (n: number) => ({
      args: [n],
      kwargs: {},
      details: {},
      topic: TOPIC,
      subscription: 1,
      publication: 100 + n,
    })
    const filling = (status: 'pending' | 'active', yes: boolean) =>
      subs.onStatus(1, { status, completeness: { status: 'complete', filling: yes } })
    filling('active', false)
    subs.onEvent(1, event(4)) // this tab joined the stream late: 4 is all it had
    subs.replay()
    filling('pending', true)
    for (const n of [2, 3, 4]) subs.onEvent(1, event(n)) // the new hub's `last: 3`
    subs.onEvent(1, event(5))
    filling('active', false)
    expect(seen).toEqual([4, 5])
    subs.replay() // and a hub whose history no longer has 5: all it brings is newer
    filling('pending', true)
    for (const n of [7, 8]) subs.onEvent(1, event(n))
    expect(seen).toEqual([4, 5])
    filling('active', false)
    subs.onEvent(1, event(9))
    expect(seen).toEqual([4, 5, 7, 8, 9])
  })

  it('released at once, while its history part loads: the hub is asked and told in balance, or not at all', async () => {
    const posted: { t: string }[] = []
    const subs = new TabSubscriptions({
      post: (m) => void posted.push(m as { t: string }),
      nextLease: () => 1,
      logger: () => ({ debug() {}, warn() {}, error() {} }),
    })
    subs.acquire(TOPIC, () => {}, {}, { backfill: true }).release()
    await until('given back', () => subs.size === 0)
    await sleep(10)
    expect(posted.filter((m) => m.t === 'sub').length).toBe(posted.filter((m) => m.t === 'unsub').length)
  })
})
