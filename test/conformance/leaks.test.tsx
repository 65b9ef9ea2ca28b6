// @vitest-environment happy-dom
/**
 * Leak checks against real routers: 10,000 subscribe/unsubscribe cycles on a client and 10,000
 * mount/unmount cycles of components using useSubscription, useRegister and useCall (StrictMode).
 * Each cycle reaches the router (SUBSCRIBE… UNSUBSCRIBE, REGISTER… UNREGISTER, CALL). Afterwards
 * every internal table is empty — the client's, the connection's, and the router's for our URIs —
 * and the heap after forced GC stays within HEAP_BOUND of what it was after a warm-up.
 * SOAK=1 runs 5× the cycles (the bound stays the same: a leak grows with the count, noise does not).
 */
import { cleanup, render, waitFor } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { type Client, RPCError } from '../../src/client/index.js'
import { type Connection, createConnection } from '../../src/connection/connection.js'
import { useCall, useRegister, useSubscription, WampProvider } from '../../src/react/index.js'
import { heapAfterGc, scaled, trackUnhandled } from '../reliability/support.js'
import { quietLogger } from '../support/fake-router.js'
import { sessions, sleep, targets, uniqueUri } from './targets.js'

const CYCLES = scaled(10_000, 50_000)
/** Heap growth allowed after all cycles, measured after forced GC (see RELIABILITY.md). */
const HEAP_BOUND = 2 * 1024 * 1024
const WARM_UP = 500

const measured: Record<string, string | number> = {}
afterAll(() => {
  console.info(`[leaks] ${JSON.stringify(measured)}`)
})

async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await sleep(2)
  }
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 100) / 100

describe.each(targets({ transports: ['ws'] }).filter((t) => t.serialization === 'json'))('leaks: $label', (target) => {
  const pool = sessions(target)
  afterEach(async () => {
    cleanup()
    await pool.closeAll()
  })

  /**
   * The router's subscription / registration ID for a URI (meta API), or undefined (null, or 0 on
   * nexus). `unsupported` when the router has no such meta procedure (the in-process local router).
   */
  async function lookup(
    client: Client,
    kind: 'subscription' | 'registration',
    uri: string,
  ): Promise<number | undefined | 'unsupported'> {
    const answer = await client.call(`wamp.${kind}.lookup`, [uri]).catch((error: unknown) => error)
    if (answer instanceof RPCError && answer.uri === 'wamp.error.no_such_procedure') return 'unsupported'
    if (answer instanceof Error) throw answer
    const id = (answer as { args: unknown[] }).args[0]
    return typeof id === 'number' && id > 0 ? id : undefined
  }

  /** The router knows no subscription / registration for these URIs any more (where it can tell). */
  async function expectRouterClean(client: Client, topics: string[], procedures: string[]) {
    for (const topic of topics) expect(await lookup(client, 'subscription', topic), topic).not.toBeTypeOf('number')
    for (const procedure of procedures) {
      expect(await lookup(client, 'registration', procedure), procedure).not.toBeTypeOf('number')
    }
  }

  it('the router-side check sees live subscriptions and registrations (so its "none" below means none)', async () => {
    const client = await pool.join({ logger: quietLogger() })
    const topic = uniqueUri('leaks.probe')
    const subscription = await client.subscribe(topic, () => {})
    const registration = await client.register(topic, () => {})
    const subscribed = await lookup(client, 'subscription', topic)
    const registered = await lookup(client, 'registration', topic)
    measured[`${target.router} router-side lookup`] = subscribed === 'unsupported' ? 'unsupported' : 'checked'
    // nexus and Crossbar.io answer; a router without these meta procedures says so for both.
    if (subscribed === 'unsupported') expect(registered).toBe('unsupported')
    else {
      expect(subscribed).toBe(subscription.id)
      expect(registered).toBe(registration.id)
    }
    await subscription.unsubscribe()
    await registration.unregister()
    await expectRouterClean(client, [topic], [topic])
  })

  it(
    `${CYCLES} subscribe/unsubscribe cycles: tables empty, heap within ${mib(HEAP_BOUND)} MiB`,
    async () => {
      const unhandled = trackUnhandled()
      const client = await pool.join({ logger: quietLogger() })
      const base = uniqueUri('leaks.sub')
      const WORKERS = 25
      let next = 0
      let done = 0
      let events = 0
      /** `count` cycles over WORKERS concurrent loops; a new topic every cycle (a table keyed by topic that is never pruned would grow). */
      const run = async (count: number) => {
        const end = next + count
        const loop = async () => {
          for (let i = next++; i < end; i = next++) {
            const subscription = await client.subscribe(`${base}.${i}`, () => {
              events += 1
            })
            await subscription.unsubscribe()
            done += 1
          }
        }
        await Promise.all(Array.from({ length: WORKERS }, loop))
        next = end
      }
      await run(WARM_UP)
      const heapBefore = await heapAfterGc()
      const started = performance.now()
      await run(CYCLES)
      const seconds = (performance.now() - started) / 1000
      const heapAfter = await heapAfterGc()
      expect(done).toBe(WARM_UP + CYCLES)
      expect(client.stats).toEqual({ pendingRequests: 0, activeInvocations: 0, subscriptions: 0, registrations: 0 })
      await expectRouterClean(client, [`${base}.0`, `${base}.${WARM_UP}`, `${base}.${WARM_UP + CYCLES - 1}`], [])
      expect(events).toBe(0)
      measured[`${target.router} subscribe/unsubscribe cycles`] = done - WARM_UP
      measured[`${target.router} subscribe/unsubscribe s`] = Math.round(seconds * 10) / 10
      measured[`${target.router} subscribe/unsubscribe heap growth MiB`] = mib(heapAfter - heapBefore)
      expect(heapAfter - heapBefore).toBeLessThan(HEAP_BOUND)
      unhandled.stop()
      expect(unhandled.errors).toEqual([])
    },
    scaled(120_000, 900_000),
  )

  it(
    `${CYCLES} mount/unmount cycles of useSubscription + useRegister + useCall under StrictMode: tables empty, heap within ${mib(HEAP_BOUND)} MiB`,
    async () => {
      const unhandled = trackUnhandled()
      const peer = await pool.join({ logger: quietLogger() })
      const ping = uniqueUri('leaks.ping')
      let pings = 0
      await peer.register(ping, () => {
        pings += 1
        return { args: ['pong'] }
      })
      const connection: Connection = createConnection({
        url: target.url,
        realm: 'realm1',
        liveness: false,
        logger: quietLogger(),
      })
      connection.start()
      await until('the connection', () => connection.getSnapshot().status === 'open')
      const base = uniqueUri('leaks.hook')
      const BATCH = 500
      let mounted = 0
      let answered = 0

      function Widget({ n }: { n: number }) {
        const sub = useSubscription(`${base}.t${n}`)
        const reg = useRegister(`${base}.p${n}`, () => ({ args: [n] }))
        const call = useCall(ping, { args: [n] })
        return <i data-ready={sub.status === 'active' && reg.status === 'active' && call.status === 'success'} />
      }
      function App({ from, count }: { from: number; count: number }) {
        return (
          <StrictMode>
            <WampProvider connection={connection}>
              {Array.from({ length: count }, (_, i) => from + i).map((n) => (
                <Widget key={n} n={n} />
              ))}
            </WampProvider>
          </StrictMode>
        )
      }
      const view = render(<App from={0} count={0} />)
      const session = connection.session!
      const batch = async (from: number) => {
        view.rerender(<App from={from} count={BATCH} />)
        await waitFor(() => expect(view.container.querySelectorAll('i[data-ready="true"]')).toHaveLength(BATCH), {
          timeout: 20_000,
          interval: 5,
        })
        answered += BATCH
        view.rerender(<App from={from} count={0} />)
        await until('subscriptions and registrations released', () => {
          const { subscriptions, registrations, sharedCalls } = connection.stats
          const s = session.stats
          return (
            subscriptions + registrations + sharedCalls + s.subscriptions + s.registrations + s.pendingRequests === 0
          )
        })
        mounted += BATCH
      }
      for (let from = 0; from < WARM_UP; from += BATCH) await batch(from)
      const heapBefore = await heapAfterGc()
      const started = performance.now()
      for (let from = WARM_UP; from < WARM_UP + CYCLES; from += BATCH) await batch(from)
      const seconds = (performance.now() - started) / 1000
      view.unmount()
      const heapAfter = await heapAfterGc()

      expect(mounted).toBe(WARM_UP + CYCLES)
      expect(answered).toBe(WARM_UP + CYCLES)
      expect(connection.session).toBe(session) // one session throughout
      expect(connection.stats).toEqual({
        subscriptions: 0,
        registrations: 0,
        sharedCalls: 0,
        attemptsInFlight: 0,
        timers: 0,
        waiters: 0,
      })
      expect(session.stats).toEqual({ pendingRequests: 0, activeInvocations: 0, subscriptions: 0, registrations: 0 })
      // StrictMode mounts twice; the deferred release takes the second mount back: one CALL per mount.
      expect(pings).toBe(WARM_UP + CYCLES)
      await expectRouterClean(
        peer,
        [`${base}.t0`, `${base}.t${WARM_UP + CYCLES - 1}`],
        [`${base}.p0`, `${base}.p${WARM_UP + CYCLES - 1}`],
      )
      measured[`${target.router} hook mount/unmount cycles`] = mounted - WARM_UP
      measured[`${target.router} hook mount/unmount s`] = Math.round(seconds * 10) / 10
      measured[`${target.router} hook mount/unmount heap growth MiB`] = mib(heapAfter - heapBefore)
      expect(heapAfter - heapBefore).toBeLessThan(HEAP_BOUND)
      await connection.close()
      unhandled.stop()
      expect(unhandled.errors).toEqual([])
    },
    scaled(180_000, 1_800_000),
  )
})
