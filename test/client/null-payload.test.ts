import { describe, expect, it } from 'vitest'
import { type Event, RPCError } from '../../src/client/index.js'
import { joinedClient } from '../support/fake-router.js'

// The nexus Go client sends `null` Arguments for nil args beside kwargs; peers relay it as is.
describe('a null Arguments or ArgumentsKw is an absent one (issue 16, item 1)', () => {
  it('EVENT with null Arguments and with null ArgumentsKw', async () => {
    const { client, router } = await joinedClient()
    const events: Event[] = []
    const subscribing = client.subscribe('a.b', (e) => events.push(e))
    router.deliver(33, (await router.nextSent(32))[1], 7)
    await subscribing
    router.deliver(36, 7, 1, {}, null, { only: 'kwargs' })
    router.deliver(36, 7, 2, {}, [1], null)
    router.deliver(36, 7, 3, {}, null, null)
    router.deliver(36, 7, 4, {}, null)
    expect(client.isOpen).toBe(true)
    expect(events.map((e) => [e.args, e.kwargs])).toEqual([
      [[], { only: 'kwargs' }],
      [[1], {}],
      [[], {}],
      [[], {}],
    ])
  })

  it('RESULT and ERROR with null Arguments', async () => {
    const { client, router } = await joinedClient()
    const ok = client.call('a.ok')
    router.deliver(50, (await router.nextSent(48))[1], {}, null, { k: 1 })
    expect(await ok).toMatchObject({ args: [], kwargs: { k: 1 } })
    const failing = client.call('a.fail').catch((e: unknown) => e)
    const call = router.sent.filter((m) => m[0] === 48)[1]!
    router.deliver(8, 48, call[1], {}, 'com.example.oops', null, { why: 'kwargs only' })
    const error = (await failing) as RPCError
    expect(error).toBeInstanceOf(RPCError)
    expect([error.uri, error.args, error.kwargs]).toEqual(['com.example.oops', [], { why: 'kwargs only' }])
    expect(client.isOpen).toBe(true)
  })

  it('INVOCATION with null Arguments reaches the handler; the YIELD carries no null', async () => {
    const { client, router } = await joinedClient()
    const registering = client.register('a.b', (inv) => ({ args: inv.args, kwargs: inv.kwargs }))
    router.deliver(65, (await router.nextSent(64))[1], 9)
    await registering
    router.deliver(68, 1, 9, {}, null, { k: 2 })
    expect(await router.nextSent(70)).toEqual([70, 1, {}, [], { k: 2 }])
  })

  it('what the client sends never carries null, even when the user passes null', async () => {
    const { client, router } = await joinedClient()
    void client.call('a.b', null as never, { k: 1 }).catch(() => {})
    expect((await router.nextSent(48)).slice(4)).toEqual([[], { k: 1 }])
    void client.publish('a.t', [1], null as never)
    expect((await router.nextSent(16)).slice(4)).toEqual([[1]])
  })

  it('a wrongly typed Arguments is still a violation', async () => {
    const { client, router } = await joinedClient()
    router.deliver(50, 1, {}, 'text')
    await client.closed
    expect((await router.nextSent(3))[2]).toBe('wamp.error.protocol_violation')
  })
})
