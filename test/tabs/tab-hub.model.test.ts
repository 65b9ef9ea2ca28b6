/**
 * Model-based test of the hub: fast-check opens tabs, makes them vanish (no goodbye, as when a
 * tab crashes and the hub learns it from its lock) or close, holds and releases subscriptions and
 * registrations from random tabs, starts calls that hang until cancelled, and publishes. After
 * every command, once the system settled:
 * 1. there is at most one open session, and every live tab shows the same session ID;
 * 2. the router holds one subscription per topic held by any live tab, and none for other topics;
 * 3. no tab received an event twice, and every live holder received every event published while it was active;
 * 4. every procedure is answered by a live tab that claims it, and no claim is left for a gone tab;
 * 5. no call or invocation is left in flight in the hub for a gone tab.
 */
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import type { Event } from '../../src/client/index.js'
import type { RegistrationLease } from '../../src/connection/registrations.js'
import type { SubscriptionLease } from '../../src/connection/subscriptions.js'
import { sessionKey } from '../../src/tabs/hubs.js'
import type { TabConnection } from '../../src/tabs/tab-connection.js'
import { until } from '../support/wait.js'
import { createHarness, type Harness } from './harness.js'

const seed = Number(process.env.FUZZ_SEED ?? 0x7ab5) + 19
const TOPICS = ['model.tabs.a', 'model.tabs.b'] as const
const PROCEDURES = ['model.tabs.p', 'model.tabs.q'] as const

interface LiveTab {
  tab: TabConnection & { vanish(): void }
  subs: { topic: string; lease: SubscriptionLease; seen: number[] }[]
  regs: Map<string, RegistrationLease>
  calls: Set<Promise<unknown>>
  controllers: AbortController[]
}

interface Real {
  harness: Harness
  tabs: LiveTab[]
  duplicates: string[]
  /** Publications every holder must see: by topic. */
  published: Map<string, number[]>
}

type Model = Record<string, never>
type Command = fc.AsyncCommand<Model, Real>

const hubOf = (real: Real) => real.harness.hubs.hub(sessionKey({ realm: 'realm1' }))

async function settle(real: Real): Promise<void> {
  await until('every live lease settled', () =>
    real.tabs.every(
      (t) =>
        t.tab.getSnapshot().status === 'open' &&
        t.subs.every((s) => s.lease.status.getSnapshot().status === 'active') &&
        [...t.regs.values()].every((r) => ['active', 'pending'].includes(r.status.getSnapshot().status)),
    ),
  )
  const heldTopics = new Set(real.tabs.flatMap((t) => t.subs.map((s) => s.topic)))
  const claims = real.tabs.reduce((n, t) => n + t.regs.size, 0)
  await until('the hub matches the live tabs', () => {
    const hub = hubOf(real)
    if (real.tabs.length === 0) return hub === undefined
    if (!hub) return false
    const routerSubs = hub.connection.stats.subscriptions
    const inFlight = real.tabs.reduce((n, t) => n + t.tab.stats.requests, 0)
    return (
      routerSubs === heldTopics.size &&
      hub.stats.registrationClaims === claims &&
      hub.stats.calls <= inFlight &&
      // An invocation runs only for a call a live tab still waits for: a gone caller's call was cancelled.
      hub.stats.invocations <= inFlight &&
      hub.stats.tabs === real.tabs.length
    )
  })
  // Invariant 1
  await until('one open session', () => real.harness.sessions.filter((s) => s.isOpen).length <= 1)
  expect(new Set(real.tabs.map((t) => t.tab.getSnapshot().sessionId)).size).toBeLessThanOrEqual(1)
  // Invariant 2: what the router sees, counted by our spy on the session
  await until('one router subscription per held topic', () => real.harness.routerSubscriptions() === heldTopics.size)
  // Invariant 4
  const hub = hubOf(real)
  for (const procedure of PROCEDURES) {
    const holder = hub?.registrationHolder(procedure)
    const claimants = real.tabs.filter((t) => t.regs.has(procedure))
    if (claimants.length === 0) expect(holder).toBeUndefined()
    else expect(claimants.map((t) => t.tab.tabId)).toContain(holder)
  }
  // Invariant 5
  const liveIds = new Set(real.tabs.map((t) => t.tab.tabId))
  expect(hub?.tabIds.every((id) => liveIds.has(id)) ?? true).toBe(true)
  // Invariant 3
  expect(real.duplicates).toEqual([])
}

class OpenTab implements Command {
  check = (_m: Readonly<Model>) => true
  async run(_m: Model, real: Real) {
    const tab = real.harness.openTab()
    tab.start()
    real.tabs.push({ tab, subs: [], regs: new Map(), calls: new Set(), controllers: [] })
    await settle(real)
  }
  toString = () => 'openTab'
}

class LeaveTab implements Command {
  constructor(
    readonly index: number,
    readonly crash: boolean,
  ) {}
  check = (_m: Readonly<Model>) => true
  async run(_m: Model, real: Real) {
    if (real.tabs.length === 0) return
    const [gone] = real.tabs.splice(this.index % real.tabs.length, 1)
    if (!gone) return
    // A crashed tab's own promises never settle (it is gone); a closed one's are all rejected.
    if (this.crash) gone.tab.vanish()
    else {
      await gone.tab.close()
      await Promise.allSettled([...gone.calls])
    }
    await settle(real)
  }
  toString = () => `${this.crash ? 'vanish' : 'close'}(${this.index})`
}

class Subscribe implements Command {
  constructor(
    readonly index: number,
    readonly topic: string,
  ) {}
  check = (_m: Readonly<Model>) => true
  async run(_m: Model, real: Real) {
    const live = real.tabs[this.index % Math.max(1, real.tabs.length)]
    if (!live) return
    const seen: number[] = []
    const lease = live.tab.acquireSubscription(this.topic, (event: Event) => {
      if (seen.includes(event.publication)) real.duplicates.push(`${live.tab.tabId} ${this.topic} ${event.publication}`)
      seen.push(event.publication)
    })
    live.subs.push({ topic: this.topic, lease, seen })
    await settle(real)
  }
  toString = () => `subscribe(${this.index}, ${this.topic})`
}

class Unsubscribe implements Command {
  constructor(readonly index: number) {}
  check = (_m: Readonly<Model>) => true
  async run(_m: Model, real: Real) {
    const live = real.tabs.find((t) => t.subs.length > 0)
    const sub = live?.subs.splice(this.index % (live?.subs.length ?? 1), 1)[0]
    sub?.lease.release()
    await settle(real)
  }
  toString = () => `unsubscribe(${this.index})`
}

class Register implements Command {
  constructor(
    readonly index: number,
    readonly procedure: string,
  ) {}
  check = (_m: Readonly<Model>) => true
  async run(_m: Model, real: Real) {
    const live = real.tabs[this.index % Math.max(1, real.tabs.length)]
    if (!live || live.regs.has(this.procedure)) return
    const lease = live.tab.acquireRegistration(
      this.procedure,
      ({ signal }) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
        ),
    )
    live.regs.set(this.procedure, lease)
    await settle(real)
  }
  toString = () => `register(${this.index}, ${this.procedure})`
}

class Unregister implements Command {
  constructor(readonly procedure: string) {}
  check = (_m: Readonly<Model>) => true
  async run(_m: Model, real: Real) {
    const live = real.tabs.find((t) => t.regs.has(this.procedure))
    live?.regs.get(this.procedure)?.release()
    live?.regs.delete(this.procedure)
    await settle(real)
  }
  toString = () => `unregister(${this.procedure})`
}

class Call implements Command {
  constructor(
    readonly index: number,
    readonly procedure: string,
  ) {}
  check = (_m: Readonly<Model>) => true
  async run(_m: Model, real: Real) {
    const live = real.tabs[this.index % Math.max(1, real.tabs.length)]
    if (!live) return
    const controller = new AbortController()
    const invocationsBefore = hubOf(real)?.stats.invocations ?? 0
    let settled = false
    const call = live.tab.call(this.procedure, [], {}, { signal: controller.signal }).catch(() => undefined)
    live.calls.add(call)
    live.controllers.push(controller)
    void call.finally(() => {
      settled = true
      live.calls.delete(call)
    })
    // The call reached its callee (our callees hang until cancelled) or was answered (no callee).
    await until(
      'the call ran or was answered',
      () => settled || (hubOf(real)?.stats.invocations ?? 0) > invocationsBefore,
    )
    await settle(real)
  }
  toString = () => `call(${this.index}, ${this.procedure})`
}

class CancelCalls implements Command {
  check = (_m: Readonly<Model>) => true
  async run(_m: Model, real: Real) {
    for (const live of real.tabs) for (const controller of live.controllers.splice(0)) controller.abort()
    await Promise.allSettled(real.tabs.flatMap((t) => [...t.calls]))
    await until('no call in flight in the hub', () => (hubOf(real)?.stats.calls ?? 0) === 0)
    await until('no invocation in flight', () => (hubOf(real)?.stats.invocations ?? 0) === 0)
    await settle(real)
  }
  toString = () => 'cancelCalls'
}

class Publish implements Command {
  constructor(
    readonly index: number,
    readonly topic: string,
  ) {}
  check = (_m: Readonly<Model>) => true
  async run(_m: Model, real: Real) {
    const live = real.tabs[this.index % Math.max(1, real.tabs.length)]
    if (!live) return
    const id = await live.tab.publish(this.topic, [1], {}, { acknowledge: true, exclude_me: false })
    const holders = real.tabs.flatMap((t) => t.subs.filter((s) => s.topic === this.topic))
    await until('every holder heard the publication', () => holders.every((s) => s.seen.includes(id as number)))
    await settle(real)
  }
  toString = () => `publish(${this.index}, ${this.topic})`
}

const index = fc.nat(3)
const commands = [
  // Weighted towards several tabs: most invariants are about tabs leaving while others stay.
  fc.constant(new OpenTab()),
  fc.constant(new OpenTab()),
  fc.constant(new OpenTab()),
  fc.tuple(index, fc.boolean()).map(([i, crash]) => new LeaveTab(i, crash)),
  fc.tuple(index, fc.constantFrom(...TOPICS)).map(([i, t]) => new Subscribe(i, t)),
  index.map((i) => new Unsubscribe(i)),
  fc.tuple(index, fc.constantFrom(...PROCEDURES)).map(([i, p]) => new Register(i, p)),
  fc.tuple(index, fc.constantFrom(...PROCEDURES)).map(([i, p]) => new Register(i, p)),
  fc.constantFrom(...PROCEDURES).map((p) => new Unregister(p)),
  fc.tuple(index, fc.constantFrom(...PROCEDURES)).map(([i, p]) => new Call(i, p)),
  fc.tuple(index, fc.constantFrom(...PROCEDURES)).map(([i, p]) => new Call(i, p)),
  fc.constant(new CancelCalls()),
  fc.tuple(index, fc.constantFrom(...TOPICS)).map(([i, t]) => new Publish(i, t)),
]

let harness: Harness | undefined
afterEach(async () => {
  await harness?.close()
})

describe('the hub under tabs that come and go (model-based)', () => {
  it('keeps one session, one router subscription per held topic, each event once per tab, nothing left for gone tabs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 30 }), async (cmds) => {
        harness = createHarness()
        const real: Real = { harness, tabs: [], duplicates: [], published: new Map() }
        try {
          await fc.asyncModelRun(() => ({ model: {}, real }), cmds)
          for (const live of real.tabs) for (const controller of live.controllers) controller.abort()
        } finally {
          await harness.close()
          harness = undefined
        }
      }),
      { numRuns: 60, seed, timeout: 20_000, endOnFailure: true },
    )
  }, 120_000)

  // Sequences random runs reach rarely (a callee tab, a caller tab, then the caller's crash), run through the same model.
  it.each([
    [
      'a caller tab crashes during its call',
      () => [
        new OpenTab(),
        new OpenTab(),
        new Register(0, 'model.tabs.p'),
        new Call(1, 'model.tabs.p'),
        new LeaveTab(1, true),
      ],
    ],
    [
      'a callee tab crashes during a call',
      () => [
        new OpenTab(),
        new OpenTab(),
        new Register(0, 'model.tabs.p'),
        new Call(1, 'model.tabs.p'),
        new LeaveTab(0, true),
        new CancelCalls(),
      ],
    ],
    [
      'a second callee waits, then takes over',
      () => [
        new OpenTab(),
        new OpenTab(),
        new Register(0, 'model.tabs.p'),
        new Register(1, 'model.tabs.p'),
        new LeaveTab(0, false),
        new Call(1, 'model.tabs.p'),
        new CancelCalls(),
      ],
    ],
  ] as const)('%s', async (_name, scenario) => {
    harness = createHarness()
    const real: Real = { harness, tabs: [], duplicates: [], published: new Map() }
    await fc.asyncModelRun(() => ({ model: {}, real }), scenario())
    for (const live of real.tabs) for (const controller of live.controllers) controller.abort()
  })
})
