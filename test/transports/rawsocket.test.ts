import { createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ConnectionLostError, connect } from '../../src/client/index.js'
import { jsonSerializer, loadSerializer } from '../../src/serializers/index.js'
import { openRawSocket, RawSocketHandshakeError } from '../../src/transports/rawsocket.js'
import type { Transport } from '../../src/transports/transport.js'

/** A TCP server on 127.0.0.1 that plays the router's side of RawSocket byte by byte. */
class FakeRawSocketRouter {
  readonly sockets: Socket[] = []
  /** Bytes received per connection. */
  readonly received: Buffer[] = []
  private waiters: (() => void)[] = []
  private constructor(
    readonly server: Server,
    readonly port: number,
  ) {}

  static start(onConnection: (socket: Socket, router: FakeRawSocketRouter) => void): Promise<FakeRawSocketRouter> {
    return new Promise((resolve) => {
      const server = createServer((socket) => {
        const index = router.sockets.push(socket) - 1
        router.received[index] = Buffer.alloc(0)
        socket.on('data', (chunk) => {
          router.received[index] = Buffer.concat([router.received[index]!, chunk])
          for (const waiter of router.waiters.splice(0)) waiter()
        })
        socket.on('error', () => {})
        onConnection(socket, router)
      })
      let router: FakeRawSocketRouter
      server.listen(0, '127.0.0.1', () => {
        const address = server.address()
        router = new FakeRawSocketRouter(server, typeof address === 'object' && address ? address.port : 0)
        resolve(router)
      })
    })
  }

  get url(): string {
    return `tcp://127.0.0.1:${this.port}`
  }

  /** Resolves once connection `index` has sent at least `length` bytes. */
  async receivedAtLeast(length: number, index = 0): Promise<Buffer> {
    const deadline = Date.now() + 5000
    while ((this.received[index]?.length ?? 0) < length) {
      if (Date.now() > deadline) throw new Error(`got ${this.received[index]?.length ?? 0} of ${length} bytes`)
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve)
        setTimeout(resolve, 50)
      })
    }
    return this.received[index]!
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}

/** A RawSocket frame: type (0 message, 1 PING, 2 PONG) and a 24-bit big-endian length. */
function frame(type: number, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload
  const header = Buffer.alloc(4)
  header[0] = type
  header.writeUIntBE(body.length, 1, 3)
  return Buffer.concat([header, body])
}

/** Answers the handshake: json accepted, 16 MiB limit. */
function acceptJson(socket: Socket): void {
  socket.once('data', () => socket.write(Buffer.from([0x7f, 0xf1, 0, 0])))
}

let router: FakeRawSocketRouter | undefined
let transport: Transport | undefined
afterEach(async () => {
  transport?.close()
  transport = undefined
  await router?.close()
  router = undefined
})

const open = (url: string, recvLimit?: number) =>
  openRawSocket(url, { serializer: jsonSerializer, openTimeout: 2000, recvLimit })

describe('RawSocket handshake', () => {
  it('asks for json with the receive limit exponent: 7F F1 00 00 by default, 7F 11 00 00 for 1 KiB', async () => {
    router = await FakeRawSocketRouter.start(acceptJson)
    transport = await open(router.url)
    expect([...(await router.receivedAtLeast(4, 0)).subarray(0, 4)]).toEqual([0x7f, 0xf1, 0, 0])
    transport.close()
    transport = await open(router.url, 1000)
    expect([...(await router.receivedAtLeast(4, 1)).subarray(0, 4)]).toEqual([0x7f, 0x11, 0, 0])
  })

  it('asks for msgpack with serializer code 2', async () => {
    router = await FakeRawSocketRouter.start((socket) =>
      socket.once('data', () => socket.write(Buffer.from([0x7f, 0xf2, 0, 0]))),
    )
    transport = await openRawSocket(router.url, { serializer: await loadSerializer('msgpack'), openTimeout: 2000 })
    expect([...(await router.receivedAtLeast(4)).subarray(0, 4)]).toEqual([0x7f, 0xf2, 0, 0])
    expect(transport.serialization).toBe('msgpack')
  })

  it('asks for cbor with serializer code 3', async () => {
    router = await FakeRawSocketRouter.start((socket) =>
      socket.once('data', () => socket.write(Buffer.from([0x7f, 0xf3, 0, 0]))),
    )
    transport = await openRawSocket(router.url, { serializer: await loadSerializer('cbor'), openTimeout: 2000 })
    expect([...(await router.receivedAtLeast(4)).subarray(0, 4)]).toEqual([0x7f, 0xf3, 0, 0])
    expect(transport.serialization).toBe('cbor')
  })

  const refusals = [
    [1, 'the router does not support this serializer'],
    [2, 'the router does not accept the maximum message length'],
    [3, 'the router saw reserved bits set'],
    [4, 'the router has reached its connection limit'],
  ] as const
  it.each(refusals)('error code %i becomes RawSocketHandshakeError with handshakeCode', async (code, text) => {
    router = await FakeRawSocketRouter.start((socket) =>
      socket.once('data', () => socket.write(Buffer.from([0x7f, code << 4, 0, 0]))),
    )
    const error = await open(router.url).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RawSocketHandshakeError)
    expect(error).toBeInstanceOf(ConnectionLostError)
    const refused = error as RawSocketHandshakeError
    expect(refused.name).toBe('RawSocketHandshakeError')
    expect(refused.code).toBe('connection_lost')
    expect(refused.handshakeCode).toBe(code)
    expect(refused.message).toBe(`${router.url} refused the RawSocket handshake: ${text}`)
  })

  it('connect() rejects with the same typed error', async () => {
    router = await FakeRawSocketRouter.start((socket) =>
      socket.once('data', () => socket.write(Buffer.from([0x7f, 0x40, 0, 0]))),
    )
    const error = await connect(router.url, { realm: 'realm1' }).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'RawSocketHandshakeError', handshakeCode: 4, code: 'connection_lost' })
  })

  it('a bad magic byte and a serializer mismatch are typed errors without a handshake code', async () => {
    router = await FakeRawSocketRouter.start((socket) =>
      socket.once('data', () =>
        socket.write(Buffer.from(router!.sockets.length === 1 ? [0x48, 0x54, 0x54, 0x50] : [0x7f, 0xf2, 0, 0])),
      ),
    )
    const badMagic = (await open(router.url).catch((e: unknown) => e)) as RawSocketHandshakeError
    expect(badMagic).toBeInstanceOf(RawSocketHandshakeError)
    expect(badMagic.handshakeCode).toBeUndefined()
    expect(badMagic.message).toContain('bad magic byte')
    const mismatch = (await open(router.url).catch((e: unknown) => e)) as RawSocketHandshakeError
    expect(mismatch).toBeInstanceOf(RawSocketHandshakeError)
    expect(mismatch.message).toContain('answered with serializer 2, not 1')
  })

  it('a router that never answers the handshake: ConnectionLostError after openTimeout', async () => {
    router = await FakeRawSocketRouter.start(() => {})
    const started = Date.now()
    const error = await openRawSocket(router.url, { serializer: jsonSerializer, openTimeout: 200 }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ConnectionLostError)
    expect((error as Error).message).toContain('no RawSocket handshake')
    expect(Date.now() - started).toBeLessThan(2000)
  })
})

describe('RawSocket frames', () => {
  it('delivers message frames, split and coalesced arbitrarily', async () => {
    router = await FakeRawSocketRouter.start(acceptJson)
    transport = await open(router.url)
    const messages: unknown[] = []
    transport.listen({ message: (m) => messages.push(m), error: (e) => messages.push(e) })
    const bytes = Buffer.concat([frame(0, '[2,1,{}]'), frame(0, '[36,5,6,{},["x"]]')])
    const socket = router.sockets[0]!
    socket.write(bytes.subarray(0, 3))
    await new Promise((r) => setTimeout(r, 20))
    socket.write(bytes.subarray(3, 14))
    await new Promise((r) => setTimeout(r, 20))
    socket.write(bytes.subarray(14))
    await expect.poll(() => messages.length).toBe(2)
    expect(messages).toEqual([
      [2, 1, {}],
      [36, 5, 6, {}, ['x']],
    ])
    transport.send([1, 'realm1', {}])
    const sent = await router.receivedAtLeast(4 + 4 + 15)
    expect(sent.subarray(4)).toEqual(frame(0, '[1,"realm1",{}]'))
  })

  it('answers a PING with a PONG that echoes its payload, without surfacing it as a message', async () => {
    router = await FakeRawSocketRouter.start(acceptJson)
    transport = await open(router.url)
    const messages: unknown[] = []
    transport.listen({ message: (m) => messages.push(m), error: (e) => messages.push(e) })
    const payload = Buffer.from('keepalive-42')
    router.sockets[0]!.write(frame(1, payload))
    const received = await router.receivedAtLeast(4 + 4 + payload.length)
    expect(received.subarray(4)).toEqual(frame(2, payload))
    // An empty PING gets an empty PONG.
    router.sockets[0]!.write(frame(1, Buffer.alloc(0)))
    const more = await router.receivedAtLeast(4 + 4 + payload.length + 4)
    expect(more.subarray(4 + 4 + payload.length)).toEqual(frame(2, Buffer.alloc(0)))
    expect(messages).toEqual([])
  })

  it('ping() sends a PING and resolves on the PONG that echoes it', async () => {
    router = await FakeRawSocketRouter.start((socket) => {
      acceptJson(socket)
      // Echo every PING frame as a PONG (after the 4-byte handshake).
      let buffer = Buffer.alloc(0)
      let handshaken = false
      socket.on('data', (chunk) => {
        buffer = Buffer.concat([buffer, chunk])
        if (!handshaken) {
          if (buffer.length < 4) return
          buffer = buffer.subarray(4)
          handshaken = true
        }
        while (buffer.length >= 4) {
          const length = buffer.readUIntBE(1, 3)
          if (buffer.length < 4 + length) return
          if ((buffer[0]! & 7) === 1) socket.write(frame(2, buffer.subarray(4, 4 + length)))
          buffer = buffer.subarray(4 + length)
        }
      })
    })
    transport = await open(router.url)
    transport.listen({ message: () => {}, error: () => {} })
    expect(typeof transport.ping).toBe('function')
    await transport.ping!()
    await Promise.all([transport.ping!(), transport.ping!(), transport.ping!()])
    const sent = await router.receivedAtLeast(4 + 4 * 8)
    // Four PING frames, each with a 4-byte counter.
    for (let i = 0; i < 4; i++) {
      const at = 4 + i * 8
      expect(sent[at]).toBe(1)
      expect(sent.readUIntBE(at + 1, 3)).toBe(4)
    }
  })

  it('ping() rejects with ConnectionLostError when the connection closes before the PONG', async () => {
    router = await FakeRawSocketRouter.start(acceptJson)
    transport = await open(router.url)
    transport.listen({ message: () => {}, error: () => {} })
    const ping = transport.ping!()
    await router.receivedAtLeast(4 + 8)
    router.sockets[0]!.destroy()
    await expect(ping).rejects.toBeInstanceOf(ConnectionLostError)
    await expect(transport.ping!()).rejects.toBeInstanceOf(ConnectionLostError)
  })

  it('withdraws ping() after a WELCOME from Crossbar.io (its RawSocket breaks on PING frames), keeps it otherwise', async () => {
    router = await FakeRawSocketRouter.start(acceptJson)
    const crossbar = await open(router.url)
    crossbar.listen({ message: () => {}, error: () => {} })
    router.sockets[0]!.write(frame(0, JSON.stringify([2, 1, { x_cb_node: 'node1', roles: {} }])))
    await expect.poll(() => crossbar.ping).toBeUndefined()
    crossbar.close()

    const other = await open(router.url)
    transport = other
    const messages: unknown[] = []
    other.listen({ message: (m) => messages.push(m), error: () => {} })
    router.sockets[1]!.write(frame(0, JSON.stringify([2, 1, { roles: {} }])))
    await expect.poll(() => messages.length).toBe(1)
    expect(typeof other.ping).toBe('function')
  })

  it('a frame over the receive limit is an error and closes the connection', async () => {
    router = await FakeRawSocketRouter.start((socket) =>
      socket.once('data', () => socket.write(Buffer.from([0x7f, 0xf1, 0, 0]))),
    )
    transport = await open(router.url, 512)
    const errors: Error[] = []
    transport.listen({ message: () => {}, error: (e) => errors.push(e) })
    router.sockets[0]!.write(frame(0, 'x'.repeat(600)))
    const info = await transport.closed
    expect(errors[0]?.message).toContain('exceeds the receive limit of 512')
    expect(info.local).toBe(false)
  })
})
