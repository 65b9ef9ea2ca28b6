import { afterEach, describe, expect, inject, it } from 'vitest'
import { type Client, ConnectionLostError, connect } from '../../src/client/index.js'
import { type Connection, createConnection } from '../../src/connection/index.js'
import { quietLogger } from '../support/fake-router.js'
import { type FreezeProxy, startFreezeProxy } from '../support/freeze-proxy.js'
import { nextValue, sleep, uniqueUri } from './targets.js'

const INTERVAL = 300
// Generous: under a loaded CI machine Crossbar.io (Python) has taken over 300 ms to answer a ping on a live link.
const TIMEOUT = 1000
/** Timer and scheduling slack on top of the interval + timeout bound. */
const SLACK = 500

async function waitUntil(what: string, condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting until ${what}`)
    await sleep(10)
  }
}

interface Case {
  router: string
  transport: 'ws' | 'tcp'
  url: string
  /** The check the session uses: Crossbar.io's RawSocket breaks on PING frames, so a call there. */
  check: 'transport ping' | 'call round trip'
}

const cases: Case[] = inject('routers').flatMap((router) => {
  const list: Case[] = [{ router: router.name, transport: 'ws', url: router.wsUrl, check: 'transport ping' }]
  if (router.tcpUrl) {
    const check = router.name === 'crossbar' ? 'call round trip' : 'transport ping'
    list.push({ router: router.name, transport: 'tcp', url: router.tcpUrl, check })
  }
  return list
})

describe.each(cases.map((c) => [`${c.router} ${c.transport}`, c] as const))(
  'liveness through a freezing proxy: %s',
  (_label, target) => {
    let proxy: FreezeProxy | undefined
    let connection: Connection | undefined
    let publisher: Client | undefined
    afterEach(async () => {
      proxy?.thaw()
      await connection?.close()
      if (publisher?.isOpen) await publisher.close().catch(() => {})
      await proxy?.close()
      proxy = connection = publisher = undefined
    })

    it(`a frozen link ends the session within interval + timeout (${target.check}); after the thaw it reconnects and the durable subscription works again`, {
      timeout: 30_000,
    }, async () => {
      proxy = await startFreezeProxy(Number(new URL(target.url).port))
      const logger = quietLogger()
      const conn = createConnection({
        url: proxy.url(target.url),
        realm: 'realm1',
        liveness: { interval: INTERVAL, timeout: TIMEOUT },
        reconnect: { initialDelay: 50, maxDelay: 200 },
        responseTimeout: 2000,
        logger,
      })
      connection = conn
      const statuses: { status: string; at: number }[] = []
      conn.subscribe(() => {
        const { status } = conn.getSnapshot()
        if (statuses.at(-1)?.status !== status) statuses.push({ status, at: Date.now() })
      })
      conn.start()
      await waitUntil('the connection is open', () => conn.getSnapshot().status === 'open')
      const firstSession = conn.getSnapshot().sessionId

      const topic = uniqueUri('liveness.topic')
      const events = nextValue<unknown>()
      const lease = conn.acquireSubscription(topic, (event) => events.push(event.args[0]))
      await waitUntil('the subscription is active', () => lease.status.getSnapshot().status === 'active')
      publisher = await connect(target.url, { realm: 'realm1' })

      // A live link passes several checks in a row.
      await sleep(3 * INTERVAL)
      expect(conn.getSnapshot().status).toBe('open')
      expect(conn.getSnapshot().sessionId).toBe(firstSession)
      await publisher.publish(topic, ['before'], {}, { acknowledge: true })
      expect(await events.next()).toBe('before')

      proxy.freeze()
      const frozenAt = Date.now()
      await waitUntil('the session ends', () => conn.getSnapshot().status !== 'open', INTERVAL + TIMEOUT + 5000)
      const endedAt = statuses.find((s) => s.at >= frozenAt && s.status !== 'open')?.at ?? Date.now()
      expect(endedAt - frozenAt).toBeLessThanOrEqual(INTERVAL + TIMEOUT + SLACK)
      const { error } = conn.getSnapshot()
      expect(error).toBeInstanceOf(ConnectionLostError)
      expect((error as ConnectionLostError).code).toBe('connection_lost')
      expect(error?.message).toBe(`the router did not answer the liveness check (${target.check}) within ${TIMEOUT} ms`)
      expect(lease.status.getSnapshot().status).toBe('pending')

      // While frozen, no attempt gets through.
      await sleep(500)
      expect(conn.getSnapshot().status).not.toBe('open')

      proxy.thaw()
      await waitUntil('the connection is open again', () => conn.getSnapshot().status === 'open')
      expect(conn.getSnapshot().sessionId).not.toBe(firstSession)
      await waitUntil('the subscription is active again', () => lease.status.getSnapshot().status === 'active')
      await publisher.publish(topic, ['after'], {}, { acknowledge: true })
      expect(await events.next()).toBe('after')
      expect(events.queued).toBe(0)
      lease.release()
    })
  },
)
