/**
 * RawSocket against a tiny local TCP "router" that completes the handshake and then sends what the
 * test wants: frames over the client's receive limit are refused cleanly (ABORT protocol_violation,
 * typed errors, the socket closed, the payload never awaited); frames at the limit are accepted;
 * arbitrary chunking, PINGs and reserved frame types are handled; random bytes never throw out.
 */
import { createServer, type Server, type Socket } from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect } from '../../src/client/connect.js'
import { type Client, type Event, ProtocolViolationError, WampError } from '../../src/client/index.js'
import type { ByteQueue } from '../../src/transports/byte-queue.js'
import { roundRecvLimit } from '../../src/transports/rawsocket.js'
import { failOnUnhandled, flush, fuzzCounter, fuzzParams, scaled } from '../reliability/support.js'
import { quietLogger, WELCOME_DETAILS } from '../support/fake-router.js'

const count = fuzzCounter('rawsocket')

interface Frame {
  type: number
  payload: Buffer
}

/** The router's side of one RawSocket connection. */
class Peer {
  /** The client's 4 handshake bytes. */
  handshake!: Buffer
  readonly frames: Frame[] = []
  readonly closed: Promise<void>
  private buffer = Buffer.alloc(0)
  private waiters: (() => void)[] = []

  constructor(
    readonly socket: Socket,
    routerExponent: number,
  ) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()))
    socket.setNoDelay(true) // no Nagle: small frames go out at once
    socket.on('error', () => {})
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk])
      if (!this.handshake) {
        if (this.buffer.length < 4) return
        this.handshake = this.buffer.subarray(0, 4)
        this.buffer = this.buffer.subarray(4)
        // Echo the client's serializer, announce our own limit.
        socket.write(Uint8Array.of(0x7f, (routerExponent << 4) | (this.handshake[1]! & 0x0f), 0, 0))
      }
      while (this.buffer.length >= 4) {
        const length = this.buffer.readUIntBE(1, 3)
        if (this.buffer.length < 4 + length) break
        this.frames.push({ type: this.buffer[0]! & 0x07, payload: this.buffer.subarray(4, 4 + length) })
        this.buffer = this.buffer.subarray(4 + length)
      }
      for (const wake of this.waiters.splice(0)) wake()
    })
  }

  /** WAMP messages the client sent (frame type 0), decoded. */
  get messages(): unknown[][] {
    return this.frames.filter((f) => f.type === 0).map((f) => JSON.parse(f.payload.toString('utf8')) as unknown[])
  }

  async until<T>(find: () => T | undefined, ms = 2000): Promise<T> {
    const deadline = Date.now() + ms
    for (;;) {
      const found = find()
      if (found !== undefined) return found
      if (Date.now() > deadline) throw new Error('the client did not send what was expected in time')
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve)
        setTimeout(resolve, 5)
      })
    }
  }

  nextMessage(type: number): Promise<unknown[]> {
    return this.until(() => this.messages.find((m) => m[0] === type))
  }

  static header(type: number, length: number): Buffer {
    const header = Buffer.alloc(4)
    header[0] = type
    header.writeUIntBE(length, 1, 3)
    return header
  }

  static frame(type: number, payload: Uint8Array): Buffer {
    return Buffer.concat([Peer.header(type, payload.length), payload])
  }

  send(message: unknown[]): void {
    this.socket.write(Peer.frame(0, Buffer.from(JSON.stringify(message), 'utf8')))
  }
}

let server: Server
let port: number
let routerExponent = 15
const accepted: Peer[] = []
let waiting: ((peer: Peer) => void) | undefined

beforeAll(async () => {
  server = createServer((socket) => {
    const peer = new Peer(socket, routerExponent)
    accepted.push(peer)
    waiting?.(peer)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as { port: number }).port
})
afterAll(async () => {
  for (const peer of accepted) peer.socket.destroy()
  await new Promise((resolve) => server.close(resolve))
})

const unhandled = failOnUnhandled()

/** Connects a client with `recvLimit`, answers HELLO with WELCOME; resolves with both ends. */
async function joined(recvLimit?: number): Promise<{ client: Client; peer: Peer }> {
  const peerReady = new Promise<Peer>((resolve) => {
    waiting = resolve
  })
  const joining = connect(`tcp://127.0.0.1:${port}`, {
    realm: 'realm1',
    recvLimit,
    responseTimeout: 2000,
    logger: quietLogger(),
  })
  const peer = await peerReady
  await peer.nextMessage(1)
  peer.send([2, 7, WELCOME_DETAILS])
  return { client: await joining, peer }
}

/** An EVENT for `subscription` whose JSON encoding is exactly `length` bytes. */
function eventOfLength(subscription: number, length: number): Buffer {
  const empty = JSON.stringify([36, subscription, 1, {}, ['']])
  const pad = length - Buffer.byteLength(empty)
  if (pad < 0) throw new Error(`an EVENT cannot be as short as ${length} bytes`)
  return Buffer.from(JSON.stringify([36, subscription, 1, {}, ['x'.repeat(pad)]]), 'utf8')
}

async function subscribed(client: Client, peer: Peer): Promise<Event[]> {
  const events: Event[] = []
  const subscribing = client.subscribe('com.raw.topic', (event) => {
    events.push(event)
  })
  const request = await peer.nextMessage(32)
  peer.send([33, request[1], 100])
  await subscribing
  return events
}

/** Refused cleanly: ABORT protocol_violation reaches the router, the socket closes, what was pending fails typed. */
async function expectRefused(client: Client, peer: Peer, limit: number, pending: Promise<unknown>) {
  const abort = await peer.nextMessage(3)
  expect(abort).toEqual([
    3,
    { message: expect.stringContaining(`receive limit of ${limit}`) },
    'wamp.error.protocol_violation',
  ])
  const info = await client.closed
  expect(info).toMatchObject({ reason: 'wamp.error.protocol_violation', initiator: 'client' })
  expect(await pending).toBeInstanceOf(ProtocolViolationError)
  expect(client.isOpen).toBe(false)
  expect(client.stats).toEqual({ pendingRequests: 0, activeInvocations: 0, subscriptions: 0, registrations: 0 })
  await peer.closed
}

describe('RawSocket receive limit (tiny local TCP router)', () => {
  it('announces its limit in the handshake; a frame of exactly the limit is accepted, one byte more is refused on its header alone', async () => {
    const { client, peer } = await joined(512)
    expect(peer.handshake[0]).toBe(0x7f)
    expect(peer.handshake[1]! >> 4).toBe(0) // 2^(0+9) = 512
    const events = await subscribed(client, peer)
    peer.socket.write(Peer.frame(0, eventOfLength(100, 512)))
    await peer.until(() => (events.length === 1 ? true : undefined))
    expect(events[0]!.args[0]).toHaveLength(512 - JSON.stringify([36, 100, 1, {}, ['']]).length)
    const pending = client.call('com.raw.pending').catch((e: unknown) => e)
    // Only the header of a 513-byte frame: the client must not wait for the payload.
    peer.socket.write(Peer.header(0, 513))
    await expectRefused(client, peer, 512, pending)
    count('oversized frames refused')
    count('frames at the limit accepted')
  })

  it.each([undefined, 0, -1, 2 ** 30])(
    'recvLimit %s announces the default 2^24 (L = 15), the largest a 24-bit length can reach',
    async (recvLimit) => {
      const { client, peer } = await joined(recvLimit)
      expect(peer.handshake[1]! >> 4).toBe(15)
      client.terminate()
    },
  )

  it('an oversized frame during the join refuses the join with ProtocolViolationError (and ABORT)', async () => {
    const peerReady = new Promise<Peer>((resolve) => {
      waiting = resolve
    })
    const joining = connect(`tcp://127.0.0.1:${port}`, {
      realm: 'realm1',
      recvLimit: 1024,
      logger: quietLogger(),
    }).catch((e: unknown) => e)
    const peer = await peerReady
    await peer.nextMessage(1)
    peer.socket.write(Peer.header(0, 2 ** 24 - 1))
    expect(await joining).toBeInstanceOf(ProtocolViolationError)
    expect(await peer.nextMessage(3)).toEqual([
      3,
      { message: expect.stringContaining('receive limit of 1024') },
      'wamp.error.protocol_violation',
    ])
    await peer.closed
    count('oversized frames refused')
  })

  it(
    'property: for any recvLimit, a frame is accepted if and only if its length ≤ the rounded limit',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          // Up to 2^17: a limit of 2^24 (the default) cannot be exceeded by a 24-bit length (tested below).
          fc.oneof(fc.integer({ min: 1, max: 2 ** 17 }), fc.constantFrom(1, 511, 512, 513, 2 ** 16, 2 ** 16 + 1)),
          fc.integer({ min: -40, max: 40 }),
          async (recvLimit, delta) => {
            const limit = roundRecvLimit(recvLimit)
            const length = Math.max(64, limit + delta)
            const { client, peer } = await joined(recvLimit)
            expect(2 ** ((peer.handshake[1]! >> 4) + 9)).toBe(limit)
            const events = await subscribed(client, peer)
            const pending = client.call('com.raw.pending').catch((e: unknown) => e)
            if (length <= limit) {
              peer.socket.write(Peer.frame(0, eventOfLength(100, length)))
              await peer.until(() => (events.length === 1 ? true : undefined))
              expect(client.isOpen).toBe(true)
              count('frames at or under the limit accepted')
              client.terminate()
              await pending
            } else {
              peer.socket.write(Peer.header(0, length))
              await expectRefused(client, peer, limit, pending)
              count('oversized frames refused')
            }
          },
        ),
        fuzzParams(150, 3000, 41),
      )
    },
    scaled(30_000, 600_000),
  )
})

describe('RawSocket framing (tiny local TCP router)', () => {
  const chunk = fc.oneof(
    // A leading U+0000 would make the JSON binary rule read the text as bytes.
    fc.record({
      kind: fc.constant('event' as const),
      text: fc.string({ unit: 'binary', maxLength: 40 }).filter((t) => !t.startsWith('\0')),
    }),
    fc.record({ kind: fc.constant('ping' as const), payload: fc.uint8Array({ maxLength: 32 }) }),
    fc.record({
      kind: fc.constant('reserved' as const),
      type: fc.integer({ min: 2, max: 7 }),
      payload: fc.uint8Array({ maxLength: 16 }),
    }),
  )

  it(
    'property: any split of a stream of EVENTs, PINGs and reserved frame types → every EVENT in order, every PING answered with its payload',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(chunk, { minLength: 1, maxLength: 25 }),
          fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }),
          async (items, cuts) => {
            count('framing streams')
            count('frames in framing streams', items.length)
            const { client, peer } = await joined()
            const events = await subscribed(client, peer)
            const stream = Buffer.concat(
              items.map((item) =>
                item.kind === 'event'
                  ? Peer.frame(0, Buffer.from(JSON.stringify([36, 100, 1, {}, [item.text]]), 'utf8'))
                  : item.kind === 'ping'
                    ? Peer.frame(1, item.payload)
                    : Peer.frame(item.type, item.payload),
              ),
            )
            // Write it in pieces of the given sizes, cycling, each piece its own TCP write.
            let at = 0
            for (let i = 0; at < stream.length; i++) {
              const size = cuts[i % cuts.length]!
              peer.socket.write(stream.subarray(at, at + size))
              at += size
              if (i % 4 === 3) await flush(1)
            }
            const texts = items.filter((i) => i.kind === 'event').map((i) => (i as { text: string }).text)
            const pings = items
              .filter((i) => i.kind === 'ping')
              .map((i) => Buffer.from((i as { payload: Uint8Array }).payload))
            await peer.until(() => (events.length === texts.length ? true : undefined))
            await peer.until(() => (peer.frames.filter((f) => f.type === 2).length === pings.length ? true : undefined))
            expect(events.map((e) => e.args[0])).toEqual(texts)
            expect(peer.frames.filter((f) => f.type === 2).map((f) => Buffer.from(f.payload))).toEqual(pings)
            expect(client.isOpen).toBe(true)
            client.terminate()
          },
        ),
        fuzzParams(200, 5000, 42),
      )
    },
    scaled(30_000, 600_000),
  )

  it(
    'property: random bytes after the handshake never throw out; the session stays open (incomplete or ignored frames) or ends in protocol_violation',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 64 }), async (bytes) => {
          count('random byte streams')
          const { client, peer } = await joined(512)
          const pending = client.call('com.raw.pending').catch((e: unknown) => e)
          peer.socket.write(bytes)
          await Promise.race([client.closed, new Promise((resolve) => setTimeout(resolve, 10))])
          if (client.isOpen) {
            count('random byte streams: still open')
            client.terminate()
            expect(await pending).toBeInstanceOf(WampError)
          } else {
            count('random byte streams: protocol_violation')
            expect((await client.closed).reason).toBe('wamp.error.protocol_violation')
            expect(await pending).toBeInstanceOf(ProtocolViolationError)
            await peer.closed // everything the client wrote has been read by then
            expect(peer.messages.at(-1)).toEqual([3, { message: expect.any(String) }, 'wamp.error.protocol_violation'])
          }
          expect(unhandled.errors).toEqual([])
        }),
        fuzzParams(100, 3000, 43),
      )
    },
    scaled(30_000, 600_000),
  )
})

describe('16 MiB messages in small chunks (issue 17, case 8)', () => {
  /** An EVENT of 2^24 − 1 bytes (the largest a RawSocket header can announce), built once. */
  const bigText = 'y'.repeat(2 ** 24 - 1 - JSON.stringify([36, 100, 1, {}, ['']]).length)
  const bigFrame = Peer.frame(0, Buffer.from(JSON.stringify([36, 100, 1, {}, [bigText]]), 'utf8'))

  it(
    'property: a 16 MiB EVENT, a PING and a small EVENT fed in random small chunks → both EVENTs intact and in order, the PONG sent, each byte copied at most once',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 1024 }),
          fc.integer({ min: 1, max: 64 * 1024 }),
          fc.integer({ min: 1, max: 2 ** 31 - 1 }),
          async (smallest, largest, seed) => {
            count('16 MiB streams')
            const { client, peer } = await joined()
            const events = await subscribed(client, peer)
            const transport = (client as unknown as { transport: { feed(chunk: Buffer): void; input: ByteQueue } })
              .transport
            const stream = Buffer.concat([
              bigFrame,
              Peer.frame(1, Uint8Array.of(1, 2, 3, 4)),
              Peer.frame(0, Buffer.from(JSON.stringify([36, 100, 2, {}, ['after']]), 'utf8')),
            ])
            const copiedBefore = transport.input.copied
            // Chunk sizes in [smallest, max(smallest, largest)] from a small LCG: thousands of chunks.
            let state = seed
            let chunks = 0
            for (let at = 0; at < stream.length; chunks++) {
              state = (state * 48271) % 2147483647
              const size = smallest + (state % Math.max(1, largest - smallest + 1))
              transport.feed(stream.subarray(at, at + size))
              at += size
            }
            count('16 MiB stream chunks', chunks)
            expect(events.map((e) => (e.args[0] as string).length)).toEqual([bigText.length, 5])
            expect(events[0]!.args[0] === bigText).toBe(true)
            expect(events[1]!.args).toEqual(['after'])
            expect(transport.input.copied - copiedBefore).toBeLessThanOrEqual(stream.length)
            await peer.until(() => (peer.frames.some((f) => f.type === 2) ? true : undefined))
            expect(client.isOpen).toBe(true)
            client.terminate()
          },
        ),
        fuzzParams(3, 10, 44),
      )
    },
    scaled(30_000, 120_000),
  )
})

describe('RawSocket send limit', () => {
  it('a message over the limit the router announced is refused locally with a SerializationError; the session lives on', async () => {
    routerExponent = 2 // the router accepts 2048 bytes
    try {
      const { client, peer } = await joined()
      const error = await client.publish('com.raw.big', ['x'.repeat(3000)]).catch((e: unknown) => e)
      expect(error).toMatchObject({ name: 'SerializationError', message: expect.stringContaining('limit of 2048') })
      expect(client.isOpen).toBe(true)
      await client.publish('com.raw.small', ['ok'])
      expect((await peer.nextMessage(16))[3]).toBe('com.raw.small')
      client.terminate()
    } finally {
      routerExponent = 15
    }
  })
})
