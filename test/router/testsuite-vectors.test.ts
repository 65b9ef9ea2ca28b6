import { encode as encodeMsgpack } from '@msgpack/msgpack'
import cbor from 'cbor'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { type Client, connect, type Event } from '../../src/client/index.js'
import { listenWebSocket, type WebSocketListener } from '../../src/router/index.js'
import { fromHex, withBytes } from '../serializers/vectors.js'
import { decodeFrame, type Wire } from '../support/scripted-router.js'
import { testsuite, type VectorFrame, wanted } from '../support/testsuite-vectors.js'
import { allRoles, quietClient, testRouter } from './support.js'

// Issue 16: the client→router samples of the WAMP spec's test vectors (testsuite.json), sent as
// exact frames by a raw WebSocket peer to our router; and the validation samples the vectors call
// valid or protocol violations.

const listeners: WebSocketListener[] = []
const clients: Client[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) if (client.isOpen) await client.close()
  for (const listener of listeners.splice(0)) await listener.close()
})

async function serve() {
  const router = testRouter({ realm1: {}, 'com.example.realm': {} })
  const listener = await listenWebSocket(router)
  listeners.push(listener)
  return listener
}

/** A raw peer that sends exact frames and reads the router's answers with independent decoders. */
async function rawPeer(url: string, wire: Wire) {
  const socket = new WebSocket(url, [`wamp.2.${wire}`])
  const received: unknown[][] = []
  socket.on('message', (data, binary) =>
    received.push(decodeFrame(binary ? new Uint8Array(data as Buffer) : (data as Buffer).toString(), wire)),
  )
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  const peer = {
    received,
    /** Sends a vector's encoding as is: JSON text, or MsgPack or CBOR bytes given as hex. */
    sendFrame: (frame: string) => socket.send(wire === 'json' ? frame : fromHex(frame), { binary: wire !== 'json' }),
    /** Sends a message encoded here (JSON with the binary rule, @msgpack/msgpack, or the `cbor` package). */
    send: (message: unknown[]) => socket.send(encodeHere(wire, message), { binary: wire !== 'json' }),
    async next(type?: number, timeout = 1000): Promise<unknown[]> {
      const end = Date.now() + timeout
      for (;;) {
        const index = received.findIndex((m) => type === undefined || m[0] === type)
        if (index >= 0) return received.splice(index, 1)[0]!
        if (Date.now() > end) throw new Error(`no message${type ? ` of type ${type}` : ''} within ${timeout} ms`)
        await new Promise((resolve) => setTimeout(resolve, 2))
      }
    },
    close: () => socket.terminate(),
  }
  return peer
}

function encodeHere(wire: Wire, message: unknown[]): string | Uint8Array {
  if (wire === 'json') return JSON.stringify(message, jsonBytes)
  return wire === 'cbor' ? new Uint8Array(cbor.encode(message)) : encodeMsgpack(message)
}

function jsonBytes(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? `\0${Buffer.from(value).toString('base64')}` : value
}

async function joined(url: string, wire: Wire) {
  const peer = await rawPeer(url, wire)
  peer.send([1, 'realm1', { roles: allRoles }])
  await peer.next(2)
  return peer
}

async function client(url: string, wire: Wire): Promise<Client> {
  const c = await connect(url, { realm: 'realm1', serialization: wire, logger: quietClient })
  clients.push(c)
  return c
}

const frames = (type: number) => testsuite.frames.filter((frame) => frame.type === type)
const cases = (wire: Wire, type: number) =>
  frames(type).flatMap((frame) =>
    frame[wire].map((encoded, variant) => ({
      label: `${frame.file}#${frame.sample} ${frame.name} (${wire} ${variant})`,
      frame,
      encoded,
    })),
  )
/** The attributes of a client→router vector. */
interface Sent {
  request_id: number
  options: Record<string, unknown>
  topic: string
  procedure: string
  args: unknown[] | null
  kwargs: Record<string, unknown> | null
  payload?: Uint8Array
}
const expect$ = (frame: VectorFrame) => wanted(frame) as unknown as Sent

describe.each(['json', 'msgpack', 'cbor'] as const)('spec vectors sent to our router over %s', (wire) => {
  it.each(cases(wire, 1))('$label: WELCOME', async ({ frame, encoded }) => {
    const peer = await rawPeer((await serve()).url, wire)
    peer.sendFrame(encoded)
    const welcome = await peer.next()
    expect(welcome[0]).toBe(2)
    expect(frame.expected.realm).toBe('com.example.realm')
    peer.close()
  })

  it.each(cases(wire, 32))('$label: SUBSCRIBED', async ({ frame, encoded }) => {
    const peer = await joined((await serve()).url, wire)
    peer.sendFrame(encoded)
    const [type, request] = await peer.next()
    expect([type, request]).toEqual([33, frame.expected.request_id])
    peer.close()
  })

  it.each(cases(wire, 16))('$label: relayed to a subscriber', async ({ frame, encoded }) => {
    const { url } = await serve()
    const expected = expect$(frame)
    const subscriber = await client(url, wire)
    const events: Event[] = []
    await subscriber.subscribe(expected.topic, (event) => events.push(event))
    const peer = await joined(url, wire)
    peer.sendFrame(encoded)
    if (expected.options.acknowledge) {
      expect((await peer.next()).slice(0, 2)).toEqual([17, expected.request_id])
    }
    for (let i = 0; i < 200 && events.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5))
    expect(events).toHaveLength(1)
    const [event] = events as [Event]
    expect(event.args).toEqual(expected.args ?? [])
    expect(event.kwargs).toEqual(expected.kwargs ?? {})
    expect(event.payload).toEqual(expected.payload)
    // A transparent payload arrives with what describes it.
    for (const field of ['enc_algo', 'enc_serializer']) {
      expect(event.details[field]).toBe(expected.options[field])
    }
    peer.close()
  })

  it.each(cases(wire, 48))('$label: RESULT from a callee', async ({ frame, encoded }) => {
    const { url } = await serve()
    const expected = expect$(frame)
    const callee = await client(url, wire)
    await callee.register(expected.procedure, ({ args }) => ({ args: [...args].reverse() }))
    const peer = await joined(url, wire)
    peer.sendFrame(encoded)
    expect(await peer.next()).toEqual([50, expected.request_id, {}, [...(expected.args ?? [])].reverse()])
    peer.close()
  })

  it.each(cases(wire, 49))('$label: the call ends with wamp.error.canceled', async ({ frame, encoded }) => {
    const { url } = await serve()
    const callee = await client(url, wire)
    await callee.register(
      'com.myapp.slow',
      ({ signal }) => new Promise((_r, reject) => signal.addEventListener('abort', reject)),
    )
    const peer = await joined(url, wire)
    peer.send([48, frame.expected.request_id, {}, 'com.myapp.slow'])
    await new Promise((resolve) => setTimeout(resolve, 20))
    peer.sendFrame(encoded)
    expect(await peer.next()).toEqual([8, 48, frame.expected.request_id, {}, 'wamp.error.canceled'])
    peer.close()
  })

  it.each(cases(wire, 64))('$label: REGISTERED', async ({ frame, encoded }) => {
    const peer = await joined((await serve()).url, wire)
    peer.sendFrame(encoded)
    const [type, request] = await peer.next()
    expect([type, request]).toEqual([65, frame.expected.request_id])
    peer.close()
  })

  // The vectors' IDs name nothing on our router: the answer is the spec's error for an unknown one.
  it.each([...cases(wire, 34), ...cases(wire, 66)])('$label: unknown ID refused', async ({ frame, encoded }) => {
    const peer = await joined((await serve()).url, wire)
    peer.sendFrame(encoded)
    const unknown = frame.type === 34 ? 'wamp.error.no_such_subscription' : 'wamp.error.no_such_registration'
    expect((await peer.next()).slice(0, 5)).toEqual([8, frame.type, frame.expected.request_id, {}, unknown])
    peer.close()
  })

  it.each(cases(wire, 6))('$label: answered with goodbye_and_out', async ({ encoded }) => {
    const peer = await joined((await serve()).url, wire)
    peer.sendFrame(encoded)
    expect(await peer.next()).toEqual([6, {}, 'wamp.close.goodbye_and_out'])
    peer.close()
  })
  // Our broker does not announce x_acknowledged_event_delivery, so a peer must not send EVENT_RECEIVED;
  // Crossbar.io (whose extension it is) answers it with a protocol violation too.
  it.each(cases(wire, 337))('$label: a protocol violation, as our broker does not offer it', async ({ encoded }) => {
    const peer = await joined((await serve()).url, wire)
    peer.sendFrame(encoded)
    const abort = await peer.next(3)
    expect(abort[2]).toBe('wamp.error.protocol_violation')
    peer.close()
  })
})

describe.each(['json', 'msgpack', 'cbor'] as const)('spec validation samples sent to our router over %s', (wire) => {
  const routed = testsuite.validation.filter((sample) => sample.message[0] !== 36)
  it.each(routed)('$file#$sample $name', async (sample) => {
    const peer = await joined((await serve()).url, wire)
    peer.send(withBytes(sample.message) as unknown[])
    // A SUBSCRIBE after it shows the session is still open (or not).
    peer.send([32, 999, {}, 'com.example.after'])
    const answer = await peer.next()
    if (sample.violation === null) {
      expect(answer[0]).not.toBe(3)
    } else {
      expect(answer[0]).toBe(3)
      expect(answer[2]).toBe('wamp.error.protocol_violation')
      expect((answer[1] as { message: string }).message).toContain(sample.violation)
    }
    peer.close()
  })
})

describe('spec multi-session sequences on our router', () => {
  it.each(testsuite.sequences)('$name', async (sequence) => {
    const peer = await joined((await serve()).url, 'json')
    const ids = new Map<string, unknown>()
    for (const { from, message } of sequence.steps) {
      const m = message as Record<string, unknown>
      if (from !== 'router') {
        if (m.type === 'SUBSCRIBE') peer.send([32, m.request_id, m.options, m.topic])
        else if (m.type === 'PUBLISH') peer.send([16, m.request_id, m.options, m.topic, m.args])
        else throw new Error(`unsupported step ${String(m.type)}`)
        continue
      }
      const got = await peer.next()
      if (m.type === 'SUBSCRIBED') {
        expect(got.slice(0, 2)).toEqual([33, m.request_id])
        ids.set('subscription', got[2])
      } else if (m.type === 'EVENT') {
        // IDs are the router's to choose; the subscription must be the one it gave.
        expect(got[0]).toBe(36)
        expect(got[1]).toBe(ids.get('subscription'))
        expect(got[3]).toEqual(m.details)
        expect(got[4]).toEqual(m.args)
      } else throw new Error(`unsupported step ${String(m.type)}`)
    }
    expect(sequence.steps.filter((s) => s.message.type === 'EVENT')).toHaveLength(1)
    peer.close()
  })
})
