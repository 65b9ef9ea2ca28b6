/**
 * Fault injection against real routers (loopback only, bounded, stops by itself):
 * - the router process is SIGKILLed and restarted while 100 calls and an acknowledged event stream
 *   are in flight: every pending call settles within responseTimeout with a typed error, the
 *   connections come back, the subscription and registration are restored, no handler runs twice,
 *   and every event published after the subscription is back arrives, once, in order;
 * - callee handlers that throw, never return, or return what cannot be serialized: the caller gets
 *   an error, the callee's session lives on.
 * `npm test` runs the short form; SOAK=1 (npm run soak) runs more cycles.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type Client, ConnectionLostError, type Invocation, RPCError, WampError } from '../../src/client/index.js'
import { type Connection, createConnection } from '../../src/connection/connection.js'
import { scaled, trackUnhandled } from '../reliability/support.js'
import { selectedRouters, startRouter } from '../routers/start.js'
import type { RunningRouter } from '../routers/types.js'
import { quietLogger } from '../support/fake-router.js'
import { sessions, sleep, targets, uniqueUri } from './targets.js'

/** What the suites injected, for RELIABILITY.md (printed when the file ends). */
const injected: Record<string, number> = {}
const count = (name: string, n = 1) => {
  injected[name] = (injected[name] ?? 0) + n
}
afterAll(() => {
  console.info(`[faults] ${JSON.stringify(injected)}`)
})

/** Polls `check` until it returns true; fails after `ms`, saying what it waited for. */
async function until(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await sleep(5)
  }
}

const RESPONSE_TIMEOUT = 2000
const CALLS_IN_FLIGHT = 100
const CYCLES = scaled(2, 10)
const AFTER_RESTART_CALLS = 20

describe.each(selectedRouters())('router %s killed and restarted under load (own router process)', (name) => {
  let router: RunningRouter
  beforeAll(async () => {
    router = await startRouter(name)
  })
  afterAll(async () => {
    await router?.stop()
  })

  it(
    `${CYCLES} × SIGKILL + restart with ${CALLS_IN_FLIGHT} calls and an event stream in flight`,
    async () => {
      const unhandled = trackUnhandled()
      const topic = uniqueUri('faults.stream')
      const procedure = uniqueUri('faults.proc')
      const base = {
        realm: 'realm1',
        reconnect: { initialDelay: 50, maxDelay: 250 },
        liveness: false as const,
        responseTimeout: RESPONSE_TIMEOUT,
        logger: quietLogger(),
      }
      // Callee and subscriber over WebSocket/JSON; caller over RawSocket/MsgPack where offered; publisher over WebSocket/MsgPack.
      const callee = createConnection({ ...base, url: router.wsUrl })
      const caller = createConnection({ ...base, url: router.tcpUrl ?? router.wsUrl, serialization: 'msgpack' })
      const publisher = createConnection({ ...base, url: router.wsUrl, serialization: 'msgpack' })
      const connections: Connection[] = [callee, caller, publisher]
      for (const connection of connections) connection.start()

      const received: number[] = []
      const runs = new Map<string, number>()
      let aborted = 0
      const subscription = callee.acquireSubscription(topic, (event) => {
        received.push(event.args[0] as number)
      })
      const registration = callee.acquireRegistration(procedure, (invocation: Invocation) => {
        const key = invocation.args[0] as string
        runs.set(key, (runs.get(key) ?? 0) + 1)
        if (!key.startsWith('hold')) return { args: [key] }
        // Held until the session ends under it.
        return new Promise((_resolve, reject) => {
          invocation.signal.addEventListener('abort', () => {
            aborted += 1
            reject(invocation.signal.reason)
          })
        })
      })
      const restored = () =>
        subscription.status.getSnapshot().status === 'active' &&
        registration.status.getSnapshot().status === 'active' &&
        caller.getSnapshot().status === 'open' &&
        publisher.getSnapshot().status === 'open'
      await until('the first sessions', restored)

      try {
        for (let cycle = 0; cycle < CYCLES; cycle++) {
          // The event stream: acknowledged publishes, one after another, for the whole cycle.
          let streaming = true
          let seq = cycle * 1_000_000
          const acked: { seq: number; sentAt: number }[] = []
          const refused: unknown[] = []
          const stream = (async () => {
            while (streaming) {
              const sentAt = performance.now()
              const next = ++seq
              try {
                await publisher.publish(topic, [next], {}, { acknowledge: true })
                acked.push({ seq: next, sentAt })
              } catch (error) {
                refused.push(error)
                await sleep(10)
              }
              await sleep(1)
            }
          })()

          // 100 calls, all held by the callee when the router dies.
          const calleeBefore = callee.session!
          const callerBefore = caller.session!
          const started = performance.now()
          const calls = Array.from({ length: CALLS_IN_FLIGHT }, (_, i) =>
            caller.call(procedure, [`hold-${cycle}-${i}`]).then(
              () => ({ error: undefined as unknown, at: performance.now() }),
              (error: unknown) => ({ error, at: performance.now() }),
            ),
          )
          await until(
            '100 invocations running on the callee',
            () => calleeBefore.stats.activeInvocations === CALLS_IN_FLIGHT,
          )
          expect(performance.now() - started).toBeLessThan(10_000)
          await until('some events through', () => acked.length > 5)

          const killedAt = performance.now()
          await router.kill()
          count('router processes killed (SIGKILL)')
          count('calls in flight at the kill', CALLS_IN_FLIGHT)

          const outcomes = await Promise.all(calls)
          for (const { error, at } of outcomes) {
            expect(error).toBeInstanceOf(WampError)
            expect(error).toBeInstanceOf(ConnectionLostError)
            expect(at - killedAt).toBeLessThan(RESPONSE_TIMEOUT)
          }
          count('calls settled with ConnectionLostError', outcomes.length)
          // The dead sessions hold nothing; every held handler saw its signal abort.
          await until('handlers aborted', () => aborted === (cycle + 1) * CALLS_IN_FLIGHT, 5000)
          for (const dead of [calleeBefore, callerBefore]) {
            expect(dead.isOpen).toBe(false)
            expect(dead.stats).toEqual({ pendingRequests: 0, activeInvocations: 0, subscriptions: 0, registrations: 0 })
          }
          await until('every connection reconnecting', () =>
            connections.every((c) => c.getSnapshot().status === 'reconnecting'),
          )

          await router.restart()
          await until('subscription, registration and sessions restored', restored)
          const activeAt = performance.now()
          // Keep the stream going on the new session for a while, then stop it.
          await until('events after the restart', () => acked.some((a) => a.sentAt > activeAt + 200), 10_000)
          streaming = false
          await stream
          for (const error of refused) expect(error).toBeInstanceOf(WampError)
          count('publishes refused during the outage (typed errors)', refused.length)

          // Calls after the restart reach the restored registration, each exactly once.
          const after = await Promise.all(
            Array.from({ length: AFTER_RESTART_CALLS }, (_, i) => caller.call(procedure, [`post-${cycle}-${i}`])),
          )
          expect(after.map((r) => r.args[0])).toEqual(
            Array.from({ length: AFTER_RESTART_CALLS }, (_, i) => `post-${cycle}-${i}`),
          )

          // Every event published after the subscription was back arrives, once, in order.
          const mustArrive = acked.filter((a) => a.sentAt > activeAt).map((a) => a.seq)
          expect(mustArrive.length).toBeGreaterThan(0)
          await until('events published after the restart', () => mustArrive.every((s) => received.includes(s)), 5000)
          const thisCycle = received.filter((s) => s > cycle * 1_000_000 && s < (cycle + 1) * 1_000_000)
          expect(new Set(thisCycle).size).toBe(thisCycle.length)
          expect([...thisCycle].sort((a, b) => a - b)).toEqual(thisCycle)
          count('events published and acknowledged', acked.length)
          count('events published after the restart, all delivered', mustArrive.length)

          // No handler ran twice: not the held ones, not the ones after the restart.
          for (const [key, n] of runs) expect(n, key).toBe(1)
          expect([...runs.keys()].filter((k) => k.startsWith(`hold-${cycle}-`))).toHaveLength(CALLS_IN_FLIGHT)

          // Tables: one subscription and one registration, nothing pending, nothing running.
          expect(callee.stats).toEqual({
            subscriptions: 1,
            registrations: 1,
            sharedCalls: 0,
            attemptsInFlight: 0,
            timers: 0,
            waiters: 0,
          })
          expect(callee.session!.stats).toEqual({
            pendingRequests: 0,
            activeInvocations: 0,
            subscriptions: 1,
            registrations: 1,
          })
          expect(caller.session!.stats.pendingRequests).toBe(0)
          expect(publisher.session!.stats.pendingRequests).toBe(0)
        }
      } finally {
        subscription.release()
        registration.release()
        await sleep(20)
        await Promise.all(connections.map((c) => c.close()))
        unhandled.stop()
      }
      expect(callee.stats).toEqual({
        subscriptions: 0,
        registrations: 0,
        sharedCalls: 0,
        attemptsInFlight: 0,
        timers: 0,
        waiters: 0,
      })
      expect(unhandled.errors).toEqual([])
    },
    scaled(60_000, 600_000),
  )
})

/** Handlers that misbehave, and what the caller must see. */
const misbehaving: {
  name: string
  handler: (invocation: Invocation) => unknown
  /** Only where the serializer cannot carry the value (BigInt goes over MsgPack). */
  only?: 'json'
  expected: (error: RPCError) => void
}[] = [
  {
    name: 'throws an Error',
    handler: () => {
      throw new Error('boom')
    },
    expected: (e) => expect([e.uri, e.args]).toEqual(['wamp.error.runtime_error', ['boom']]),
  },
  {
    name: 'throws an RPCError',
    handler: () => {
      throw new RPCError('com.app.error.custom', [1, 'two'], { three: 3 })
    },
    expected: (e) => expect([e.uri, e.args, e.kwargs]).toEqual(['com.app.error.custom', [1, 'two'], { three: 3 }]),
  },
  {
    name: 'throws a string',
    handler: () => {
      throw 'oops'
    },
    expected: (e) => expect([e.uri, e.args]).toEqual(['wamp.error.runtime_error', ['oops']]),
  },
  {
    name: 'rejects asynchronously',
    handler: async () => {
      await sleep(5)
      throw new Error('later')
    },
    expected: (e) => expect([e.uri, e.args]).toEqual(['wamp.error.runtime_error', ['later']]),
  },
  {
    name: 'returns a function',
    handler: () => ({ args: [() => 1] }),
    expected: (e) => expect(e.uri).toBe('wamp.error.invalid_argument'),
  },
  {
    name: 'returns a circular object',
    handler: () => {
      const loop: Record<string, unknown> = {}
      loop.self = loop
      return { kwargs: { loop } }
    },
    expected: (e) => expect(e.uri).toBe('wamp.error.invalid_argument'),
  },
  {
    name: 'returns NaN',
    handler: () => ({ args: [Number.NaN] }),
    expected: (e) => expect(e.uri).toBe('wamp.error.invalid_argument'),
  },
  {
    name: 'returns a Map',
    handler: () => ({ args: [new Map([[1, 2]])] }),
    expected: (e) => expect(e.uri).toBe('wamp.error.invalid_argument'),
  },
  {
    name: 'returns a BigInt',
    handler: () => ({ args: [10n ** 30n] }),
    only: 'json',
    expected: (e) => expect(e.uri).toBe('wamp.error.invalid_argument'),
  },
  {
    name: 'returns something that is not { args, kwargs }',
    handler: () => 42,
    expected: (e) =>
      expect([e.uri, e.args]).toEqual(['wamp.error.invalid_argument', [expect.stringMatching(/other than/)]]),
  },
]

describe.each(targets({ transports: ['ws', 'tcp'] }))('callee faults: $label', (target) => {
  const pool = sessions(target)
  afterEach(() => pool.closeAll())

  async function pair(): Promise<{ callee: Client; caller: Client; prefix: string }> {
    const logger = quietLogger()
    const callee = await pool.join({ logger })
    const caller = await pool.join({ logger: quietLogger() })
    const prefix = uniqueUri('faults.callee')
    await callee.register(`${prefix}.ping`, () => ({ args: ['pong'] }))
    return { callee, caller, prefix }
  }

  /** The callee's session is the same one, idle, and still answers. */
  async function expectAlive(callee: Client, caller: Client, prefix: string, sessionId: number) {
    expect(callee.isOpen).toBe(true)
    expect(callee.id).toBe(sessionId)
    expect((await caller.call(`${prefix}.ping`)).args).toEqual(['pong'])
    expect(callee.stats.activeInvocations).toBe(0)
  }

  it('handlers that throw or return what cannot be serialized: the caller gets a typed error, the callee lives on', async () => {
    const unhandled = trackUnhandled()
    const { callee, caller, prefix } = await pair()
    const sessionId = callee.id
    const cases = misbehaving.filter((c) => !c.only || c.only === target.serialization)
    for (const [i, fault] of cases.entries()) {
      await callee.register(`${prefix}.f${i}`, fault.handler as never)
    }
    for (let round = 0; round < scaled(1, 20); round++) {
      for (const [i, fault] of cases.entries()) {
        const error = await caller.call(`${prefix}.f${i}`).then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(error, fault.name).toBeInstanceOf(RPCError)
        fault.expected(error as RPCError)
        count('callee faults: throw / unserializable')
      }
      await expectAlive(callee, caller, prefix, sessionId)
    }
    unhandled.stop()
    expect(unhandled.errors).toEqual([])
  })

  // Regression (found by this suite): a handler that threw `undefined` used to answer with an empty YIELD.
  it('a handler that throws undefined → the caller gets wamp.error.runtime_error', async () => {
    const { callee, caller, prefix } = await pair()
    await callee.register(`${prefix}.undefined`, () => {
      throw undefined
    })
    const outcome = await caller.call(`${prefix}.undefined`).then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    )
    expect(outcome).toEqual({ error: expect.objectContaining({ uri: 'wamp.error.runtime_error' }) })
  })

  // Regression (found by this suite): the fallback for an unserializable error payload resent the
  // already-extended message, so nothing was sent and the caller hung.
  it('a handler that throws an RPCError with an unserializable payload → the caller gets its URI', async () => {
    const { callee, caller, prefix } = await pair()
    await callee.register(`${prefix}.bad_payload`, () => {
      throw new RPCError('com.app.error.bad_payload', [Symbol('x')])
    })
    const error = await caller
      .call(`${prefix}.bad_payload`, [], {}, { signal: AbortSignal.timeout(300) })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ uri: 'com.app.error.bad_payload' })
  })

  it('a handler that never returns: the caller ends the call (router timeout, or its own AbortSignal); the callee gets INTERRUPT and lives on', async () => {
    const unhandled = trackUnhandled()
    const { callee, caller, prefix } = await pair()
    const sessionId = callee.id
    let interrupted = 0
    await callee.register(`${prefix}.never`, ({ signal }) => {
      return new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          interrupted += 1
          reject(signal.reason)
        })
      })
    })
    const rounds = scaled(1, 10)
    for (let round = 0; round < rounds; round++) {
      // The router's call timeout: wamp.error.timeout for the caller, INTERRUPT for the callee.
      const timedOut = await caller.call(`${prefix}.never`, [], {}, { timeout: 300 }).catch((e: unknown) => e)
      expect(timedOut).toBeInstanceOf(RPCError)
      expect((timedOut as RPCError).uri).toBe('wamp.error.timeout')
      count('callee faults: never returns (router timeout)')
      // The caller gives up on its own: AbortError, CANCEL killnowait, INTERRUPT for the callee.
      const controller = new AbortController()
      const pending = caller.call(`${prefix}.never`, [], {}, { signal: controller.signal }).catch((e: unknown) => e)
      await sleep(50)
      controller.abort()
      expect(((await pending) as Error).name).toBe('AbortError')
      count('callee faults: never returns (caller aborts)')
      await until('INTERRUPTs handled', () => interrupted === 2 * (round + 1), 5000)
      await expectAlive(callee, caller, prefix, sessionId)
    }
    expect(caller.stats.pendingRequests).toBe(0)
    unhandled.stop()
    expect(unhandled.errors).toEqual([])
  })
})
