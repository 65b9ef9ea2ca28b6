import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import { createServer as createNetServer } from 'node:net'
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { ConnectionLostError } from '../../src/client/index.js'
import { jsonSerializer } from '../../src/serializers/index.js'
import { openRawSocket } from '../../src/transports/rawsocket.js'
import type { Transport } from '../../src/transports/transport.js'
import { openWebSocket } from '../../src/transports/websocket.js'
import { makeTestCertificates, type TestCertificates } from './certificates.js'

let certs: TestCertificates
beforeAll(() => {
  certs = makeTestCertificates()
})

const servers: (TlsServer | HttpsServer)[] = []
const transports: Transport[] = []
afterEach(async () => {
  for (const transport of transports.splice(0)) transport.close()
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
          server.close(() => resolve())
        }),
    ),
  )
})

function portOf(server: TlsServer | HttpsServer): number {
  const address = server.address()
  return typeof address === 'object' && address ? address.port : 0
}

/** A TLS server that answers the RawSocket handshake (json, 16 MiB) and nothing else. */
async function tlsRawSocketServer(cert: string, key: string): Promise<number> {
  const server = createTlsServer({ cert, key }, (socket) => {
    socket.on('error', () => {})
    socket.once('data', () => socket.write(Buffer.from([0x7f, 0xf1, 0, 0])))
  })
  server.on('tlsClientError', () => {})
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return portOf(server)
}

/** An HTTPS server with a WebSocket endpoint that accepts wamp.2.json. */
async function wssServer(cert: string, key: string): Promise<number> {
  const server = createHttpsServer({ cert, key })
  server.on('tlsClientError', () => {})
  const wss = new WebSocketServer({ server, handleProtocols: (protocols) => [...protocols][0] ?? false })
  wss.on('connection', (socket) => socket.on('error', () => {}))
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return portOf(server)
}

const options = { serializer: jsonSerializer, openTimeout: 3000 }

async function refusal(opening: Promise<Transport>): Promise<ConnectionLostError> {
  const error = await opening.then(
    (transport) => {
      transports.push(transport)
      throw new Error('the connection was accepted')
    },
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ConnectionLostError)
  return error as ConnectionLostError
}

describe('tcps:// (RawSocket over TLS)', () => {
  it('a self-signed router certificate without a CA is refused with a clear error', async () => {
    const port = await tlsRawSocketServer(certs.selfSignedCert, certs.selfSignedKey)
    const url = `tcps://127.0.0.1:${port}`
    const error = await refusal(openRawSocket(url, options))
    expect(error.code).toBe('connection_lost')
    expect(error.message).toBe(
      `could not connect to ${url}: the router's TLS certificate was refused: self-signed certificate ` +
        '(DEPTH_ZERO_SELF_SIGNED_CERT); pass the CA that issued it as `tls: { ca }` (Node)',
    )
    expect((error.cause as { code?: string }).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT')
  })

  it('trusting that certificate explicitly (tls: { ca }) lets the handshake through', async () => {
    const port = await tlsRawSocketServer(certs.selfSignedCert, certs.selfSignedKey)
    const transport = await openRawSocket(`tcps://127.0.0.1:${port}`, { ...options, tls: { ca: certs.selfSignedCert } })
    transports.push(transport)
    expect(transport.serialization).toBe('json')
  })

  it('a CA-signed certificate is verified against the CA, by IP and by host name (SNI)', async () => {
    const port = await tlsRawSocketServer(certs.cert, certs.key)
    for (const host of ['127.0.0.1', 'localhost']) {
      const transport = await openRawSocket(`tcps://${host}:${port}`, { ...options, tls: { ca: certs.ca } })
      transports.push(transport)
    }
    const error = await refusal(openRawSocket(`tcps://127.0.0.1:${port}`, options))
    expect((error.cause as { code?: string }).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE')
    expect(error.message).toContain('unable to verify the first certificate')
  })

  it('a certificate for another name is refused (hostname check)', async () => {
    // The certificate names 127.0.0.1 and localhost; connect by a name it does not carry.
    const port = await tlsRawSocketServer(certs.cert, certs.key)
    const error = await refusal(
      openRawSocket(`tcps://127.0.0.1:${port}`, { ...options, tls: { ca: certs.ca, servername: 'router.example' } }),
    )
    expect((error.cause as { code?: string }).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID')
    expect(error.message).toContain("the router's TLS certificate was refused")
  })
})

describe('wss:// (the default WebSocket factory applies tls in Node)', () => {
  it('a self-signed router certificate without a CA is refused with a clear error', async () => {
    const port = await wssServer(certs.selfSignedCert, certs.selfSignedKey)
    const url = `wss://127.0.0.1:${port}/ws`
    const error = await refusal(openWebSocket(url, options))
    expect(error.code).toBe('connection_lost')
    expect(error.message).toBe(
      `could not connect to ${url}: the router's TLS certificate was refused: self-signed certificate ` +
        '(DEPTH_ZERO_SELF_SIGNED_CERT); pass the CA that issued it as `tls: { ca }` (Node)',
    )
  })

  it('with tls: { ca } the socket opens', async () => {
    const port = await wssServer(certs.cert, certs.key)
    const transport = await openWebSocket(`wss://127.0.0.1:${port}/ws`, { ...options, tls: { ca: certs.ca } })
    transports.push(transport)
    expect(transport.serialization).toBe('json')
    expect(typeof transport.ping).toBe('function')
    await transport.ping!()
  })
})

describe('RawSocket host names', () => {
  let ipv6 = false
  let server: ReturnType<typeof createNetServer> | undefined
  let port = 0
  beforeAll(async () => {
    server = createNetServer((socket) => {
      socket.on('error', () => {})
      socket.once('data', () => socket.write(Buffer.from([0x7f, 0xf1, 0, 0])))
    })
    ipv6 = await new Promise<boolean>((resolve) => {
      server!.once('error', () => resolve(false))
      server!.listen(0, '::1', () => resolve(true))
    })
    if (ipv6) {
      const address = server.address()
      port = typeof address === 'object' && address ? address.port : 0
    }
  })
  afterAll(async () => {
    if (ipv6) await new Promise<void>((resolve) => server?.close(() => resolve()))
  })

  it('tcp://[::1]:port connects to the IPv6 literal', async (context) => {
    if (!ipv6) context.skip()
    const transport = await openRawSocket(`tcp://[::1]:${port}`, options)
    transports.push(transport)
    expect(transport.serialization).toBe('json')
  })
})
