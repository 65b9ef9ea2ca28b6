/**
 * Property test of gap-free subscriptions on the in-process router: fast-check drives random
 * bursts of numbered publications, outages (the link goes dead: events sent meanwhile are lost on
 * the wire, then the router reaps the session and the connection reconnects), short waits and
 * publications racing the history read. Two holders subscribe with `backfill`: one to a topic whose
 * history outlasts every outage, one to a topic that keeps only 4 events.
 *
 * Invariants (after every step):
 * 1. each holder's delivered numbers strictly increase (in publication order, none twice);
 * 2. while `completeness` is `complete`, they have no gap;
 * 3. when it is `partial` with `missing` known, the gaps add up to exactly `missing`;
 * and after a settle (the session open, no fill in flight, every publication acknowledged):
 * 4. the long-history holder has every number since its first one, and says `complete`.
 */
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import type { Event } from '../../src/client/index.js'
import { type Connection, createConnection, type StreamCompleteness } from '../../src/connection/index.js'
import type { SubscriptionLease } from '../../src/connection/subscriptions.js'
import { sleep, until } from '../support/wait.js'
import { createWorld, type World } from './world.js'

const seed = Number(process.env.FUZZ_SEED ?? 0x5eed2026) + 20
const LONG = 'model.history.long'
const SHORT = 'model.history.short'
const SHORT_LIMIT = 4

interface Holder {
  topic: string
  lease: SubscriptionLease
  numbers: number[]
}

interface Real {
  world: World
  connection: Connection
  holders: Holder[]
  next: number
  publishing: Promise<unknown>[]
  outage: boolean
}

type Command = fc.AsyncCommand<Record<string, never>, Real>
const stats = { runs: 0, steps: 0, outages: 0, partial: 0, missingKnown: 0 }

function completeness(holder: Holder): StreamCompleteness | undefined {
  return holder.lease.status.getSnapshot().completeness
}

function gaps(numbers: number[]): number {
  let total = 0
  for (let i = 1; i < numbers.length; i += 1) total += (numbers[i] as number) - (numbers[i - 1] as number) - 1
  return total
}

function checkInvariants(real: Real): void {
  for (const holder of real.holders) {
    const { numbers } = holder
    for (let i = 1; i < numbers.length; i += 1) {
      expect(numbers[i], `${holder.topic}: in order, once (${numbers.join(',')})`).toBeGreaterThan(
        numbers[i - 1] as number,
      )
    }
    const state = completeness(holder)
    expect(state, `${holder.topic}: completeness is reported`).toBeDefined()
    if (state?.status === 'complete') expect(gaps(numbers), `${holder.topic}: complete has no gap`).toBe(0)
    if (state?.status === 'partial' && state.missing !== undefined) {
      expect(gaps(numbers), `${holder.topic}: the gaps are the missing count`).toBe(state.missing)
    }
  }
}

const publish = (count: number): Command => ({
  check: () => true,
  async run(_model, real) {
    const admin = await real.world.admin()
    for (let i = 0; i < count; i += 1) {
      const n = real.next++
      for (const topic of [LONG, SHORT]) {
        real.publishing.push(admin.publish(topic, [n], {}, { acknowledge: true }))
      }
    }
    checkInvariants(real)
  },
  toString: () => `publish ${count}`,
})

const dropLink: Command = {
  check: () => true,
  async run(_model, real) {
    if (!real.outage && real.world.freeze()) {
      real.outage = true
      stats.outages += 1
    }
    checkInvariants(real)
  },
  toString: () => 'drop the link',
}

const reap: Command = {
  check: () => true,
  async run(_model, real) {
    real.world.reapFrozen()
    real.outage = false
    checkInvariants(real)
  },
  toString: () => 'router reaps the dead link',
}

/** The session comes back while publications keep coming, so some race the history read. */
const reapWhilePublishing = (count: number): Command => ({
  check: () => true,
  async run(_model, real) {
    real.world.reapFrozen()
    real.outage = false
    const admin = await real.world.admin()
    for (let i = 0; i < count; i += 1) {
      const n = real.next++
      for (const topic of [LONG, SHORT]) real.publishing.push(admin.publish(topic, [n], {}, { acknowledge: true }))
      await (i % 2 === 0 ? sleep(1) : new Promise((resolve) => setImmediate(resolve)))
    }
    checkInvariants(real)
  },
  toString: () => `router reaps the dead link while ${count} publications go out`,
})

const wait = (ms: number): Command => ({
  check: () => true,
  async run(_model, real) {
    await sleep(ms)
    checkInvariants(real)
  },
  toString: () => `wait ${ms} ms`,
})

async function settle(real: Real): Promise<void> {
  real.world.reapFrozen()
  real.outage = false
  await Promise.all(real.publishing)
  await until('the subscriptions are active and filled', () =>
    real.holders.every((holder) => {
      const status = holder.lease.status.getSnapshot()
      return status.status === 'active' && status.completeness?.filling === false
    }),
  )
  checkInvariants(real)
  // The last acknowledged publication is on its way to the subscriber: let it arrive.
  const last = real.next - 1
  if (last === 0) {
    for (const holder of real.holders) expect(holder.numbers).toEqual([])
    return
  }
  await until('the last event arrived', () => real.holders.every((holder) => holder.numbers.at(-1) === last)).catch(
    (error) => {
      const state = real.holders.map((h) => ({ t: h.topic, n: h.numbers, s: h.lease.status.getSnapshot() }))
      throw new Error(`${error.message}: ${JSON.stringify(state)}`)
    },
  )
  checkInvariants(real)
  const [long, short] = real.holders as [Holder, Holder]
  const first = long.numbers[0] as number
  expect(long.numbers, 'the long history fills every outage').toEqual(
    Array.from({ length: last - first + 1 }, (_, i) => first + i),
  )
  expect(completeness(long)?.status).toBe('complete')
  const shortState = completeness(short)
  if (shortState?.status === 'partial') {
    stats.partial += 1
    if (shortState.missing !== undefined) stats.missingKnown += 1
  }
}

async function setup(): Promise<Real> {
  const world = createWorld(
    {
      eventHistory: [
        { topic: LONG, limit: 10_000 },
        { topic: SHORT, limit: SHORT_LIMIT },
      ],
    },
    { lag: true },
  )
  const connection = createConnection({
    realm: 'realm1',
    open: world.open,
    logger: { debug() {}, warn() {}, error() {} },
    responseTimeout: 300,
    reconnect: { initialDelay: 1, maxDelay: 5 },
    liveness: false,
    waitForSession: 500,
  })
  connection.start()
  const real: Real = { world, connection, holders: [], next: 1, publishing: [], outage: false }
  for (const topic of [LONG, SHORT]) {
    const numbers: number[] = []
    const lease = connection.acquireSubscription(
      topic,
      (event: Event) => {
        numbers.push(event.args[0] as number)
      },
      {},
      { backfill: true, sequenceOf: (event) => event.args[0] as number },
    )
    real.holders.push({ topic, lease, numbers })
  }
  // Subscribed and anchored in the history (the first read answered).
  await until('subscribed', () =>
    real.holders.every((h) => {
      const status = h.lease.status.getSnapshot()
      return status.status === 'active' && status.completeness?.filling === false
    }),
  )
  return real
}

describe('gap-free subscriptions on the in-process router (model-based)', () => {
  afterAll(() => {
    console.info(`[backfill model] ${JSON.stringify(stats)}`)
  })

  it('delivers the published sequence, each once, in order, with at most a reported gap', async () => {
    const commands = [
      fc.integer({ min: 1, max: 6 }).map(publish),
      fc.constant(dropLink),
      fc.constant(reap),
      fc.integer({ min: 1, max: 40 }).map(reapWhilePublishing),
      fc.integer({ min: 0, max: 8 }).map(wait),
    ]
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 30 }), async (cmds) => {
        stats.runs += 1
        const real = await setup()
        try {
          for (const command of cmds) {
            stats.steps += 1
            await command.run({}, real)
          }
          await settle(real)
        } finally {
          for (const holder of real.holders) holder.lease.release()
          await real.connection.close()
          await real.world.dispose()
        }
      }),
      { seed, numRuns: 60 },
    )
    expect(stats.outages).toBeGreaterThan(0)
    expect(stats.partial).toBeGreaterThan(0)
  }, 120_000)
})
