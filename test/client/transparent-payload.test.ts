import { describe, expect, it } from 'vitest'
import { connectLocal, InvalidArgumentError, type Invocation, RPCError } from '../../src/client/index.js'
import { createRouter } from '../../src/router/index.js'
import { RawPeer } from '../router/support.js'
import { joinedClient, quietLogger } from '../support/fake-router.js'

// Issue 16 item 6: Autobahn's transparent payload (one binary value in place of Arguments) in
// INVOCATION and ERROR is surfaced as `.payload` (as in EVENT and RESULT), never a violation.

const bytes = Uint8Array.of(0xa1, 0x66, 0x6e)

describe("Autobahn's transparent payload", () => {
  it('INVOCATION: the handler gets it as payload, with args [] and the enc_* details', async () => {
    const { client, router } = await joinedClient()
    const seen: Invocation[] = []
    const registering = client.register('a.proc', (inv) => void seen.push(inv))
    router.deliver(65, (await router.nextSent(64))[1], 77)
    await registering
    router.deliverRaw([68, 5, 77, { enc_algo: 'cryptobox' }, bytes])
    expect(await router.nextSent(70)).toEqual([70, 5, {}])
    expect(client.isOpen).toBe(true)
    expect(seen[0]?.payload).toEqual(bytes)
    expect(seen[0]?.args).toEqual([])
    expect(seen[0]?.details).toEqual({ enc_algo: 'cryptobox' })
  })

  it('ERROR: the call rejects with an RPCError carrying it as payload', async () => {
    const { client, router } = await joinedClient()
    const calling = client.call('a.proc').catch((e: unknown) => e)
    const [, request] = await router.nextSent(48)
    router.deliverRaw([8, 48, request, { enc_algo: 'cryptobox' }, 'com.example.error', bytes])
    const error = (await calling) as RPCError
    expect(error).toBeInstanceOf(RPCError)
    expect(error.payload).toEqual(bytes)
    expect(error.args).toEqual([])
    expect(client.isOpen).toBe(true)
  })

  it('a callee answers with it: { payload, options } becomes the YIELD', async () => {
    const { client, router } = await joinedClient()
    const registering = client.register('a.proc', () => ({ payload: bytes, options: { enc_algo: 'cryptobox' } }))
    router.deliver(65, (await router.nextSent(64))[1], 77)
    await registering
    router.deliverRaw([68, 5, 77, {}])
    const yielded = await router.nextSent(70)
    expect(yielded.slice(0, 3)).toEqual([70, 5, { enc_algo: 'cryptobox' }])
    expect(yielded).toHaveLength(4)
  })

  it('bytes followed by ArgumentsKw stay malformed in INVOCATION', async () => {
    const { router } = await joinedClient()
    router.deliverRaw([68, 5, 77, {}, bytes, { k: 1 }])
    const abort = await router.nextSent(3)
    expect(abort[2]).toBe('wamp.error.protocol_violation')
  })

  it('publish sends bytes as the payload; kwargs beside them are refused before sending', async () => {
    const { client, router } = await joinedClient()
    await client.publish('a.topic', bytes, undefined, { enc_algo: 'cryptobox' })
    const sent = await router.nextSent(16)
    expect(sent.slice(2, 4)).toEqual([{ enc_algo: 'cryptobox' }, 'a.topic'])
    await expect(client.publish('a.topic', bytes, { k: 1 })).rejects.toBeInstanceOf(InvalidArgumentError)
  })

  it('call sends bytes as the payload', async () => {
    const { client, router } = await joinedClient()
    const calling = client.call('a.proc', bytes, undefined, { enc_algo: 'cryptobox' })
    const sent = await router.nextSent(48)
    expect(sent.slice(2, 4)).toEqual([{ enc_algo: 'cryptobox' }, 'a.proc'])
    router.deliverRaw([50, sent[1], { enc_algo: 'cryptobox' }, Uint8Array.of(7)])
    expect((await calling).payload).toEqual(Uint8Array.of(7))
  })

  it('our router relays it: PUBLISH → EVENT and CALL → INVOCATION → YIELD → RESULT, enc_* in Details', async () => {
    const router = createRouter({ realms: { realm1: {} } })
    const config = { realm: 'realm1', serialization: 'msgpack' as const, logger: quietLogger() }
    const [a, b] = [await connectLocal(router, config), await connectLocal(router, config)]
    const events: unknown[] = []
    await a.subscribe('a.topic', (e) => void events.push([e.payload, e.details.enc_algo]))
    await b.publish('a.topic', bytes, undefined, { enc_algo: 'cryptobox', acknowledge: true })
    expect(events).toEqual([[bytes, 'cryptobox']])
    // CALL → INVOCATION → YIELD → RESULT between two raw peers (the client sends no bytes as CALL Arguments).
    const callee = await RawPeer.join(router)
    const registration = await callee.register('a.raw')
    const caller = await RawPeer.join(router)
    caller.send(48, 1, { enc_algo: 'cryptobox', enc_serializer: 'cbor' }, 'a.raw', bytes)
    const invocation = await callee.next()
    expect(invocation.slice(2)).toEqual([registration, { enc_algo: 'cryptobox', enc_serializer: 'cbor' }, bytes])
    callee.send(70, invocation[1], { enc_algo: 'cryptobox' }, Uint8Array.of(9))
    expect(await caller.next()).toEqual([50, 1, { enc_algo: 'cryptobox' }, Uint8Array.of(9)])
    await a.close()
    await b.close()
    await router.close()
  })
})
