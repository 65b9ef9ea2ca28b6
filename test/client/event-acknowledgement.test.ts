import { describe, expect, it } from 'vitest'
import { type Client, createClient } from '../../src/client/index.js'
import { createConnection } from '../../src/connection/index.js'
import { FakeRouter, quietLogger, WELCOME_DETAILS } from '../support/fake-router.js'

// Acknowledged event delivery (EVENT_RECEIVED, 337; Autobahn's `x_acknowledged_event_delivery`): the
// subscriber acknowledges an EVENT whose Details ask for it, once every handler has succeeded, and
// only to a broker that announced the feature.

const EVENT_RECEIVED = 337
const acknowledging = {
  ...WELCOME_DETAILS,
  roles: { ...WELCOME_DETAILS.roles, broker: { features: { x_acknowledged_event_delivery: true } } },
}

async function join(welcome: object = acknowledging): Promise<{ client: Client; router: FakeRouter }> {
  const router = new FakeRouter()
  const joining = createClient(router, { realm: 'realm1', logger: quietLogger() })
  await router.nextSent(1)
  router.deliver(2, 4242, welcome)
  return { client: await joining, router }
}

/** Subscribes every handler to one topic: the first makes the router subscription (9), the rest share it. */
async function subscribed(client: Client, router: FakeRouter, ...handlers: ((event: unknown) => unknown)[]) {
  for (const [index, handler] of handlers.entries()) {
    const subscribing = client.subscribe('t.ack', handler)
    if (index === 0) router.deliver(33, (await router.nextSent(32))[1], 9)
    await subscribing
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5))

describe('EVENT_RECEIVED', () => {
  it('announces the feature as a subscriber', async () => {
    const { router } = await join()
    const hello = router.sentOfType(1)[0]!
    const roles = (hello[2] as { roles: { subscriber: { features: Record<string, unknown> } } }).roles
    expect(roles.subscriber.features.x_acknowledged_event_delivery).toBe(true)
  })

  it('acknowledges after a synchronous handler returns, once per EVENT that asks', async () => {
    const { client, router } = await join()
    await subscribed(client, router, () => undefined)
    router.deliver(36, 9, 1001, { x_acknowledged_delivery: true }, ['a'])
    router.deliver(36, 9, 1002, {}, ['b'])
    router.deliver(36, 9, 1003, { x_acknowledged_delivery: false }, ['c'])
    await settle()
    expect(router.sentOfType(EVENT_RECEIVED)).toEqual([[EVENT_RECEIVED, 1001]])
  })

  it('waits for a promise a handler returns, and sends nothing when it rejects', async () => {
    const { client, router } = await join()
    let finish!: () => void
    let fail!: (error: Error) => void
    const handlers = [
      () =>
        new Promise<void>((resolve) => {
          finish = resolve
        }),
    ]
    await subscribed(client, router, ...handlers)
    router.deliver(36, 9, 2001, { x_acknowledged_delivery: true }, [])
    await settle()
    expect(router.sentOfType(EVENT_RECEIVED)).toEqual([])
    finish()
    await settle()
    expect(router.sentOfType(EVENT_RECEIVED)).toEqual([[EVENT_RECEIVED, 2001]])

    handlers[0] = () =>
      new Promise<void>((_, reject) => {
        fail = reject
      })
    const second = await join()
    await subscribed(second.client, second.router, handlers[0])
    second.router.deliver(36, 9, 2002, { x_acknowledged_delivery: true }, [])
    await settle()
    fail(new Error('handler failed'))
    await settle()
    expect(second.router.sentOfType(EVENT_RECEIVED)).toEqual([])
    expect(second.client.isOpen).toBe(true)
  })

  it('sends nothing when one of several handlers throws', async () => {
    const { client, router } = await join()
    const seen: string[] = []
    await subscribed(
      client,
      router,
      () => seen.push('first'),
      () => {
        throw new Error('second handler bug')
      },
    )
    router.deliver(36, 9, 3001, { x_acknowledged_delivery: true }, [])
    await settle()
    expect(seen).toEqual(['first'])
    expect(router.sentOfType(EVENT_RECEIVED)).toEqual([])
    expect(client.isOpen).toBe(true)
  })

  it('sends nothing to a broker that did not announce the feature', async () => {
    const { client, router } = await join(WELCOME_DETAILS)
    await subscribed(client, router, () => undefined)
    router.deliver(36, 9, 4001, { x_acknowledged_delivery: true }, [])
    await settle()
    expect(router.sentOfType(EVENT_RECEIVED)).toEqual([])
  })

  it('through a Connection: acknowledges only when every holder succeeded', async () => {
    const router = new FakeRouter()
    const connection = createConnection({
      realm: 'realm1',
      logger: quietLogger(),
      liveness: false,
      reconnect: false,
      open: async (_url, config) => {
        const joining = createClient(router, config)
        await router.nextSent(1)
        router.deliver(2, 4242, acknowledging)
        return joining
      },
    })
    connection.start()
    let failing = false
    const leases = [
      connection.acquireSubscription('t.ack', () => undefined),
      connection.acquireSubscription('t.ack', async () => {
        await settle()
        if (failing) throw new Error('holder failed')
      }),
    ]
    router.deliver(33, (await router.nextSent(32))[1], 9)
    await settle()
    router.deliver(36, 9, 5001, { x_acknowledged_delivery: true }, [])
    await settle()
    await settle()
    expect(router.sentOfType(EVENT_RECEIVED)).toEqual([[EVENT_RECEIVED, 5001]])
    failing = true
    router.deliver(36, 9, 5002, { x_acknowledged_delivery: true }, [])
    await settle()
    await settle()
    expect(router.sentOfType(EVENT_RECEIVED)).toEqual([[EVENT_RECEIVED, 5001]])
    for (const lease of leases) lease.release()
    const closing = connection.close()
    await router.nextSent(6)
    router.deliver(6, {}, 'wamp.close.goodbye_and_out')
    await closing
  })
})
