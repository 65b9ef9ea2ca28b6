/**
 * The fuzzed session: how it is set up (frames.ts STATE), fed, and judged against the oracle.
 * Two wires carry the frames: the scripted FakeRouter (decoded values, no serializer), and a fake
 * WebSocket under the real WebSocket transport and serializers (text or bytes on the wire).
 */
import { expect } from 'vitest'
import { createClient } from '../../src/client/connect.js'
import {
  type Client,
  type Event,
  ProtocolViolationError,
  SessionClosedError,
  WampError,
  type WebSocketLike,
} from '../../src/client/index.js'
import { loadSerializer, type SerializationName, type Serializer } from '../../src/serializers/index.js'
import { openWebSocket } from '../../src/transports/websocket.js'
import { flush } from '../reliability/support.js'
import { FakeRouter, quietLogger, WELCOME_DETAILS } from '../support/fake-router.js'
import { type Expected, STATE } from './frames.js'

const ABORT = 3
const GOODBYE = 6

/** Where frames come from and what the client sent, decoded. */
export interface Wire {
  /** Delivers one frame: a decoded value (FakeRouter) or wire data (string or bytes). */
  deliver(frame: unknown): void
  /** Delivers a message as a well-behaved router would encode it. */
  deliverMessage(...message: unknown[]): void
  readonly sent: unknown[][]
  readonly isClosed: boolean
}

export type Settled = { value: unknown } | { error: unknown } | undefined

/** How the requests left pending by openSession settled. */
export interface Outcomes {
  call: Settled
  subscribe: Settled
  register: Settled
}

export interface Session {
  client: Client
  wire: Wire
  events: Event[]
  outcomes: Outcomes
}

/** A client joined over the scripted FakeRouter; `debug` logs every frame (to a capturing logger). */
export async function fakeRouterWire(debug = false): Promise<{ client: Client; wire: Wire }> {
  const router = new FakeRouter()
  const joining = createClient(router, { realm: 'realm1', logger: quietLogger(), debug })
  await router.nextSent(1)
  router.deliver(2, 4242, WELCOME_DETAILS)
  const client = await joining
  const wire: Wire = {
    deliver: (frame) => router.deliverRaw(frame),
    deliverMessage: (...message) => router.deliver(...message),
    sent: router.sent,
    get isClosed() {
      return router.isClosed
    },
  }
  return { client, wire }
}

/** A WebSocket that never touches the network: the test plays the router's side. */
export class FakeSocket implements WebSocketLike {
  binaryType = 'blob'
  readyState = 0
  onopen: ((event: unknown) => void) | null = null
  onclose: ((event: { code: number; reason: string }) => void) | null = null
  onerror: ((event: { message?: string; error?: unknown }) => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  readonly data: (string | Uint8Array)[] = []

  constructor(readonly protocol: string) {
    queueMicrotask(() => {
      this.readyState = 1
      this.onopen?.({})
    })
  }

  send(data: string | Uint8Array): void {
    if (this.readyState !== 1) throw new Error('not open')
    this.data.push(data)
  }

  close(code = 1005, reason = ''): void {
    if (this.readyState >= 2) return
    this.readyState = 3
    queueMicrotask(() => this.onclose?.({ code, reason }))
  }

  /** A frame from the router: text as a string, binary as an ArrayBuffer (binaryType 'arraybuffer'). */
  receive(data: string | Uint8Array): void {
    const payload = typeof data === 'string' ? data : data.slice().buffer
    this.onmessage?.({ data: payload })
  }
}

/** A client joined over the real WebSocket transport and serializer, on a FakeSocket. */
export async function fakeSocketWire(
  serialization: SerializationName,
  debug = false,
): Promise<{ client: Client; wire: Wire; serializer: Serializer }> {
  const serializer = await loadSerializer(serialization)
  let socket: FakeSocket | undefined
  const transport = await openWebSocket('ws://fuzz.invalid/ws', {
    serializer,
    openTimeout: 1000,
    createWebSocket: (_url, protocols) => {
      socket = new FakeSocket(protocols[0]!)
      return socket
    },
  })
  const s = socket!
  const joining = createClient(transport, { realm: 'realm1', logger: quietLogger(), debug })
  while (s.data.length === 0) await flush(1)
  s.receive(serializer.encode([2, 4242, WELCOME_DETAILS]))
  const client = await joining
  const decoded: unknown[][] = []
  const wire: Wire = {
    deliver: (frame) => s.receive(frame as string | Uint8Array),
    deliverMessage: (...message) => s.receive(serializer.encode(message)),
    get sent() {
      // Decoded lazily, in order, with the library's own decoder.
      while (decoded.length < s.data.length) decoded.push(serializer.decode(s.data[decoded.length]!) as unknown[])
      return decoded
    },
    get isClosed() {
      return s.readyState >= 2
    },
  }
  return { client, wire, serializer }
}

/** Brings a joined client into frames.ts STATE. */
export async function openSession(joined: { client: Client; wire: Wire }): Promise<Session> {
  const { client, wire } = joined
  const events: Event[] = []
  const outcomes: Outcomes = { call: undefined, subscribe: undefined, register: undefined }
  const record = (slot: keyof Outcomes) =>
    [
      (value: unknown) => {
        outcomes[slot] = { value }
      },
      (error: unknown) => {
        outcomes[slot] = { error }
      },
    ] as const
  void client.call('com.fuzz.call', ['x']).then(...record('call'))
  const subscribing = client.subscribe('com.fuzz.topic', (event) => {
    events.push(event)
  })
  wire.deliverMessage(33, 2, STATE.subscription)
  await subscribing
  const registering = client.register('com.fuzz.proc', () => ({ args: ['ok'] }))
  await sentRequest(wire, 64, 3) // register() loads the callee part first
  wire.deliverMessage(65, 3, STATE.registration)
  await registering
  void client.subscribe('com.fuzz.pending', () => {}).then(...record('subscribe'))
  void client.register('com.fuzz.pending', () => {}).then(...record('register'))
  await sentRequest(wire, 64, 5)
  expect(wire.sent.slice(1).map((m) => [m[0], m[1]])).toEqual([
    [48, 1],
    [32, 2],
    [64, 3],
    [32, 4],
    [64, 5],
  ])
  expect(client.stats).toEqual({ pendingRequests: 3, activeInvocations: 0, subscriptions: 1, registrations: 1 })
  return { client, wire, events, outcomes }
}

/** Waits (at most 2 s) until the client has sent the request of this type and ID. */
export async function sentRequest(wire: Wire, type: number, id: number): Promise<void> {
  const deadline = Date.now() + 2000
  while (!wire.sent.some((m) => m[0] === type && m[1] === id)) {
    if (Date.now() > deadline) throw new Error(`the client never sent request ${id} of type ${type}`)
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
}

/** A closed session holds nothing: every request settled with a typed error, every table empty. */
export function expectEmpty(client: Client, outcomes: Outcomes, errorType: typeof WampError): void {
  expect(client.isOpen).toBe(false)
  expect(client.stats).toEqual({ pendingRequests: 0, activeInvocations: 0, subscriptions: 0, registrations: 0 })
  for (const outcome of Object.values(outcomes)) {
    expect(outcome && 'error' in outcome).toBe(true)
    expect((outcome as { error: unknown }).error).toBeInstanceOf(errorType)
  }
}

/**
 * Feeds one frame to a session in STATE and checks that the client did what `expected` says;
 * `message` is the frame as decoded (what the oracle judged). Ends the session afterwards.
 */
export async function feedAndJudge(
  session: Session,
  frame: unknown,
  message: unknown,
  expected: Expected,
): Promise<void> {
  const { client, wire, events, outcomes } = session
  const mark = wire.sent.length
  expect(() => wire.deliver(frame)).not.toThrow()
  await flush()
  const out = wire.sent.slice(mark)
  const closed = client.isOpen ? undefined : await client.closed
  const fields = message as unknown[]
  switch (expected.kind) {
    case 'violation':
      expect(out).toEqual([[ABORT, { message: expect.any(String) }, 'wamp.error.protocol_violation']])
      expect(wire.isClosed).toBe(true)
      expect(closed).toMatchObject({ reason: 'wamp.error.protocol_violation', initiator: 'client' })
      expectEmpty(client, outcomes, ProtocolViolationError)
      break
    case 'goodbye':
      expect(out).toEqual([[GOODBYE, {}, 'wamp.close.goodbye_and_out']])
      expect(closed).toMatchObject({ reason: fields[2], initiator: 'router' })
      expectEmpty(client, outcomes, SessionClosedError)
      break
    case 'abort':
      expect(out).toEqual([])
      expect(closed).toMatchObject({ reason: fields[2], initiator: 'router' })
      expectEmpty(client, outcomes, SessionClosedError)
      break
    case 'open':
      expect(client.isOpen).toBe(true)
      expect(wire.isClosed).toBe(false)
      if (expected.reply === 'yield') expect(out).toEqual([[70, fields[1], {}, ['ok']]])
      else if (expected.reply === 'no_such_registration') {
        expect(out).toEqual([[8, 68, fields[1], {}, 'wamp.error.no_such_registration', [expect.any(String)]]])
      } else expect(out).toEqual([])
      expect(events).toHaveLength(expected.event ? 1 : 0)
      if (expected.event) expect(events[0]!.args).toEqual(fields[4] ?? [])
      for (const outcome of Object.values(outcomes)) {
        if (outcome && 'error' in outcome) expect(outcome.error).toBeInstanceOf(WampError)
      }
      client.terminate()
      break
  }
}
