/**
 * The devtools' view of a connection on real routers (nexus, Crossbar.io, the local router): the
 * message tap sees the wire, the inspection lists what is held and running, a call cancelled from
 * the inspection interrupts the callee, and the log redacts the secrets of real handshakes.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cryptosign, ticket, wampcra } from '../../src/auth/index.js'
import type { AuthMethod } from '../../src/client/index.js'
import { type Connection, createConnection, inspectConnection, observeConnection } from '../../src/connection/index.js'
import { MessageLog } from '../../src/devtools/index.js'
import { CREDENTIALS } from '../routers/types.js'
import { sessions, sleep, targets, uniqueUri } from './targets.js'

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`)
    await sleep(5)
  }
}

describe.each(targets({ transports: ['ws', 'inproc'] }))('devtools on $label', (target) => {
  const pool = sessions(target)
  const connections: Connection[] = []
  afterEach(async () => {
    await Promise.all(connections.splice(0).map((c) => c.close()))
    await pool.closeAll()
  })

  function connection(): Connection {
    const created = createConnection({
      realm: 'realm1',
      liveness: false,
      reconnect: false,
      open: (_url, config) => pool.join(config),
    })
    connections.push(created)
    return created
  }

  it('lists a subscription and its events, and cancels a call in flight: CANCEL out, the callee interrupted', async () => {
    const app = connection()
    const log = new MessageLog(200)
    observeConnection(app, (direction, message) => void log.push(direction, message))
    app.start()
    const topic = uniqueUri('devtools.topic')
    const procedure = uniqueUri('devtools.slow')
    const subscription = app.acquireSubscription(topic, () => {})
    await until('subscribed', () => subscription.status.getSnapshot().status === 'active')
    const peer = await pool.join()
    let interrupted = false
    let running = false
    await peer.register(procedure, ({ signal }) => {
      running = true
      return new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => {
          interrupted = true
          reject(signal.reason)
        }),
      )
    })
    await peer.publish(topic, ['tick'], {}, { acknowledge: true })
    await until('the EVENT is logged', () => log.entries().some((e) => e.name === 'EVENT'))
    const lease = app.acquireCall('slow', procedure, ['job'], undefined, { cancelMode: 'killnowait' })
    const outcome = lease.promise.then(
      () => 'resolved',
      (error: Error) => error.name,
    )
    await until('the call is listed', () => inspectConnection(app).calls.length === 1)
    const view = inspectConnection(app)
    expect(view.subscriptions).toEqual([
      expect.objectContaining({ topic, holders: 1, status: expect.objectContaining({ status: 'active' }) }),
    ])
    expect(view.calls[0]).toMatchObject({ procedure, args: ['job'], holders: 1 })
    await until('the callee runs', () => running)
    view.calls[0]!.cancel()
    expect(await outcome).toBe('AbortError')
    await until('the callee is interrupted', () => interrupted)
    expect(log.entries().filter((e) => e.name === 'CANCEL' && e.direction === 'out')).toHaveLength(1)
    expect(log.entries().find((e) => e.name === 'CALL')?.summary).toContain(procedure)
    lease.release()
    subscription.release()
  })

  it('the log of a real handshake shows no secret (ticket, WAMP-CRA, cryptosign)', async () => {
    const cases: [string, AuthMethod[], string[]][] = [
      [CREDENTIALS.ticket.authid, [ticket(CREDENTIALS.ticket.ticket)], [CREDENTIALS.ticket.ticket]],
      [CREDENTIALS.wampcra.authid, [wampcra(CREDENTIALS.wampcra.secret)], [CREDENTIALS.wampcra.secret]],
      [
        CREDENTIALS.cryptosign.authid,
        [cryptosign(CREDENTIALS.cryptosign.seed)],
        [CREDENTIALS.cryptosign.seed, CREDENTIALS.cryptosign.pubkey],
      ],
    ]
    for (const [authid, auth, secrets] of cases) {
      const log = new MessageLog(20)
      const raw: unknown[][] = []
      const client = await pool.join({
        realm: 'authrealm',
        authid,
        auth,
        tap: (direction, message) => {
          raw.push(message as unknown[])
          log.push(direction, message)
        },
      })
      expect(client.isOpen).toBe(true)
      const authenticate = raw.find((m) => m[0] === 5)!
      const challenge = raw.find((m) => m[0] === 4)!
      const shown = JSON.stringify(log.entries())
      for (const secret of [...secrets, authenticate[1] as string]) expect(shown).not.toContain(secret)
      for (const value of Object.values((challenge[2] ?? {}) as Record<string, unknown>)) {
        if (typeof value === 'string' && value.length > 8) expect(shown).not.toContain(value)
      }
      expect(shown).toContain('"AUTHENTICATE"')
      await client.close()
    }
  })
})
