import type { IncomingHttpHeaders } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { type Client, ConnectionLostError, connect, type WebSocketLike } from '../../src/client/index.js'
import { jsonSerializer, loadSerializer, type SerializationName } from '../../src/serializers/index.js'
import type { Transport } from '../../src/transports/transport.js'
import { openWebSocket } from '../../src/transports/websocket.js'
import { WELCOME_DETAILS } from '../support/fake-router.js'

/**
 * A WebSocket server from `ws` that records each upgrade request and speaks just enough WAMP
 * (JSON or MsgPack): HELLO → WELCOME, GOODBYE → GOODBYE.
 */
const SUBPROTOCOLS = new Map<string, SerializationName>([
  ['wamp.2.json', 'json'],
  ['wamp.2.msgpack', 'msgpack'],
  ['wamp.2.cbor', 'cbor'],
])

async function startTinyRouter(options: { silentAfterWelcome?: boolean } = {}) {
  const upgrades: { headers: IncomingHttpHeaders; url: string | undefined; protocol: string }[] = []
  const sockets: WebSocket[] = []
  /** Every message the router read, in order. */
  const received: unknown[][] = []
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols) => [...protocols].find((p) => SUBPROTOCOLS.has(p)) ?? false,
  })
  server.on('connection', (socket, request) => {
    sockets.push(socket)
    upgrades.push({ headers: request.headers, url: request.url, protocol: socket.protocol })
    const serialization = SUBPROTOCOLS.get(socket.protocol) ?? 'json'
    socket.on('message', async (data, isBinary) => {
      const serializer = await loadSerializer(serialization)
      const message = serializer.decode(isBinary ? new Uint8Array(data as Buffer) : data.toString()) as unknown[]
      received.push(message)
      const reply = (answer: unknown[]) => socket.send(serializer.encode(answer))
      if (message[0] === 1) {
        reply([2, 4711, WELCOME_DETAILS])
        // Stop reading: later frames (the closing handshake too) are never answered.
        if (options.silentAfterWelcome) (socket as unknown as { _socket: { pause(): void } })._socket.pause()
      } else if (message[0] === 6) {
        reply([6, {}, 'wamp.close.goodbye_and_out'])
      } else if (message[0] === 16) {
        // PUBLISH: echoed back as an EVENT carrying the same Arguments.
        reply([36, 1, message[1], {}, message[4]])
      }
    })
  })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    upgrades,
    sockets,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.terminate()
        server.close(() => resolve())
      }),
  }
}

/** What a browser WebSocket offers: no ping, no event emitter, no terminate. */
function browserLike(socket: WebSocket): WebSocketLike {
  const like = {
    get protocol() {
      return socket.protocol
    },
    get readyState() {
      return socket.readyState
    },
    get binaryType() {
      return socket.binaryType
    },
    set binaryType(value: string) {
      socket.binaryType = value as WebSocket['binaryType']
    },
    send: (data: string | Uint8Array) => socket.send(data),
    close: (code?: number, reason?: string) => socket.close(code, reason),
    onopen: null as WebSocketLike['onopen'],
    onclose: null as WebSocketLike['onclose'],
    onerror: null as WebSocketLike['onerror'],
    onmessage: null as WebSocketLike['onmessage'],
  }
  socket.onopen = (event) => like.onopen?.(event)
  socket.onclose = (event) => like.onclose?.(event)
  socket.onerror = (event) => like.onerror?.(event)
  socket.onmessage = (event) => like.onmessage?.(event)
  return like
}

let router: Awaited<ReturnType<typeof startTinyRouter>> | undefined
const clients: Client[] = []
const transports: Transport[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => (c.isOpen ? c.close().catch(() => {}) : undefined)))
  for (const transport of transports.splice(0)) transport.close()
  await router?.close()
  router = undefined
})

describe('createWebSocket (the seed’s Dial)', () => {
  it.each(['json', 'msgpack', 'cbor'] as const)(
    'builds the socket with custom headers; the router sees them and the session joins (%s)',
    async (serialization) => {
      router = await startTinyRouter()
      const calls: { url: string; protocols: string[] }[] = []
      const client = await connect(router.url, {
        realm: 'realm1',
        serialization,
        createWebSocket: (url, protocols) => {
          calls.push({ url, protocols })
          return new WebSocket(url, protocols, {
            headers: { Authorization: 'Bearer token-123', 'X-Tenant': 'acme' },
          }) as unknown as WebSocketLike
        },
      })
      clients.push(client)
      expect(client.id).toBe(4711)
      expect(calls).toEqual([{ url: router.url, protocols: [`wamp.2.${serialization}`] }])
      expect(router.upgrades).toHaveLength(1)
      const [upgrade] = router.upgrades
      expect(upgrade?.headers.authorization).toBe('Bearer token-123')
      expect(upgrade?.headers['x-tenant']).toBe('acme')
      expect(upgrade?.headers['sec-websocket-protocol']).toBe(`wamp.2.${serialization}`)
      expect(upgrade?.url).toBe('/ws')
      expect(upgrade?.protocol).toBe(`wamp.2.${serialization}`)
    },
  )

  it('a browser-like socket (no ping) works, and its transport offers no ping', async () => {
    router = await startTinyRouter()
    const transport = await openWebSocket(router.url, {
      serializer: jsonSerializer,
      openTimeout: 2000,
      createWebSocket: (url, protocols) => browserLike(new WebSocket(url, protocols)),
    })
    transports.push(transport)
    expect(transport.ping).toBeUndefined()
  })

  it('a router that accepts none of the offered subprotocols: ConnectionLostError', async () => {
    router = await startTinyRouter()
    const error = await connect(router.url, {
      realm: 'realm1',
      createWebSocket: (url) => new WebSocket(url, ['not-wamp']) as unknown as WebSocketLike,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionLostError)
    // `ws` fails the upgrade itself ("Server sent no subprotocol"); browsers open, and the transport refuses.
    expect((error as Error).message).toMatch(/subprotocol/)
    expect((error as Error).message).toContain(router.url)
  })
})

describe('WebSocket transport in Node', () => {
  it('ping() sends a WebSocket ping and resolves on the pong', async () => {
    router = await startTinyRouter()
    const transport = await openWebSocket(router.url, { serializer: jsonSerializer, openTimeout: 2000 })
    transports.push(transport)
    expect(typeof transport.ping).toBe('function')
    const pings: number[] = []
    router.sockets[0]!.on('ping', () => pings.push(Date.now()))
    await transport.ping!()
    await Promise.all([transport.ping!(), transport.ping!()])
    await expect.poll(() => pings.length).toBe(3)
  })

  it('ping() rejects with ConnectionLostError once the socket is closing', async () => {
    router = await startTinyRouter()
    const transport = await openWebSocket(router.url, { serializer: jsonSerializer, openTimeout: 2000 })
    transport.close()
    await expect(transport.ping!()).rejects.toBeInstanceOf(ConnectionLostError)
  })

  it('a local close does not wait for a dead peer’s closing handshake: the socket is dropped after a grace period', async () => {
    router = await startTinyRouter({ silentAfterWelcome: true })
    const client = await connect(router.url, { realm: 'realm1', responseTimeout: 200 })
    const transport = (client as unknown as { transport: Transport }).transport
    const pending = transport.ping!()
    const started = Date.now()
    client.terminate()
    await expect(pending).rejects.toBeInstanceOf(ConnectionLostError)
    const info = await transport.closed
    expect(info.local).toBe(true)
    // ws alone would wait 30 s for the peer's close frame.
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('an unreachable port: ConnectionLostError naming the URL and the cause', async () => {
    const { createServer } = await import('node:net')
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address()
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
      })
    })
    const url = `ws://127.0.0.1:${port}/ws`
    const error = await connect(url, { realm: 'realm1' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionLostError)
    expect((error as Error).message).toMatch(new RegExp(`could not connect to ${url}: .*ECONNREFUSED`))
  })
})

describe('WebSocket transport frames (Node, ws)', () => {
  /** A transport on the tiny router, with every message it reads (or the reasons it could not). */
  async function openRecording(serialization: SerializationName) {
    router = await startTinyRouter()
    const transport = await openWebSocket(router.url, {
      serializer: await loadSerializer(serialization),
      openTimeout: 2000,
    })
    transports.push(transport)
    const messages: unknown[] = []
    const errors: Error[] = []
    transport.listen({ message: (message) => messages.push(message), error: (error) => errors.push(error) })
    return { transport, messages, errors }
  }

  it('messages sent in one tick leave in one write, in order, once the tick ends', async () => {
    const { transport } = await openRecording('json')
    const socket = router!.sockets[0]!
    const reads: number[] = []
    // The router's side of the TCP connection: how many reads carry the frames.
    ;(socket as unknown as { _socket: NodeJS.EventEmitter })._socket.on('data', (chunk: Buffer) =>
      reads.push(chunk.length),
    )
    const raw = (transport as unknown as { socket: { _socket: { writableCorked: number } } }).socket._socket
    for (let i = 1; i <= 50; i++) transport.send([16, i, {}, 'test.topic', [i]])
    // Held back until the end of the tick…
    expect(raw.writableCorked).toBe(1)
    await new Promise((resolve) => process.nextTick(resolve))
    expect(raw.writableCorked).toBe(0)
    // …then written together.
    await expect.poll(() => router!.received.length).toBe(50)
    expect(router!.received.map((m) => m[1])).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    expect(reads.length).toBeLessThan(5)
    // A later tick corks again.
    transport.send([16, 51, {}, 'test.topic', [51]])
    expect(raw.writableCorked).toBe(1)
    await expect.poll(() => router!.received.length).toBe(51)
  })

  it.each(['json', 'msgpack', 'cbor'] as const)(
    'frames from the router reach the receiver decoded (%s), bytes as plain Uint8Arrays',
    async (serialization) => {
      const { transport, messages, errors } = await openRecording(serialization)
      const bytes = new Uint8Array([0, 1, 2, 250])
      transport.send([16, 7, {}, 'test.topic', ['héllo ✓', bytes, { a: 1 }]])
      await expect.poll(() => messages.length).toBe(1)
      expect(errors).toEqual([])
      const [event] = messages as unknown[][]
      expect(event).toEqual([36, 1, 7, {}, ['héllo ✓', bytes, { a: 1 }]])
      const received = (event![4] as unknown[])[1] as Uint8Array
      expect(received).toBeInstanceOf(Uint8Array)
      expect(Buffer.isBuffer(received)).toBe(false)
    },
  )

  it('an undecodable text frame is reported to the receiver, and later frames still arrive', async () => {
    const { transport, messages, errors } = await openRecording('json')
    router!.sockets[0]!.send('[36, 1,')
    transport.send([16, 8, {}, 'test.topic', [1]])
    await expect.poll(() => messages.length).toBe(1)
    expect(errors).toHaveLength(1)
    expect(errors[0]!.message).toMatch(/^undecodable json frame: /)
  })
})
