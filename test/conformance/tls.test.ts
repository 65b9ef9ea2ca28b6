import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { type Client, ConnectionLostError, connect, createClient, type WebSocketLike } from '../../src/client/index.js'
import { loadSerializer } from '../../src/serializers/index.js'
import { openWebSocket } from '../../src/transports/websocket.js'
import { selectedRouters, startRouter } from '../routers/start.js'
import type { RunningRouter } from '../routers/types.js'
import { makeTestCertificates, type TestCertificates } from '../transports/certificates.js'
import { uniqueUri } from './targets.js'

/** The routers with TLS listeners (the local router has none). */
const routers = selectedRouters().filter((name) => name !== 'local')
const serializations = ['json', 'msgpack'] as const

/** The client did not accept the router's certificate: a typed error that names the problem. */
function expectCertificateRefused(error: unknown, url: string): void {
  expect(error).toBeInstanceOf(ConnectionLostError)
  const lost = error as ConnectionLostError
  expect(lost.code).toBe('connection_lost')
  expect(lost.message).toContain(url)
  expect(lost.message).toMatch(/TLS certificate was refused: unable to verify the first certificate/)
  expect(lost.message).toContain('(UNABLE_TO_VERIFY_LEAF_SIGNATURE)')
  expect(lost.message).toContain('tls: { ca }')
  expect((lost.cause as { code?: string } | undefined)?.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE')
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

if (routers.length === 0) it.skip('TLS: no selected router has TLS listeners (WAMP_ROUTERS=local)', () => {})

describe.each(routers)('TLS against %s (own router process with a test CA)', (name) => {
  let certs: TestCertificates
  let router: RunningRouter
  const clients: Client[] = []

  beforeAll(async () => {
    certs = makeTestCertificates()
    router = await startRouter(name, { tls: { cert: certs.cert, key: certs.key } })
  })
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => (c.isOpen ? c.close().catch(() => {}) : undefined)))
  })
  afterAll(async () => {
    await router?.stop()
  })

  /** Joined: a call round trip through the router to a procedure this session registered. */
  async function roundTrip(client: Client): Promise<void> {
    clients.push(client)
    expect(client.isOpen).toBe(true)
    const procedure = uniqueUri('tls.echo')
    await client.register(procedure, ({ args }) => ({ args: [`echo:${args[0]}`] }))
    const { args } = await client.call(procedure, ['hi'])
    expect(args).toEqual(['echo:hi'])
  }

  it('starts wss:// and tcps:// listeners', () => {
    expect(router.wssUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/ws$/)
    expect(router.tcpsUrl).toMatch(/^tcps:\/\/127\.0\.0\.1:\d+$/)
  })

  for (const serialization of serializations) {
    it(`tcps:// ${serialization} with tls: { ca } joins and calls`, async () => {
      await roundTrip(await connect(router.tcpsUrl!, { realm: 'realm1', serialization, tls: { ca: certs.ca } }))
    })

    it(`wss:// ${serialization}: the default WebSocket factory applies tls: { ca }`, async () => {
      const transport = await openWebSocket(router.wssUrl!, {
        serializer: await loadSerializer(serialization),
        openTimeout: 5000,
        tls: { ca: certs.ca },
      })
      await roundTrip(await createClient(transport, { realm: 'realm1', serialization }))
    })
  }

  for (const serialization of serializations) {
    it(`wss:// ${serialization} through connect() with tls: { ca }`, async () => {
      await roundTrip(await connect(router.wssUrl!, { realm: 'realm1', serialization, tls: { ca: certs.ca } }))
    })
  }

  it('wss:// through connect() with a createWebSocket factory that carries the CA', async () => {
    const createWebSocket = (url: string, protocols: string[]) =>
      new WebSocket(url, protocols, { ca: certs.ca }) as unknown as WebSocketLike
    await roundTrip(await connect(router.wssUrl!, { realm: 'realm1', createWebSocket }))
  })

  it('tcps:// without the CA: refused, naming the certificate problem', async () => {
    const url = router.tcpsUrl!
    expectCertificateRefused(await rejection(connect(url, { realm: 'realm1' })), url)
  })

  it('wss:// without the CA: refused, naming the certificate problem', async () => {
    const url = router.wssUrl!
    expectCertificateRefused(await rejection(connect(url, { realm: 'realm1' })), url)
  })

  it('a CA that did not sign the router certificate is refused (tcps:// and wss://)', async () => {
    const tcps = router.tcpsUrl!
    expectCertificateRefused(await rejection(connect(tcps, { realm: 'realm1', tls: { ca: certs.otherCa } })), tcps)
    const wss = router.wssUrl!
    const serializer = await loadSerializer('json')
    expectCertificateRefused(
      await rejection(openWebSocket(wss, { serializer, openTimeout: 5000, tls: { ca: certs.otherCa } })),
      wss,
    )
  })
})
