/**
 * Model-based test of gap-free subscriptions shared across tabs, on the in-process router with an
 * event history: fast-check drives numbered publications, outages of the hub's session (its link
 * goes dead, events published meanwhile are lost on the wire, then the router reaps it and the hub
 * reconnects), publications racing the reconnect, tabs joining the stream late, and waits. Every tab
 * holds the same `{ backfill: true }` subscription, so they share one stream of the hub's Connection.
 *
 * Invariants (after every step):
 * 1. each tab's delivered numbers strictly increase (in order, none twice);
 * 2. each tab mirrors a completeness, and while it is `complete` the tab's numbers have no gap;
 * 3. one router subscription, however many tabs hold it;
 * The session also moves to another hub (the leader tab closes): the new hub starts the stream
 * afresh (`last: 3` again); each tab lines it up with its own position, so invariant 1 holds, and
 * says `partial` (what was published during the move is not read back) — checked at the settle.
 * and after a settle (the session open, no fill in flight, every publication acknowledged):
 * 4. every tab has every number from its first one to the last published, and says `complete`;
 *    a tab that joined later gets nothing the stream had delivered before it joined (no `last`
 *    again), but does get what the stream was still to fill (published while the link was dead).
 */
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import type { Event } from '../../src/client/index.js'
import type { SubscriptionLease } from '../../src/connection/subscriptions.js'
import { createWorld, type World } from '../connection/world.js'
import { sleep, until } from '../support/wait.js'
import { createHarness, type Harness } from './harness.js'

const seed = Number(process.env.FUZZ_SEED ?? 0x7ab5) + 2019
const TOPIC = 'model.tabs.history'
const MAX_TABS = 3

interface Holder {
  lease: SubscriptionLease
  numbers: number[]
  /** The next number published when it joined. */
  joinedAt: number
  /**
   * The newest number the stream had delivered when it joined: it gets none up to it (no `last`
   * again). It may get older ones the stream had not delivered yet (lost on a dead link, then filled).
   */
  streamAt: number
  /** The session moved to another hub while this tab held the stream: a gap it must report. */
  moved?: boolean
  /**
   * It joined after a move: the new hub's first fill (its `last`) may still have been on its way,
   * and reaches every holder of that time, so `streamAt` (the old stream's) says nothing.
   */
  afterMove: boolean
}

interface Real {
  harness: Harness
  world: World
  holders: Holder[]
  next: number
  publishing: Promise<unknown>[]
  moves: number
}

type Command = fc.AsyncCommand<Record<string, never>, Real>
const stats = { runs: 0, steps: 0, outages: 0, joins: 0, moves: 0, delivered: 0 }

function gaps(numbers: number[]): number {
  let total = 0
  for (let i = 1; i < numbers.length; i += 1) total += (numbers[i] as number) - (numbers[i - 1] as number) - 1
  return total
}

function checkInvariants(real: Real): void {
  real.holders.forEach(({ lease, numbers }, index) => {
    for (let i = 1; i < numbers.length; i += 1) {
      expect(numbers[i], `tab ${index}: in order, once (${numbers.join(',')})`).toBeGreaterThan(
        numbers[i - 1] as number,
      )
    }
    const completeness = lease.status.getSnapshot().completeness
    expect(completeness, `tab ${index}: completeness is mirrored`).toBeDefined()
    if (completeness?.status === 'complete') expect(gaps(numbers), `tab ${index}: complete has no gap`).toBe(0)
  })
  expect(real.harness.routerSubscriptions()).toBeLessThanOrEqual(1)
}

function join(real: Real): Holder {
  const tab = real.harness.openTab()
  tab.start()
  const numbers: number[] = []
  const lease = tab.acquireSubscription(
    TOPIC,
    (event: Event) => {
      numbers.push(event.args[0] as number)
    },
    {},
    { last: 3, backfill: true },
  )
  const streamAt = Math.max(0, ...real.holders.map((h) => h.numbers.at(-1) ?? 0))
  const holder = { lease, numbers, joinedAt: real.next, streamAt, afterMove: real.moves > 0 }
  real.holders.push(holder)
  return holder
}

const publish = (count: number): Command => ({
  check: () => true,
  async run(_model, real) {
    const admin = await real.world.admin()
    for (let i = 0; i < count; i += 1) {
      real.publishing.push(admin.publish(TOPIC, [real.next++], {}, { acknowledge: true }))
    }
    checkInvariants(real)
  },
  toString: () => `publish ${count}`,
})

const dropSession: Command = {
  check: () => true,
  async run(_model, real) {
    if (!real.world.hasFrozen() && real.world.freeze()) stats.outages += 1
    checkInvariants(real)
  },
  toString: () => "the hub's session goes dead",
}

const reapWhilePublishing = (count: number): Command => ({
  check: () => true,
  async run(_model, real) {
    real.world.reapFrozen()
    const admin = await real.world.admin()
    for (let i = 0; i < count; i += 1) {
      real.publishing.push(admin.publish(TOPIC, [real.next++], {}, { acknowledge: true }))
      await (i % 2 === 0 ? sleep(1) : new Promise((resolve) => setImmediate(resolve)))
    }
    checkInvariants(real)
  },
  toString: () => `the router reaps it while ${count} publications go out`,
})

const joinLate: Command = {
  check: () => true,
  async run(_model, real) {
    if (real.holders.length >= MAX_TABS) return
    // It may join while a fill is in flight (or its read is stuck on a dead link): whatever the
    // stream delivers from then on is newer than what it had delivered (`streamAt`).
    await Promise.all(real.publishing)
    stats.joins += 1
    const holder = join(real)
    if (!real.world.hasFrozen())
      await until('the new tab is active', () => holder.lease.status.getSnapshot().status === 'active')
    checkInvariants(real)
  },
  toString: () => 'a tab joins the stream',
}

/** The leader tab closes: a new hub, a new session, every tab asks it again (its `last: 3` comes again). */
const moveHub: Command = {
  check: () => true,
  async run(_model, real) {
    stats.moves += 1
    real.moves += 1
    // The leader tab closes for good: its session ends (a dead link of it is reaped, not left half-open).
    real.world.reapFrozen()
    for (const holder of real.holders) holder.moved = true
    await real.harness.moveHub()
    checkInvariants(real)
  },
  toString: () => 'the session moves to another hub',
}

const wait = (ms: number): Command => ({
  check: () => true,
  async run(_model, real) {
    await sleep(ms)
    checkInvariants(real)
  },
  toString: () => `wait ${ms} ms`,
})

function settledHolder(holder: Holder): boolean {
  const { status, completeness } = holder.lease.status.getSnapshot()
  return status === 'active' && completeness?.filling === false
}

async function settle(real: Real): Promise<void> {
  real.world.reapFrozen()
  await Promise.all(real.publishing)
  await until('every tab active and filled', () => real.holders.every(settledHolder))
  checkInvariants(real)
  const last = real.next - 1
  await until('the last event reached every tab that was there for it', () =>
    real.holders.every((h) => h.joinedAt > last || h.numbers.at(-1) === last),
  ).catch((error: Error) => {
    const state = real.holders.map((h) => ({ n: h.numbers, s: h.lease.status.getSnapshot(), j: h.joinedAt }))
    throw new Error(`${error.message}: ${JSON.stringify(state)}`)
  })
  checkInvariants(real)
  for (const [index, holder] of real.holders.entries()) {
    const first = holder.numbers[0]
    const completeness = holder.lease.status.getSnapshot().completeness?.status
    // A new hub's first read can be lost with its session (an outage right after the move): the
    // Connection reports that `partial` (issue 20), which every later holder of that stream shares.
    if (holder.moved || (holder.afterMove && completeness === 'partial')) {
      // What was published during the move is not read back: a reported gap (checked after every
      // step: `complete` has no gap), or none when it was not asked of the old hub yet.
      if (last > 0) expect(holder.numbers.at(-1), `tab ${index}: live again after the move`).toBe(last)
      continue
    }
    if (first === undefined) {
      expect(holder.joinedAt, `tab ${index}: nothing since it joined`).toBeGreaterThan(last)
      continue
    }
    if (!holder.afterMove) expect(first, `tab ${index}: no \`last\` again`).toBeGreaterThan(holder.streamAt)
    expect(first, `tab ${index}: nothing missed since it joined`).toBeLessThanOrEqual(holder.joinedAt)
    expect(holder.numbers, `tab ${index}: every number from its first`).toEqual(
      Array.from({ length: last - first + 1 }, (_, i) => first + i),
    )
    expect(completeness).toBe('complete')
    stats.delivered += holder.numbers.length
  }
}

describe('history across tabs (model-based)', () => {
  afterAll(() => {
    console.info(`[tab history model] ${JSON.stringify(stats)}`)
  })

  it('every tab gets every number once, in order, through hub session outages, complete after each fill', async () => {
    const commands = [
      fc.integer({ min: 1, max: 6 }).map(publish),
      fc.constant(dropSession),
      fc.integer({ min: 1, max: 20 }).map(reapWhilePublishing),
      fc.constant(joinLate),
      fc.constant(moveHub),
      fc.integer({ min: 0, max: 6 }).map(wait),
    ]
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 25 }), async (cmds) => {
        stats.runs += 1
        const world = createWorld({ eventHistory: [{ topic: TOPIC, limit: 10_000 }] }, { lag: true })
        const harness = createHarness({ world })
        const real: Real = { harness, world, holders: [], next: 1, publishing: [], moves: 0 }
        try {
          join(real)
          await until('the first tab is live', () => real.holders.every(settledHolder))
          for (const command of cmds) {
            stats.steps += 1
            await command.run({}, real)
          }
          await settle(real)
        } finally {
          await harness.close()
        }
      }),
      { seed, numRuns: 80 },
    )
    expect(stats.outages).toBeGreaterThan(0)
    expect(stats.joins).toBeGreaterThan(0)
    expect(stats.moves).toBeGreaterThan(0)
  }, 120_000)
})
