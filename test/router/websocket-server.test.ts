import { encode } from '@msgpack/msgpack'
import cbor from 'cbor'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { connect, RPCError } from '../../src/client/index.js'
import { listenWebSocket, type WebSocketListener } from '../../src/router/index.js'
import { allRoles, failure, join, quietClient, sleep, testRouter } from './support.js'

const listeners: WebSocketListener[] = []
afterEach(async () => {
  for (const listener of listeners.splice(0)) await listener.close()
})

async function serve() {
  const router = testRouter()
  const listener = await listenWebSocket(router)
  listeners.push(listener)
  return { router, listener }
}

/** A raw WebSocket peer: what arrives, whether it was binary, and how the socket closed. */
function rawSocket(url: string, protocols: string[]) {
  const socket = new WebSocket(url, protocols)
  const frames: { data: Buffer; binary: boolean }[] = []
  socket.on('message', (data, binary) => frames.push({ data: data as Buffer, binary }))
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))
  const frame = async (index: number) => {
    for (let i = 0; i < 100 && frames.length <= index; i++) await sleep(10)
    return frames[index]
  }
  return { socket, opened, closed, frame }
}

describe('listenWebSocket', () => {
  it('serves wamp.2.json (text frames), wamp.2.msgpack and wamp.2.cbor (binary frames), which talk to each other', async () => {
    const { listener } = await serve()
    expect(listener.url).toBe(`ws://127.0.0.1:${listener.port}/ws`)
    const callee = await connect(listener.url, { realm: 'realm1', serialization: 'msgpack', logger: quietClient })
    const caller = await connect(listener.url, { realm: 'realm1', serialization: 'json', logger: quietClient })
    await callee.register('test.bytes', ({ args }) => ({ args: [(args[0] as Uint8Array).reverse()] }))
    const { args } = await caller.call('test.bytes', [Uint8Array.of(1, 2, 3)])
    expect([...(args[0] as Uint8Array)]).toEqual([3, 2, 1])
    const viaCbor = await connect(listener.url, { realm: 'realm1', serialization: 'cbor', logger: quietClient })
    expect([...((await viaCbor.call('test.bytes', [Uint8Array.of(4, 5)])).args[0] as Uint8Array)]).toEqual([5, 4])
    await viaCbor.close()
    const hello = [1, 'realm1', { roles: allRoles }]
    for (const [protocol, binary, frame] of [
      ['wamp.2.json', false, JSON.stringify(hello)],
      ['wamp.2.msgpack', true, encode(hello)],
      ['wamp.2.cbor', true, new Uint8Array(cbor.encode(hello))],
    ] as const) {
      const raw = rawSocket(listener.url, [protocol])
      await raw.opened
      raw.socket.send(frame)
      expect((await raw.frame(0))?.binary).toBe(binary)
      raw.socket.close()
    }
  })

  it('closes a connection that offers no WAMP subprotocol it speaks', async () => {
    const { listener } = await serve()
    // Offering only an unknown subprotocol: the handshake completes without one, which `ws` refuses itself.
    const ubjson = rawSocket(listener.url, ['wamp.2.ubjson'])
    await expect(ubjson.opened).rejects.toThrow(/no subprotocol/)
    // Offering none: the router closes with 1002.
    const none = rawSocket(listener.url, [])
    await none.opened
    expect(await none.closed).toBe(1002)
  })

  it('an undecodable frame gets ABORT protocol_violation and a close; other sessions go on', async () => {
    const { router, listener } = await serve()
    const bystander = await join(router)
    for (const [protocol, garbage] of [
      ['wamp.2.json', 'not json'],
      ['wamp.2.json', '{"a": 1}'],
      ['wamp.2.msgpack', Uint8Array.of(0xc1)],
      ['wamp.2.cbor', Uint8Array.of(0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)],
      ['wamp.2.cbor', new Uint8Array(2000).fill(0x81)],
    ] as const) {
      const raw = rawSocket(listener.url, [protocol])
      await raw.opened
      raw.socket.send(garbage)
      const frame = await raw.frame(0)
      const abort =
        protocol === 'wamp.2.json'
          ? JSON.parse(String(frame?.data))
          : protocol === 'wamp.2.cbor'
            ? cbor.decodeFirstSync(frame!.data)
            : (await import('@msgpack/msgpack')).decode(frame!.data)
      expect((abort as unknown[])[2]).toBe('wamp.error.protocol_violation')
      await raw.closed
    }
    expect((await bystander.call('wamp.session.count')).args).toEqual([1])
  })

  it('what a JSON peer cannot receive (a NUL-led string from a local MsgPack peer) is refused, and nothing breaks', async () => {
    const { router, listener } = await serve()
    const overJson = await connect(listener.url, { realm: 'realm1', serialization: 'json', logger: quietClient })
    const local = await join(router, { serialization: 'msgpack' })
    const localEvents: unknown[] = []
    let jsonEvents = 0
    await overJson.subscribe('test.nul', () => void jsonEvents++)
    await local.subscribe('test.nul', (e) => void localEvents.push(e.args[0]))
    const publisher = await join(router, { serialization: 'msgpack' })
    // MsgPack carries any string; JSON reserves a leading U+0000 for bytes.
    // Issue 16: refused to the publisher as a whole (not acknowledged, then not delivered to JSON).
    const refused = (await failure(publisher.publish('test.nul', ['\0text'], {}, { acknowledge: true }))) as RPCError
    expect(refused.uri).toBe('wamp.error.invalid_argument')
    await sleep(20)
    expect(localEvents).toEqual([])
    expect(jsonEvents).toBe(0)
    // A result the JSON caller cannot receive becomes an ERROR, not silence.
    await local.register('test.nul', () => ({ args: ['\0text'] }))
    const error = (await failure(overJson.call('test.nul'))) as RPCError
    expect(error).toBeInstanceOf(RPCError)
    expect(error.uri).toBe('wamp.error.invalid_argument')
    expect(overJson.isOpen).toBe(true)
  })

  it('a PUBLISH nested deeper than any peer could be sent is refused (ABORT), never acknowledged and dropped', async () => {
    const { router, listener } = await serve()
    const subscriber = await join(router)
    const events: unknown[] = []
    await subscriber.subscribe('test.deep', (e) => void events.push(e))
    const raw = rawSocket(listener.url, ['wamp.2.json'])
    await raw.opened
    raw.socket.send(JSON.stringify([1, 'realm1', { roles: allRoles }]))
    expect(JSON.parse(String((await raw.frame(0))?.data))[0]).toBe(2)
    // 1024 levels: one more than MAX_NESTING (what nexus accepts).
    raw.socket.send(`[16,1,{"acknowledge":true},"test.deep",[${'['.repeat(1022)}1${']'.repeat(1022)}]]`)
    const abort = JSON.parse(String((await raw.frame(1))?.data)) as unknown[]
    expect(abort.slice(0, 1)).toEqual([3])
    expect(abort[2]).toBe('wamp.error.protocol_violation')
    await sleep(20)
    expect(events).toEqual([])
  })

  it('close() drops every connection at once; the port can be served again', async () => {
    const { router, listener } = await serve()
    const client = await connect(listener.url, { realm: 'realm1', logger: quietClient })
    await listener.close()
    expect((await client.closed).initiator).toBe('transport')
    const again = await listenWebSocket(router, { port: listener.port })
    listeners.push(again)
    const next = await connect(again.url, { realm: 'realm1', logger: quietClient })
    expect(next.isOpen).toBe(true)
    await next.close()
  })
})
