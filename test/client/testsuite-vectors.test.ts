import { encode as encodeMsgpack } from '@msgpack/msgpack'
import cbor from 'cbor'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ticket } from '../../src/auth/ticket.js'
import {
  type Client,
  type ClientConfig,
  connect,
  type Event,
  type Invocation,
  RouterAbortError,
  RPCError,
} from '../../src/client/index.js'
import { quietLogger, WELCOME_DETAILS } from '../support/fake-router.js'
import { decodeFrame, type ScriptedRouter, startScriptedRouter, type Wire } from '../support/scripted-router.js'
import { attributesOf, testsuite, type VectorFrame, wanted } from '../support/testsuite-vectors.js'

// Issue 16: every single-message sample of the WAMP spec's test vectors (testsuite.json, derived by
// derive-testsuite.py), end to end through the public client over a real WebSocket: a scripted
// router sends the exact vector frames, and what the client sends is read back from the wire.
// Issue 22: the CBOR samples too, read back with the `cbor` package.

let router: ScriptedRouter
beforeAll(async () => {
  router = await startScriptedRouter()
})
afterAll(() => router.close())

/** A message as the scripted router writes it (independent encoders), for frames that are not vectors. */
function frameOf(wire: Wire, message: unknown[]): string {
  if (wire === 'json') return JSON.stringify(message)
  return Buffer.from(wire === 'cbor' ? cbor.encode(message) : encodeMsgpack(message)).toString('hex')
}

/** Makes the client's next request ID the vector's (request IDs are otherwise 1, 2, 3, …). */
function nextRequestIs(client: Client, id: number): void {
  ;(client as unknown as { ids: { last: number } }).ids.last = id - 1
}

async function join(wire: Wire, config: Partial<ClientConfig> = {}, welcome?: string): Promise<Client> {
  router.reset()
  const joining = connect(router.url, {
    realm: 'realm1',
    serialization: wire,
    logger: quietLogger(),
    responseTimeout: 2000,
    ...config,
  })
  await router.next(1)
  router.send(wire, welcome ?? frameOf(wire, [2, 4242, WELCOME_DETAILS]))
  return joining
}

/** What the client sent last of this type, checked against the vector. */
async function expectSent(frame: VectorFrame, after = 0): Promise<unknown[]> {
  const message = await router.next(frame.type, after)
  expect(attributesOf(message)).toEqual(wanted(frame))
  return message
}

async function done(client: Client): Promise<void> {
  if (client.isOpen) {
    const closing = client.close()
    router.send(wireOf(client), frameOf(wireOf(client), [6, {}, 'wamp.close.goodbye_and_out']))
    await closing
  }
}

const wires = new WeakMap<Client, Wire>()
const wireOf = (client: Client): Wire => wires.get(client) ?? 'json'

type Scenario = (wire: Wire, frame: VectorFrame, encoded: string) => Promise<void>

const string = (frame: VectorFrame, key: string) => frame.expected[key] as string
const id = (frame: VectorFrame, key: string) => frame.expected[key] as number

/** Drives the client so that it receives (router→client) or sends (client→router) the vector's message. */
const scenarios: Record<number, Scenario> = {
  // HELLO: the roles are the user's when given.
  1: async (wire, frame) => {
    router.reset()
    const joining = connect(router.url, {
      realm: string(frame, 'realm'),
      serialization: wire,
      logger: quietLogger(),
      helloDetails: { roles: frame.expected.roles as Record<string, unknown> },
    })
    await expectSent(frame)
    router.send(wire, frameOf(wire, [2, 4242, WELCOME_DETAILS]))
    await done(await joining)
  },
  2: async (wire, frame, encoded) => {
    const client = await join(wire, {}, encoded)
    wires.set(client, wire)
    expect(client.id).toBe(id(frame, 'session_id'))
    expect(client.realmDetails.roles).toEqual(frame.expected.roles)
    await done(client)
  },
  3: async (wire, frame, encoded) => {
    router.reset()
    const joining = connect(router.url, { realm: 'realm1', serialization: wire, logger: quietLogger() })
    await router.next(1)
    router.send(wire, encoded)
    const error = await joining.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(RouterAbortError)
    expect((error as RouterAbortError).reason).toBe(frame.expected.reason)
    expect((error as RouterAbortError).details).toEqual(frame.expected.details)
  },
  // CHALLENGE for a method the client has no handler for: read, and answered with an empty AUTHENTICATE.
  4: async (wire, _frame, encoded) => {
    router.reset()
    const joining = connect(router.url, {
      realm: 'realm1',
      serialization: wire,
      logger: quietLogger(),
      auth: [ticket('t')],
    })
    await router.next(1)
    router.send(wire, encoded)
    const authenticate = await router.next(5)
    expect(authenticate[2]).toEqual({})
    router.send(wire, frameOf(wire, [2, 4242, WELCOME_DETAILS]))
    const client = await joining
    wires.set(client, wire)
    await done(client)
  },
  5: async (wire, frame) => {
    router.reset()
    const joining = connect(router.url, {
      realm: 'realm1',
      serialization: wire,
      logger: quietLogger(),
      auth: [ticket(string(frame, 'signature'))],
    })
    await router.next(1)
    router.send(wire, frameOf(wire, [4, 'ticket', {}]))
    await expectSent(frame)
    router.send(wire, frameOf(wire, [2, 4242, WELCOME_DETAILS]))
    const client = await joining
    wires.set(client, wire)
    await done(client)
  },
  // GOODBYE from the router: the session ends with its reason and the client answers goodbye_and_out.
  6: async (wire, frame, encoded) => {
    const client = await join(wire)
    const start = router.frames.length
    router.send(wire, encoded)
    const info = await client.closed
    expect(info.reason).toBe(frame.expected.reason)
    expect(info.details).toEqual(frame.expected.details)
    expect((await router.next(6, start))[2]).toBe('wamp.close.goodbye_and_out')
  },
  8: async (wire, frame, encoded) => {
    const client = await join(wire)
    wires.set(client, wire)
    nextRequestIs(client, id(frame, 'request_id'))
    const calling = client.call('com.myapp.proc').catch((e: unknown) => e)
    await router.next(48)
    router.send(wire, encoded)
    const error = (await calling) as RPCError
    expect(error).toBeInstanceOf(RPCError)
    expect(error.uri).toBe(frame.expected.error)
    expect(error.details).toEqual(frame.expected.details)
    expect([error.args, error.kwargs]).toEqual([[], {}])
    await done(client)
  },
  16: async (wire, frame) => {
    const client = await join(wire)
    wires.set(client, wire)
    nextRequestIs(client, id(frame, 'request_id'))
    const expected = wanted(frame)
    const payload = expected.payload as Uint8Array | undefined
    const options = frame.expected.options as Record<string, unknown>
    const publishing = client.publish(
      string(frame, 'topic'),
      payload ?? (expected.args as unknown[] | null) ?? undefined,
      (expected.kwargs as Record<string, unknown> | null) ?? undefined,
      options,
    )
    const sent = await expectSent(frame)
    if (options.acknowledge === true) router.send(wire, frameOf(wire, [17, sent[1], 1]))
    await publishing
    await done(client)
  },
  17: async (wire, frame, encoded) => {
    const client = await join(wire)
    wires.set(client, wire)
    nextRequestIs(client, id(frame, 'request_id'))
    const publishing = client.publish('com.myapp.topic', [], {}, { acknowledge: true })
    await router.next(16)
    router.send(wire, encoded)
    expect(await publishing).toBe(frame.expected.publication_id)
    await done(client)
  },
  32: async (wire, frame) => {
    const client = await join(wire)
    wires.set(client, wire)
    nextRequestIs(client, id(frame, 'request_id'))
    const subscribing = client.subscribe(
      string(frame, 'topic'),
      () => {},
      frame.expected.options as Record<string, never>,
    )
    await expectSent(frame)
    router.send(wire, frameOf(wire, [33, frame.expected.request_id, 1]))
    await subscribing
    await done(client)
  },
  33: async (wire, frame, encoded) => {
    const client = await join(wire)
    wires.set(client, wire)
    nextRequestIs(client, id(frame, 'request_id'))
    const subscribing = client.subscribe('com.myapp.topic', () => {})
    await router.next(32)
    router.send(wire, encoded)
    await subscribing
    expect(client.subscriptionId('com.myapp.topic')).toBe(frame.expected.subscription_id)
    await done(client)
  },
  // UNSUBSCRIBE and UNSUBSCRIBED: a subscription under the vector's ID, then unsubscribed under its request ID.
  34: (wire, frame) => unsubscribe(wire, frame, id(frame, 'subscription_id'), id(frame, 'request_id')),
  35: (wire, frame, encoded) => unsubscribe(wire, frame, 5512315355, id(frame, 'request_id'), encoded),
  36: async (wire, frame, encoded) => {
    const client = await join(wire)
    wires.set(client, wire)
    const events: Event[] = []
    const subscribing = client.subscribe('com.myapp.topic', (event) => events.push(event))
    const subscribe = await router.next(32)
    router.send(wire, frameOf(wire, [33, subscribe[1], frame.expected.subscription]))
    await subscribing
    router.send(wire, encoded)
    await until(() => events.length === 1)
    const [event] = events as [Event]
    const expected = wanted(frame)
    expect(event.publication).toBe(expected.publication)
    expect(event.details).toEqual(expected.details)
    expect(event.args).toEqual(expected.args ?? [])
    expect(event.kwargs).toEqual(expected.kwargs ?? {})
    expect(event.payload).toEqual(expected.payload)
    await done(client)
  },
  // EVENT_RECEIVED: the client acknowledges an EVENT that asks for it, to a broker that announced the feature.
  337: async (wire, frame) => {
    const publication = id(frame, 'publication_id')
    const welcome = {
      ...WELCOME_DETAILS,
      roles: { ...WELCOME_DETAILS.roles, broker: { features: { x_acknowledged_event_delivery: true } } },
    }
    const client = await join(wire, {}, frameOf(wire, [2, 4242, welcome]))
    wires.set(client, wire)
    const subscribing = client.subscribe('com.myapp.topic', () => undefined)
    const subscribe = await router.next(32)
    router.send(wire, frameOf(wire, [33, subscribe[1], 77]))
    await subscribing
    router.send(wire, frameOf(wire, [36, 77, publication, { x_acknowledged_delivery: true }, ['hi']]))
    await expectSent(frame)
    await done(client)
  },
  48: async (wire, frame) => {
    const client = await join(wire)
    wires.set(client, wire)
    nextRequestIs(client, id(frame, 'request_id'))
    const expected = wanted(frame)
    const calling = client.call(string(frame, 'procedure'), expected.args as unknown[])
    await expectSent(frame)
    router.send(wire, frameOf(wire, [50, expected.request_id, {}]))
    await calling
    await done(client)
  },
  // CANCEL: the client names the mode it means; the vector's empty Options mean the default, killnowait.
  49: async (wire, frame) => {
    const client = await join(wire)
    wires.set(client, wire)
    nextRequestIs(client, id(frame, 'request_id'))
    const abort = new AbortController()
    const calling = client.call('com.myapp.proc', [], {}, { signal: abort.signal }).catch(() => {})
    await router.next(48)
    abort.abort()
    const cancel = await router.next(49)
    expect(attributesOf(cancel)).toEqual({ ...wanted(frame), options: { mode: 'killnowait' } })
    await calling
    await done(client)
  },
  50: async (wire, frame, encoded) => {
    const client = await join(wire)
    wires.set(client, wire)
    nextRequestIs(client, id(frame, 'request_id'))
    const calling = client.call('com.myapp.proc')
    await router.next(48)
    router.send(wire, encoded)
    const result = await calling
    expect(result.details).toEqual(frame.expected.details)
    expect(result.args).toEqual(frame.expected.args)
    expect(result.kwargs).toEqual({})
    await done(client)
  },
  64: async (wire, frame) => {
    const client = await join(wire)
    wires.set(client, wire)
    nextRequestIs(client, id(frame, 'request_id'))
    const registering = client.register(string(frame, 'procedure'), () => {})
    await expectSent(frame)
    router.send(wire, frameOf(wire, [65, frame.expected.request_id, 1]))
    await registering
    await done(client)
  },
  65: async (wire, frame, encoded) => {
    const client = await join(wire)
    wires.set(client, wire)
    nextRequestIs(client, id(frame, 'request_id'))
    const registering = client.register('com.myapp.proc', () => {})
    await router.next(64)
    router.send(wire, encoded)
    await registering
    expect(client.registrationId('com.myapp.proc')).toBe(frame.expected.registration_id)
    await done(client)
  },
  66: (wire, frame) => unregister(wire, frame, id(frame, 'registration_id'), id(frame, 'request_id')),
  67: (wire, frame, encoded) => unregister(wire, frame, 2103333224, id(frame, 'request_id'), encoded),
  // INVOCATION: the handler gets it and its empty result goes back as the YIELD vector's message.
  68: async (wire, frame, encoded) => {
    const invocations: Invocation[] = []
    const client = await registered(wire, id(frame, 'registration_id'), (inv) => {
      invocations.push(inv)
    })
    router.send(wire, encoded)
    const yielded = await router.next(70)
    expect(yielded).toEqual([70, frame.expected.request_id, {}])
    expect(invocations.map((i) => [i.args, i.kwargs, i.details])).toEqual([[[], {}, frame.expected.details]])
    await done(client)
  },
  // INTERRUPT: the handler's signal aborts and the caller is told wamp.error.canceled.
  69: async (wire, frame, encoded) => {
    let signal: AbortSignal | undefined
    const client = await registered(wire, 9823526, (inv) => {
      signal = inv.signal
      return new Promise((_resolve, reject) => inv.signal.addEventListener('abort', () => reject(inv.signal.reason)))
    })
    router.send(wire, frameOf(wire, [68, frame.expected.request_id, 9823526, {}]))
    await until(() => signal !== undefined)
    router.send(wire, encoded)
    const error = await router.next(8)
    expect(signal?.aborted).toBe(true)
    expect(error).toEqual([8, 68, frame.expected.request_id, {}, 'wamp.error.canceled'])
    await done(client)
  },
  // YIELD: an empty result for the INVOCATION of the vector's request.
  70: async (wire, frame) => {
    const client = await registered(wire, 9823526, () => {})
    router.send(wire, frameOf(wire, [68, frame.expected.request_id, 9823526, {}]))
    await expectSent(frame)
    await done(client)
  },
}

async function unsubscribe(wire: Wire, frame: VectorFrame, subscription: number, request: number, reply?: string) {
  const client = await join(wire)
  wires.set(client, wire)
  const subscribing = client.subscribe('com.myapp.topic', () => {})
  const subscribe = await router.next(32)
  router.send(wire, frameOf(wire, [33, subscribe[1], subscription]))
  const sub = await subscribing
  nextRequestIs(client, request)
  const leaving = sub.unsubscribe()
  const sent = await router.next(34)
  if (frame.type === 34) expect(attributesOf(sent)).toEqual(wanted(frame))
  else expect(sent).toEqual([34, request, subscription])
  router.send(wire, reply ?? frameOf(wire, [35, request]))
  await leaving
  expect(client.subscriptionId('com.myapp.topic')).toBeUndefined()
  await done(client)
}

async function unregister(wire: Wire, frame: VectorFrame, registration: number, request: number, reply?: string) {
  const client = await registered(wire, registration, () => {})
  nextRequestIs(client, request)
  const leaving = client.unregister('com.myapp.proc')
  const sent = await router.next(66)
  if (frame.type === 66) expect(attributesOf(sent)).toEqual(wanted(frame))
  else expect(sent).toEqual([66, request, registration])
  router.send(wire, reply ?? frameOf(wire, [67, request]))
  await leaving
  expect(client.registrationId('com.myapp.proc')).toBeUndefined()
  await done(client)
}

async function registered(wire: Wire, registration: number, handler: (inv: Invocation) => unknown): Promise<Client> {
  const client = await join(wire)
  wires.set(client, wire)
  const registering = client.register('com.myapp.proc', handler as () => undefined)
  const register = await router.next(64)
  router.send(wire, frameOf(wire, [65, register[1], registration]))
  await registering
  return client
}

async function until(condition: () => boolean, timeout = 2000): Promise<void> {
  const end = Date.now() + timeout
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

const runnable = testsuite.frames.filter((frame) => frame.type in scenarios)

const cases = (wire: Wire) =>
  runnable.flatMap((frame) =>
    frame[wire].map((encoded, variant) => ({
      label: `${frame.file}#${frame.sample} ${frame.name} (${wire} ${variant})`,
      frame,
      encoded,
    })),
  )

describe.each(['json', 'msgpack', 'cbor'] as const)('spec test vectors over %s, end to end', (wire) => {
  it('the fixture decodes to its expected attributes (independent decoders)', () => {
    for (const { frame, encoded } of cases(wire)) {
      const decoded = decodeFrame(wire === 'json' ? encoded : new Uint8Array(Buffer.from(encoded, 'hex')), wire)
      expect(attributesOf(decoded), frame.name).toEqual(wanted(frame))
    }
  })

  it.each(cases(wire))('$label', async ({ frame, encoded }) => {
    await scenarios[frame.type]!(wire, frame, encoded)
  })
})
