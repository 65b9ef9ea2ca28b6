/** The in-process transport (src/transports/local.ts) as connectLocal uses it. */
import { describe, expect, it } from 'vitest'
import { SerializationError } from '../../src/client/index.js'
import { createLocalPair } from '../../src/router/index.js'
import { join, RawPeer, sleep, testRouter } from './support.js'

describe('copy semantics', () => {
  it('a callee that mutates its arguments does not change the caller’s, nor the caller the callee’s', async () => {
    const router = testRouter()
    const callee = await join(router)
    const caller = await join(router)
    let seen: { list: number[] } | undefined
    await callee.register('test.mutate', ({ args }) => {
      seen = args[0] as { list: number[] }
      seen.list.push(99)
      return { args: [seen] }
    })
    const mine = { list: [1] }
    const call = caller.call('test.mutate', [mine])
    mine.list.push(2) // after sending: the callee must not see it
    const { args } = await call
    expect(mine.list).toEqual([1, 2])
    expect(args[0]).toEqual({ list: [1, 99] })
    expect(args[0]).not.toBe(seen)
  })

  it('each subscriber gets its own copy of an event', async () => {
    const router = testRouter()
    const [a, b, publisher] = [await join(router), await join(router), await join(router)]
    const got: unknown[][] = []
    await a.subscribe('test.copy', ({ args }) => {
      ;(args[0] as number[]).push(1)
      got.push(args)
    })
    await b.subscribe('test.copy', ({ args }) => void got.push(args))
    await publisher.publish('test.copy', [[0]], {}, { acknowledge: true })
    await sleep(10)
    expect(got.map((args) => args[0]).sort()).toEqual([[0], [0, 1]])
  })

  it('values arrive as the serialization delivers them: JSON turns a Date into its ISO string, carries 64-bit BigInts exactly, refuses wider ones', async () => {
    const router = testRouter()
    const callee = await join(router)
    const caller = await join(router)
    await callee.register('test.values', ({ args }) => ({ args }))
    const bytes = Uint8Array.of(1, 2, 3)
    const { args } = await caller.call('test.values', [bytes, new Date(0)])
    expect(args[0]).toBeInstanceOf(Uint8Array)
    expect(args[0]).not.toBe(bytes)
    expect([...(args[0] as Uint8Array)]).toEqual([1, 2, 3])
    expect(args[1]).toBe('1970-01-01T00:00:00.000Z')
    // Within ±2^53 a BigInt arrives as the number JSON reads; beyond, exactly, as a BigInt (issue 16).
    expect((await caller.call('test.values', [2n ** 60n + 1n, 5n])).args).toEqual([2n ** 60n + 1n, 5])
    await expect(caller.call('test.values', [2n ** 70n])).rejects.toThrow(/BigInt beyond 64 bits/)
  })

  it('over MsgPack, a Date is carried and a 64-bit BigInt arrives exactly', async () => {
    const router = testRouter()
    const callee = await join(router, { serialization: 'msgpack' })
    const caller = await join(router, { serialization: 'msgpack' })
    await callee.register('test.values', ({ args }) => ({ args }))
    const { args } = await caller.call('test.values', [2n ** 60n + 1n, new Date(0)])
    expect(args[0]).toBe(2n ** 60n + 1n)
    expect(args[1]).toEqual(new Date(0))
  })

  it('a value that cannot be copied throws SerializationError naming its path, and nothing is sent', async () => {
    const router = testRouter()
    const callee = await join(router)
    const caller = await join(router)
    let invoked = 0
    await callee.register('test.fn', () => void invoked++)
    const error = await caller.call('test.fn', [{ ok: 1, f: () => 1 }]).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SerializationError)
    expect((error as Error).message).toMatch(/args\[0\]\.f is a function/)
    await expect(caller.publish('test.t', [], { m: new Map() })).rejects.toThrow(/kwargs\.m is a Map/)
    await sleep(10)
    expect(invoked).toBe(0)
    expect(caller.isOpen).toBe(true)
    expect(caller.stats.pendingRequests).toBe(0)
  })
})

describe('delivery', () => {
  it('is asynchronous and in order, never inside send', async () => {
    const [a, b] = createLocalPair()
    const received: unknown[] = []
    b.listen({ message: (m) => received.push(m), error: () => {} })
    a.send([1, 'x'])
    a.send([2, 'y'])
    expect(received).toEqual([])
    await Promise.resolve()
    expect(received).toEqual([
      [1, 'x'],
      [2, 'y'],
    ])
    expect(a.serialization).toBe('json')
    expect(a.kind).toBe('local')
  })

  it('a close arrives after the messages sent before it; then send throws', async () => {
    const [a, b] = createLocalPair()
    const received: unknown[] = []
    b.listen({ message: (m) => received.push(m), error: () => {} })
    a.send([6, {}, 'wamp.close.goodbye_and_out'])
    a.close()
    expect(await a.closed).toMatchObject({ local: true })
    expect(await b.closed).toMatchObject({ local: false })
    expect(received).toEqual([[6, {}, 'wamp.close.goodbye_and_out']])
    expect(() => b.send([1])).toThrow(/closed/)
  })

  it('messages that arrive before listen() are kept for the receiver', async () => {
    const [a, b] = createLocalPair()
    a.send([1, 'early'])
    await Promise.resolve()
    const received: unknown[] = []
    b.listen({ message: (m) => received.push(m), error: () => {} })
    expect(received).toEqual([[1, 'early']])
  })

  it('the client still validates what the router sends', async () => {
    // A raw "router" that answers HELLO with a malformed WELCOME: the client aborts with protocol_violation.
    const [clientSide, routerSide] = createLocalPair()
    const { createClient } = await import('../../src/client/connect.js')
    const sent: unknown[][] = []
    routerSide.listen({
      message: (m) => {
        sent.push(m as unknown[])
        if ((m as unknown[])[0] === 1) routerSide.send([2, 'not-an-id', {}])
      },
      error: () => {},
    })
    const error = await createClient(clientSide, {
      realm: 'realm1',
      logger: { debug() {}, warn() {}, error() {} },
    }).catch((e: unknown) => e)
    expect((error as { code: string }).code).toBe('protocol_violation')
    expect(sent[1]?.[2]).toBe('wamp.error.protocol_violation')
  })

  it('a peer whose transport drops mid-session is cleaned up by the router', async () => {
    const router = testRouter()
    const peer = await RawPeer.join(router)
    await peer.register('test.dropped')
    const watcher = await join(router)
    peer.close()
    await sleep(10)
    expect((await watcher.call('wamp.session.count')).args).toEqual([1])
    await expect(watcher.call('test.dropped')).rejects.toMatchObject({ uri: 'wamp.error.no_such_procedure' })
  })
})
