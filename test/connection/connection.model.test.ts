// @vitest-environment happy-dom
/**
 * Model-based fault test of the connection: fast-check drives random interleavings of router
 * kills and restarts, half-open drops and reaps, wake-ups, revocations, several holders acquiring
 * and releasing subscriptions and registrations, listeners that throw, publishes, and close().
 * After every step the invariants below hold; a `settle` step proves that everything held heals.
 *
 * Invariants (checked after every command):
 * 1. at most one connection attempt was ever in flight at once;
 * 2. at most one of the sessions the connection opened is open, and it is the connection's session;
 * 3. `status` is `open` exactly when the connection has a session (once pending callbacks ran);
 * 4. no holder received an event twice;
 * 5. every throw of a listener or handler went to the logger, never further (no unhandled rejection);
 * and after close(): no attempt, timer or waiter left, every session closed, no wake-up listener.
 */
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import type { Event } from '../../src/client/index.js'
import type { Logger } from '../../src/client/logger.js'
import { type Connection, createConnection } from '../../src/connection/index.js'
import type { RegistrationLease } from '../../src/connection/registrations.js'
import type { SubscriptionLease } from '../../src/connection/subscriptions.js'
import { sleep, until } from '../support/wait.js'
import { createWorld, type World } from './world.js'

const soak = process.env.SOAK === '1'
const seed = Number(process.env.FUZZ_SEED ?? 0x5eed2026) + 14
const TOPICS = ['model.topic.a', 'model.topic.b'] as const
const PROCEDURES = ['model.proc.a', 'model.proc.b'] as const

interface SubHolder {
  kind: 'sub'
  topic: string
  lease: SubscriptionLease
  seen: Set<number>
  throws: boolean
}
interface RegHolder {
  kind: 'reg'
  procedure: string
  lease: RegistrationLease
}

interface Real {
  world: World
  connection: Connection
  subs: SubHolder[]
  regs: RegHolder[]
  logged: unknown[]
  published: number
  duplicates: string[]
  /** Wake-up listeners added to and removed from window. */
  wakeListeners: () => number
  restoreWindow: () => void
  closed: boolean
}

/** The model is the real system's own bookkeeping: the commands check the real system against rules. */
type Model = Record<string, never>
type Command = fc.AsyncCommand<Model, Real>

const stats = { runs: 0, steps: 0, kills: 0, restarts: 0, halfOpens: 0, wakes: 0, revocations: 0, settles: 0 }

async function checkInvariants(real: Real): Promise<void> {
  // A session's end reaches the machine through its `closed` promise: let those callbacks run.
  await sleep(0)
  const { world, connection } = real
  expect(world.maxConcurrentAttempts, 'attempts in flight at once').toBeLessThanOrEqual(1)
  const open = world.opened.filter((client) => client.isOpen)
  expect(open.length, 'open sessions').toBeLessThanOrEqual(1)
  if (open.length === 1) expect(connection.session ?? open[0], 'the open session is the connection’s').toBe(open[0])
  const status = connection.getSnapshot().status
  expect(status === 'open', `status ${status} with session ${connection.session?.id}`).toBe(
    connection.session !== undefined,
  )
  expect(real.duplicates, 'events delivered twice').toEqual([])
  for (const error of real.logged) expect(String(error)).toMatch(/deliberate/)
}

const acquireSub = (topicIndex: number, throws: boolean): Command => ({
  check: (_m) => true,
  async run(_m, real) {
    if (real.closed) return
    const topic = TOPICS[topicIndex]!
    const seen = new Set<number>()
    const holder: SubHolder = {
      kind: 'sub',
      topic,
      seen,
      throws,
      lease: real.connection.acquireSubscription(topic, (event: Event) => {
        const n = event.args[0] as number
        if (seen.has(n)) real.duplicates.push(`${topic} #${n}`)
        seen.add(n)
        if (throws) throw new Error('deliberate handler failure')
      }),
    }
    real.subs.push(holder)
    await checkInvariants(real)
  },
  toString: () => `acquireSub(${TOPICS[topicIndex]}${throws ? ', throws' : ''})`,
})

const releaseSub = (pick: number): Command => ({
  check: () => true,
  async run(_m, real) {
    const holder = real.subs.splice(pick % Math.max(1, real.subs.length), 1)[0]
    holder?.lease.release()
    await checkInvariants(real)
  },
  toString: () => `releaseSub(${pick})`,
})

const acquireReg = (procedureIndex: number): Command => ({
  check: () => true,
  async run(_m, real) {
    if (real.closed) return
    const procedure = PROCEDURES[procedureIndex]!
    const lease = real.connection.acquireRegistration(procedure, () => ({ args: [procedure] }))
    if (real.regs.some((held) => held.procedure === procedure)) {
      // One callee per procedure and app: a second holder is refused at once, for good.
      expect(lease.status.getSnapshot().status).toBe('error')
      lease.release()
    } else {
      real.regs.push({ kind: 'reg', procedure, lease })
    }
    await checkInvariants(real)
  },
  toString: () => `acquireReg(${PROCEDURES[procedureIndex]})`,
})

const releaseReg = (pick: number): Command => ({
  check: () => true,
  async run(_m, real) {
    const holder = real.regs.splice(pick % Math.max(1, real.regs.length), 1)[0]
    holder?.lease.release()
    await checkInvariants(real)
  },
  toString: () => `releaseReg(${pick})`,
})

const killSession: Command = {
  check: () => true,
  async run(_m, real) {
    const session = real.connection.session
    if (!session || !real.world.router) return
    stats.kills += 1
    const admin = await real.world.admin()
    await admin.call('wamp.session.kill', [session.id], { reason: 'wamp.close.killed' }).catch(() => {})
    await sleep(1)
    await checkInvariants(real)
  },
  toString: () => 'killSession',
}

const restartRouter = (downFor: number): Command => ({
  check: () => true,
  async run(_m, real) {
    stats.restarts += 1
    await real.world.stopRouter()
    await checkInvariants(real)
    await sleep(downFor)
    real.world.startRouter()
    await checkInvariants(real)
  },
  toString: () => `restartRouter(down ${downFor} ms)`,
})

const halfOpen: Command = {
  check: () => true,
  async run(_m, real) {
    if (real.world.freeze()) stats.halfOpens += 1
    await checkInvariants(real)
  },
  toString: () => 'halfOpen',
}

const reap: Command = {
  check: () => true,
  async run(_m, real) {
    real.world.reapFrozen()
    await sleep(1)
    await checkInvariants(real)
  },
  toString: () => 'routerReapsHalfOpen',
}

const wake = (visibility: boolean): Command => ({
  check: () => true,
  async run(_m, real) {
    stats.wakes += 1
    if (visibility) document.dispatchEvent(new Event('visibilitychange'))
    else window.dispatchEvent(new Event('online'))
    await checkInvariants(real)
  },
  toString: () => (visibility ? 'wake(visibilitychange)' : 'wake(online)'),
})

const revoke = (pick: number): Command => ({
  check: () => true,
  async run(_m, real) {
    const session = real.connection.session
    const held = [...real.subs, ...real.regs].filter((h) => h.lease.status.getSnapshot().status === 'active')
    const holder = held[pick % Math.max(1, held.length)]
    if (!session || !holder || !real.world.router) return
    const { id } = holder.lease.status.getSnapshot()
    const admin = await real.world.admin()
    const procedure = holder.kind === 'sub' ? 'wamp.subscription.remove_subscriber' : 'wamp.registration.remove_callee'
    const done = await admin.call(procedure, [id, session.id], { reason: 'model.revoked' }).then(
      () => true,
      () => false, // the session or the grant changed meanwhile
    )
    if (done) {
      stats.revocations += 1
      await until('the revocation reaches the lease', () => {
        const now = holder.lease.status.getSnapshot()
        return now.status !== 'active' || now.id !== id
      })
      const now = holder.lease.status.getSnapshot()
      if (now.status === 'revoked') expect(now.reason).toBe('model.revoked')
    }
    await checkInvariants(real)
  },
  toString: () => `revoke(${pick})`,
})

/** Time passes: liveness finds half-open links, backoff timers fire, retries go out. */
const elapse = (ms: number): Command => ({
  check: () => true,
  async run(_m, real) {
    await sleep(ms)
    await checkInvariants(real)
  },
  toString: () => `elapse(${ms} ms)`,
})

const throwingListener: Command = {
  check: () => true,
  async run(_m, real) {
    real.connection.subscribe(() => {
      throw new Error('deliberate listener failure')
    })
    await checkInvariants(real)
  },
  toString: () => 'addThrowingStateListener',
}

const publish = (topicIndex: number): Command => ({
  check: () => true,
  async run(_m, real) {
    if (!real.world.router) return
    const admin = await real.world.admin().catch(() => undefined)
    real.published += 1
    await admin?.publish(TOPICS[topicIndex]!, [real.published], {}, { acknowledge: true }).catch(() => {})
    await checkInvariants(real)
  },
  toString: () => `publish(${TOPICS[topicIndex]})`,
})

/** Everything held heals: the router is up, half-open links reaped, every held lease active and working. */
const settle: Command = {
  check: () => true,
  async run(_m, real) {
    if (real.closed) return
    stats.settles += 1
    real.world.startRouter()
    // The router reaps a half-open link only well after the client has found it dead and come back.
    if (real.world.hasFrozen()) await sleep(150)
    real.world.reapFrozen()
    const { connection } = real
    await until('the connection is open', () => connection.getSnapshot().status === 'open')
    const revokedBefore = new Set(
      [...real.subs, ...real.regs].filter((h) => h.lease.status.getSnapshot().status === 'revoked'),
    )
    await until('every held lease is active (or revoked on this session)', () =>
      [...real.subs, ...real.regs].every((h) => {
        const { status } = h.lease.status.getSnapshot()
        return status === 'active' || (status === 'revoked' && revokedBefore.has(h))
      }),
    )
    await checkInvariants(real)
    const admin = await real.world.admin()
    // Registrations answer, from this connection.
    for (const holder of real.regs) {
      if (holder.lease.status.getSnapshot().status !== 'active') continue
      const { args } = await admin.call(holder.procedure)
      expect(args).toEqual([holder.procedure])
    }
    // Subscriptions deliver: a fresh event reaches every active holder of its topic.
    for (const topic of TOPICS) {
      const holders = real.subs.filter((h) => h.topic === topic && h.lease.status.getSnapshot().status === 'active')
      if (holders.length === 0) continue
      real.published += 1
      const n = real.published
      await admin.publish(topic, [n], {}, { acknowledge: true })
      await until(`event ${n} reaches every holder of ${topic}`, () => holders.every((h) => h.seen.has(n)))
    }
    await checkInvariants(real)
  },
  toString: () => 'settle',
}

const commands = [
  fc.tuple(fc.integer({ min: 0, max: 1 }), fc.boolean()).map(([t, throws]) => acquireSub(t, throws)),
  fc.nat(8).map(releaseSub),
  fc.integer({ min: 0, max: 1 }).map(acquireReg),
  fc.nat(8).map(releaseReg),
  fc.constant(killSession),
  fc.integer({ min: 0, max: 40 }).map(restartRouter),
  fc.constant(halfOpen),
  fc.constant(reap),
  fc.boolean().map(wake),
  fc.nat(8).map(revoke),
  fc.constant(throwingListener),
  fc.integer({ min: 0, max: 1 }).map(publish),
  fc.constant(settle),
  fc.integer({ min: 0, max: 150 }).map(elapse),
]

async function setup(): Promise<Real> {
  const world = createWorld()
  const logged: unknown[] = []
  const logger: Logger = {
    debug: () => {},
    warn: () => {},
    error: (_message, ...data) => logged.push(data[0]),
  }
  let wakeListeners = 0
  const add = window.addEventListener.bind(window)
  const remove = window.removeEventListener.bind(window)
  window.addEventListener = ((type: string, ...rest: [never, never]) => {
    if (type === 'online') wakeListeners += 1
    add(type, ...rest)
  }) as typeof window.addEventListener
  window.removeEventListener = ((type: string, ...rest: [never, never]) => {
    if (type === 'online') wakeListeners -= 1
    remove(type, ...rest)
  }) as typeof window.removeEventListener
  const connection = createConnection({
    realm: 'realm1',
    open: world.open,
    logger,
    responseTimeout: 300,
    reconnect: { initialDelay: 5, maxDelay: 20, stableAfter: 40 },
    liveness: { interval: 40, timeout: 40 },
    waitForSession: 500,
  })
  connection.start()
  return {
    world,
    connection,
    subs: [],
    regs: [],
    logged,
    published: 0,
    duplicates: [],
    wakeListeners: () => wakeListeners,
    restoreWindow: () => {
      window.addEventListener = add
      window.removeEventListener = remove
    },
    closed: false,
  }
}

async function teardown(real: Real): Promise<void> {
  real.closed = true
  const { connection, world } = real
  await connection.close()
  expect(connection.getSnapshot().status).toBe('closed')
  expect(connection.stats, 'nothing left running after close()').toMatchObject({
    attemptsInFlight: 0,
    timers: 0,
    waiters: 0,
  })
  expect(
    world.opened.filter((client) => client.isOpen),
    'every session closed',
  ).toEqual([])
  expect(real.wakeListeners(), 'wake-up listeners left').toBe(0)
  expect(world.maxConcurrentAttempts).toBeLessThanOrEqual(1)
  // The router holds no session of ours (reap the half-open ones, as a real router eventually does).
  world.reapFrozen()
  if (world.router) {
    const admin = await world.admin()
    const count = (await admin.call('wamp.session.count')).args[0]
    expect(count, 'sessions left on the router besides the admin').toBe(1)
  }
  const before = world.attempts
  await sleep(60)
  expect(world.attempts, 'no attempt after close()').toBe(before)
  await world.dispose()
}

describe('Connection: model-based interleavings on the in-process router', () => {
  afterAll(() => {
    console.info(
      `[model] connection: ${stats.runs} runs, ${stats.steps} steps (${stats.kills} kills, ${stats.restarts} restarts, ` +
        `${stats.halfOpens} half-open drops, ${stats.wakes} wake-ups, ${stats.revocations} revocations, ${stats.settles} settles)`,
    )
  })

  it(
    'keeps one attempt and one session, heals every held lease, delivers no event twice, leaves nothing after close()',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.commands(commands, { maxCommands: soak ? 80 : 40, size: 'large' }), async (cmds) => {
          stats.runs += 1
          const real = await setup()
          try {
            for (const command of cmds) {
              stats.steps += 1
              await command.run({}, real)
            }
            await settle.run({}, real)
            await teardown(real)
          } finally {
            real.restoreWindow()
            if (!real.closed) await real.connection.close()
            await real.world.dispose().catch(() => {})
          }
        }),
        { numRuns: soak ? 300 : 30, seed, endOnFailure: true },
      )
    },
    soak ? 600_000 : 120_000,
  )
})
