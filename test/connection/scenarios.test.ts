// @vitest-environment happy-dom
/**
 * The eight reported failures of the connection, each as a plain regression test on the
 * in-process router (test/conformance/connection-scenarios.test.ts runs them on nexus and
 * Crossbar.io too, with a TCP proxy for the half-open drop).
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Event } from '../../src/client/index.js'
import type { Logger } from '../../src/client/logger.js'
import { type Connection, type ConnectionOptions, createConnection } from '../../src/connection/index.js'
import { sleep, until } from '../support/wait.js'
import { createWorld, type World } from './world.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function setup(extra: Partial<ConnectionOptions> = {}): { world: World; connection: Connection; logged: unknown[] } {
  const world = createWorld()
  const logged: unknown[] = []
  const logger: Logger = { debug: () => {}, warn: () => {}, error: (_m, ...data) => logged.push(data[0]) }
  const connection = createConnection({
    realm: 'realm1',
    open: world.open,
    logger,
    responseTimeout: 300,
    liveness: false,
    reconnect: { initialDelay: 20, maxDelay: 40 },
    ...extra,
  })
  cleanups.push(async () => {
    await connection.close()
    await world.dispose()
  })
  return { world, connection, logged }
}

describe('connection scenarios (in-process router)', () => {
  it('1. a wake-up during an attempt starts no second attempt: one session, events once', async () => {
    const { world, connection } = setup()
    connection.start()
    window.dispatchEvent(new Event('online'))
    document.dispatchEvent(new Event('visibilitychange'))
    await until('open', () => connection.getSnapshot().status === 'open')
    const events: number[] = []
    const lease = connection.acquireSubscription('s1.topic', (e: Event) => events.push(e.args[0] as number))
    await until('active', () => lease.status.getSnapshot().status === 'active')
    // A reconnect, and wake-ups while its attempt is in flight.
    const admin = await world.admin()
    await admin.call('wamp.session.kill', [connection.session!.id])
    await until('an attempt in flight', () => connection.phase === 'connecting')
    for (let i = 0; i < 5; i++) window.dispatchEvent(new Event('online'))
    await until(
      'open again',
      () => connection.getSnapshot().status === 'open' && lease.status.getSnapshot().status === 'active',
    )
    await admin.publish('s1.topic', [7], {}, { acknowledge: true })
    await until('event', () => events.length > 0)
    await sleep(20)
    expect(events).toEqual([7])
    expect(world.maxConcurrentAttempts).toBe(1)
    expect(world.opened.filter((c) => c.isOpen)).toHaveLength(1)
    await connection.close()
    expect(world.opened.filter((c) => c.isOpen)).toHaveLength(0)
  })

  it('2. a session killed right after joining backs off with jitter instead of looping', async () => {
    const { world, connection } = setup({ reconnect: { initialDelay: 50, maxDelay: 200, stableAfter: 1000 } })
    const admin = await world.admin()
    // The router kills every session of ours as soon as it joins (a duplicate-login policy, say).
    await admin.subscribe('wamp.session.on_join', (e: Event) => {
      const details = e.args[0] as { session: number }
      if (details.session !== admin.id) void admin.call('wamp.session.kill', [details.session]).catch(() => {})
    })
    const delays: number[] = []
    connection.subscribe(() => {
      const { status, retryInMs } = connection.getSnapshot()
      if (status === 'reconnecting' && retryInMs !== undefined && delays.at(-1) !== retryInMs) delays.push(retryInMs)
    })
    connection.start()
    await sleep(1000)
    // Backoff 50, 100, 200, 200, … (each a random point below its cap): about 6 sessions in a second, not 1,200.
    expect(world.opened.length).toBeGreaterThanOrEqual(2)
    expect(world.opened.length).toBeLessThan(30)
    expect(delays.length).toBeGreaterThan(1)
    expect(new Set(delays).size, 'jittered delays differ').toBeGreaterThan(1)
  })

  it('2b. the first retry after a stable session is jittered, not immediate for everyone', async () => {
    const delays: number[] = []
    for (let i = 0; i < 8; i++) {
      const { world, connection } = setup({ reconnect: { initialDelay: 1000, maxDelay: 1000, stableAfter: 0 } })
      connection.start()
      await until('open', () => connection.getSnapshot().status === 'open')
      await (await world.admin()).call('wamp.session.kill', [connection.session!.id])
      await until('waiting', () => connection.phase === 'waiting')
      delays.push(connection.getSnapshot().retryInMs!)
    }
    expect(delays.every((d) => d >= 0 && d <= 1000)).toBe(true)
    expect(new Set(delays).size).toBeGreaterThan(1)
  })

  it('3. after a half-open drop the replayed registration is retried until the router reaps the old session', async () => {
    const { world, connection } = setup({ liveness: { interval: 30, timeout: 30 } })
    connection.start()
    const lease = connection.acquireRegistration('s3.proc', () => ({ args: ['mine'] }))
    await until('active', () => lease.status.getSnapshot().status === 'active')
    const first = connection.session!
    expect(world.freeze()).toBe(true)
    await until('a new session', () => connection.session !== undefined && connection.session !== first)
    await until('retrying', () => lease.status.getSnapshot().status === 'retrying')
    const { error, nextRetryAt } = lease.status.getSnapshot()
    expect(String(error)).toMatch(/procedure_already_exists|already registered/)
    expect(nextRetryAt).toBeGreaterThan(0)
    world.reapFrozen()
    await until('active again', () => lease.status.getSnapshot().status === 'active')
    const { args } = await (await world.admin()).call('s3.proc')
    expect(args).toEqual(['mine'])
  })

  it('4. a second app (tab) takes the procedure over once the first leaves', async () => {
    const { world, connection: tab1 } = setup()
    const tab2 = createConnection({
      realm: 'realm1',
      open: world.open,
      liveness: false,
      reconnect: { initialDelay: 20, maxDelay: 40 },
    })
    cleanups.push(() => tab2.close())
    tab1.start()
    tab2.start()
    const one = tab1.acquireRegistration('s4.proc', () => ({ args: ['tab1'] }))
    await until('tab1 active', () => one.status.getSnapshot().status === 'active')
    const two = tab2.acquireRegistration('s4.proc', () => ({ args: ['tab2'] }))
    await until('tab2 retrying', () => two.status.getSnapshot().status === 'retrying')
    await tab1.close()
    await until('tab2 active', () => two.status.getSnapshot().status === 'active')
    expect((await (await world.admin()).call('s4.proc')).args).toEqual(['tab2'])
  })

  it('5. a revoked subscription or registration leaves active with the router’s reason, and comes back on the next session', async () => {
    const { world, connection } = setup()
    connection.start()
    const sub = connection.acquireSubscription('s5.topic', () => {})
    const reg = connection.acquireRegistration('s5.proc', () => ({}))
    await until(
      'active',
      () => sub.status.getSnapshot().status === 'active' && reg.status.getSnapshot().status === 'active',
    )
    const admin = await world.admin()
    const session = connection.session!.id
    await admin.call('wamp.subscription.remove_subscriber', [sub.status.getSnapshot().id, session], {
      reason: 'admin.said.so',
    })
    await admin.call('wamp.registration.remove_callee', [reg.status.getSnapshot().id, session])
    await until(
      'revoked',
      () => sub.status.getSnapshot().status === 'revoked' && reg.status.getSnapshot().status === 'revoked',
    )
    expect(sub.status.getSnapshot().reason).toBe('admin.said.so')
    expect(sub.status.getSnapshot().error?.message).toMatch(/admin\.said\.so/)
    await admin.call('wamp.session.kill', [session])
    await until(
      'active on the next session',
      () => sub.status.getSnapshot().status === 'active' && reg.status.getSnapshot().status === 'active',
    )
  })

  it('6. a state listener that throws is logged and stops neither reconnection nor the listeners after it', async () => {
    const { world, connection, logged } = setup()
    connection.subscribe(() => {
      throw new Error('listener boom')
    })
    let told = 0
    connection.subscribe(() => {
      told += 1
    })
    connection.start()
    await until('open', () => connection.getSnapshot().status === 'open')
    await (await world.admin()).call('wamp.session.kill', [connection.session!.id])
    await until('open again', () => connection.getSnapshot().status === 'open' && world.opened.length === 2)
    expect(told).toBeGreaterThan(3)
    expect(logged.some((e) => String(e).includes('listener boom'))).toBe(true)
  })

  it('7. two holders with the same handler are two holders: releasing one keeps the other', async () => {
    const { world, connection } = setup()
    connection.start()
    const seen: number[] = []
    const handler = (e: Event) => seen.push(e.args[0] as number)
    const a = connection.acquireSubscription('s7.topic', handler)
    const b = connection.acquireSubscription('s7.topic', handler)
    await until('active', () => b.status.getSnapshot().status === 'active')
    a.release()
    await sleep(10)
    expect(b.status.getSnapshot().status).toBe('active')
    await (await world.admin()).publish('s7.topic', [1], {}, { acknowledge: true })
    await until('event', () => seen.length === 1)
    // Shared calls: the same progress listener twice, one released, the other still told.
    const admin = await world.admin()
    await admin.register('s7.progress', async ({ progress }) => {
      progress?.([1])
      await sleep(30)
      progress?.([2])
      return { args: ['done'] }
    })
    const chunks: unknown[] = []
    const listener = (r: { args: unknown[] }) => chunks.push(r.args[0])
    const c1 = connection.acquireCall('k', 's7.progress', [], {}, {}, listener)
    const c2 = connection.acquireCall('k', 's7.progress', [], {}, {}, listener)
    await until('first chunk', () => chunks.length >= 2)
    c1.release()
    await c2.promise
    expect(chunks).toEqual([1, 1, 2])
  })

  it('calls made while reconnecting wait for the next session and go out once; the deadline names the option', async () => {
    const { world, connection } = setup({ waitForSession: 2000 })
    const admin = await world.admin()
    let calls = 0
    await admin.register('w.proc', () => {
      calls += 1
      return { args: [calls] }
    })
    const early = connection.call('w.proc') // before start: waits
    connection.start()
    expect((await early).args).toEqual([1])
    await admin.call('wamp.session.kill', [connection.session!.id])
    const during = connection.call('w.proc')
    expect((await during).args).toEqual([2])
    expect(calls).toBe(2)
    const short = setup({ waitForSession: 50 }).connection
    await expect(short.call('w.proc')).rejects.toThrow(/waitForSession \(50 ms\)/)
    const aborted = new AbortController()
    const waiting = short.call('w.proc', [], {}, { signal: aborted.signal })
    aborted.abort()
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' })
    expect(short.stats.waiters).toBe(0)
  })

  it('close() in every phase leaves no attempt, timer, waiter, session or wake-up listener', async () => {
    for (const phase of ['idle', 'connecting', 'open', 'waiting'] as const) {
      const { world, connection } = setup({ reconnect: { initialDelay: 10_000, maxDelay: 10_000 } })
      const pending = connection.call('x.y').catch((e) => e)
      if (phase !== 'idle') connection.start()
      if (phase === 'open') await until('open', () => connection.phase === 'open')
      if (phase === 'waiting') {
        await world.stopRouter()
        await until('waiting', () => connection.phase === 'waiting')
      }
      expect(connection.phase).toBe(phase)
      await connection.close()
      expect(await pending).toBeInstanceOf(Error)
      expect(connection.stats).toMatchObject({ attemptsInFlight: 0, timers: 0, waiters: 0 })
      expect(world.opened.filter((c) => c.isOpen)).toHaveLength(0)
      const attempts = world.attempts
      window.dispatchEvent(new Event('online'))
      await sleep(20)
      expect(world.attempts).toBe(attempts)
      expect(connection.getSnapshot().status).toBe('closed')
    }
  })
})
