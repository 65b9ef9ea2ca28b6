import { describe, expect, it } from 'vitest'
import { ConnectionLostError, RPCError, SessionClosedError } from '../../src/client/index.js'
import { joinedClient } from '../support/fake-router.js'

describe('session behaviour against a scripted router', () => {
  it('request IDs count 1, 2, 3… across every request type (§6.13)', async () => {
    const { client, router } = await joinedClient()
    void client.call('a.b').catch(() => {})
    void client.subscribe('a.b', () => {}).catch(() => {})
    void client.publish('a.b', [1])
    void client.register('a.b', () => {}).catch(() => {})
    await router.nextSent(64) // the callee part loads on the first register()
    await client.publish('a.b', [], {}, {}).catch(() => {})
    const ids = router.sent.filter((m) => [48, 32, 16, 64].includes(m[0] as number)).map((m) => m[1])
    expect(ids).toEqual([1, 2, 3, 4, 5])
  })

  it('a router GOODBYE is echoed with goodbye_and_out; pending requests reject with SessionClosedError', async () => {
    const { client, router } = await joinedClient()
    const call = client.call('a.b').catch((e: unknown) => e)
    router.deliver(6, { message: 'maintenance' }, 'wamp.close.system_shutdown')
    expect(await router.nextSent(6)).toEqual([6, {}, 'wamp.close.goodbye_and_out'])
    const info = await client.closed
    expect(info).toMatchObject({ reason: 'wamp.close.system_shutdown', initiator: 'router' })
    expect(info.details.message).toBe('maintenance')
    expect(await call).toBeInstanceOf(SessionClosedError)
  })

  it('a dropped transport rejects pending requests with ConnectionLostError and aborts running handlers', async () => {
    const { client, router } = await joinedClient()
    let signal: AbortSignal | undefined
    const registering = client.register('a.b', (inv) => {
      signal = inv.signal
      return new Promise(() => {})
    })
    await router.nextSent(64)
    router.deliver(65, 1, 77)
    await registering
    router.deliver(68, 1, 77, {}, [1])
    const call = client.call('c.d').catch((e: unknown) => e)
    router.drop()
    expect(await call).toBeInstanceOf(ConnectionLostError)
    expect(signal?.aborted).toBe(true)
    expect((await client.closed).initiator).toBe('transport')
    expect(client.stats).toEqual({ pendingRequests: 0, activeInvocations: 0, subscriptions: 0, registrations: 0 })
  })

  it('an INVOCATION for an unknown registration gets an ERROR and the session lives (§6.14)', async () => {
    const { client, router } = await joinedClient()
    router.deliver(68, 1, 999, {}, [])
    const error = await router.nextSent(8)
    expect(error.slice(0, 3)).toEqual([8, 68, 1])
    expect(error[4]).toBe('wamp.error.no_such_registration')
    expect(client.isOpen).toBe(true)
  })

  it('INTERRUPT aborts the handler signal with the reason; the handler has the last word', async () => {
    const { client, router } = await joinedClient()
    const registering = client.register('a.b', async (inv) => {
      await new Promise((resolve) => inv.signal.addEventListener('abort', resolve))
      expect(() => inv.progress(['after'])).toThrow(/interrupted/)
      if (inv.args[0] === 'result') return { args: ['partial'] }
      if (inv.args[0] === 'reason') throw inv.signal.reason
      throw new RPCError('com.example.cleanup_failed', ['disk'])
    })
    await router.nextSent(64)
    router.deliver(65, 1, 5)
    await registering
    router.deliver(68, 10, 5, { receive_progress: true }, ['result'])
    router.deliver(68, 11, 5, {}, ['reason'])
    router.deliver(68, 12, 5, {}, ['other'])
    expect(client.stats.activeInvocations).toBe(3)
    for (const id of [10, 11, 12]) router.deliver(69, id, { mode: 'kill', reason: 'wamp.error.canceled' })
    router.deliver(69, 10, { mode: 'kill' }) // repeated: ignored
    await new Promise((r) => setTimeout(r, 10))
    expect(router.sent.filter((m) => m[0] === 70 || m[0] === 8)).toEqual([
      [70, 10, {}, ['partial']],
      [8, 68, 11, {}, 'wamp.error.canceled'],
      [8, 68, 12, {}, 'com.example.cleanup_failed', ['disk']],
    ])
    expect(client.stats.activeInvocations).toBe(0)
  })

  it('kill mode: a RESULT that wins the race resolves the call', async () => {
    const { client, router } = await joinedClient()
    const abort = new AbortController()
    const call = client.call('a.b', [], {}, { signal: abort.signal, cancelMode: 'kill' })
    abort.abort()
    expect(await router.nextSent(49)).toEqual([49, 1, { mode: 'kill' }])
    router.deliver(50, 1, {}, ['won'])
    expect((await call).args).toEqual(['won'])
  })

  it('kill mode: the callee ERROR canceled settles the call as AbortError carrying signal.reason', async () => {
    const { client, router } = await joinedClient()
    const abort = new AbortController()
    const call = client.call('a.b', [], {}, { signal: abort.signal, cancelMode: 'kill' }).catch((e: unknown) => e)
    abort.abort('user left')
    await router.nextSent(49)
    router.deliver(8, 48, 1, {}, 'wamp.error.canceled')
    const error = (await call) as { name: string; reason: unknown }
    expect(error.name).toBe('AbortError')
    expect(error.reason).toBe('user left')
  })

  it('an already aborted signal rejects without sending anything', async () => {
    const { client, router } = await joinedClient()
    const before = router.sent.length
    const error = await client.call('a.b', [], {}, { signal: AbortSignal.abort() }).catch((e: unknown) => e)
    expect((error as Error).name).toBe('AbortError')
    expect(router.sent.length).toBe(before)
  })

  it('progress results reach onProgress in order and never after the call settles', async () => {
    const { client, router } = await joinedClient()
    const chunks: unknown[] = []
    const call = client.call('a.b', [], {}, { onProgress: (r) => chunks.push(r.args[0]) })
    const sent = await router.nextSent(48)
    expect((sent[2] as Record<string, unknown>).receive_progress).toBe(true)
    router.deliver(50, 1, { progress: true }, [1])
    router.deliver(50, 1, { progress: true }, [2])
    router.deliver(50, 1, {}, ['done'])
    router.deliver(50, 1, { progress: true }, [3])
    expect((await call).args).toEqual(['done'])
    expect(chunks).toEqual([1, 2])
  })

  it('ERROR wamp.error.timeout surfaces as CallTimeoutError, an RPCError', async () => {
    const { client, router } = await joinedClient()
    const call = client.call('a.b', [], {}, { timeout: 100 }).catch((e: unknown) => e)
    router.deliver(8, 48, 1, {}, 'wamp.error.timeout', ['call timeout'])
    const error = (await call) as RPCError
    expect(error).toBeInstanceOf(RPCError)
    expect(error.name).toBe('CallTimeoutError')
    expect(error.uri).toBe('wamp.error.timeout')
  })

  it('an EVENT read together with its SUBSCRIBED reaches the handler (retained events, racing publications)', async () => {
    const { client, router } = await joinedClient()
    const seen: unknown[] = []
    const subscribing = client.subscribe('a.b', (e) => seen.push(e.args[0]), { get_retained: true })
    const subscribe = await router.nextSent(32)
    router.deliver(33, subscribe[1], 77)
    router.deliver(36, 77, 1, { retained: true }, ['kept'])
    await subscribing
    expect(seen).toEqual(['kept'])
  })

  it('an INVOCATION read together with its REGISTERED reaches the handler', async () => {
    const { client, router } = await joinedClient()
    const registering = client.register('a.b', () => ({ args: ['answered'] }))
    const register = await router.nextSent(64)
    router.deliver(65, register[1], 88)
    router.deliver(68, 1, 88, {}, [])
    await registering
    expect(await router.nextSent(70)).toEqual([70, 1, {}, ['answered']])
  })

  it('a late SUBSCRIBED after the response timeout is undone with UNSUBSCRIBE', async () => {
    const { client, router } = await joinedClient({ responseTimeout: 30 })
    const error = await client.subscribe('a.b', () => {}).catch((e: unknown) => e)
    expect((error as { code: string }).code).toBe('response_timeout')
    router.deliver(33, 1, 55)
    const unsubscribe = await router.nextSent(34)
    expect(unsubscribe[2]).toBe(55)
    expect(client.isOpen).toBe(true)
  })
})
