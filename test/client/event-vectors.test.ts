import { describe, expect, it } from 'vitest'
import type { Event } from '../../src/client/index.js'
import { jsonSerializer } from '../../src/serializers/json.js'
import { msgpackSerializer } from '../../src/serializers/msgpack.js'
import vectors from '../fixtures/wamp-vectors/event.json' with { type: 'json' }
import { fromHex, withBytes } from '../serializers/vectors.js'
import { type FakeRouter, joinedClient } from '../support/fake-router.js'

// Issue 16 item 6: the EVENT samples of the WAMP spec's test vectors (see event.json's "about").

/** A joined client subscribed to `a.b` under the vector's subscription ID; events are collected. */
async function subscribed(subscription: number) {
  const { client, router } = await joinedClient()
  const events: Event[] = []
  const subscribing = client.subscribe('a.b', (event) => events.push(event))
  router.deliver(33, (await router.nextSent(32))[1], subscription)
  await subscribing
  return { client, router, events }
}

async function expectViolation(router: FakeRouter, field: string): Promise<void> {
  const abort = await router.nextSent(3)
  expect(abort[2]).toBe('wamp.error.protocol_violation')
  expect((abort[1] as { message: string }).message).toContain(field)
}

describe.each([
  ['json', (frame: (typeof vectors.frames)[number]) => jsonSerializer.decode(frame.json)],
  ['msgpack', (frame: (typeof vectors.frames)[number]) => msgpackSerializer.decode(fromHex(frame.msgpack))],
])('EVENT vector frames decoded from %s', (_name, decode) => {
  it.each(vectors.frames)('$name: the subscriber gets the expected attributes', async (frame) => {
    const expected = withBytes(frame.expected) as {
      subscription: number
      publication: number
      details: Record<string, unknown>
      args: unknown[] | null
      kwargs: Record<string, unknown> | null
      payload?: Uint8Array
    }
    const { client, router, events } = await subscribed(expected.subscription)
    router.deliverRaw(decode(frame))
    expect(client.isOpen).toBe(true)
    expect(events).toHaveLength(1)
    const [event] = events as [Event]
    expect(event.publication).toBe(expected.publication)
    expect(event.details).toEqual(expected.details)
    expect(event.args).toEqual(expected.args ?? [])
    expect(event.kwargs).toEqual(expected.kwargs ?? {})
    expect(event.payload).toEqual(expected.payload)
  })
})

describe('EVENT.Details of the wrong type are a protocol violation; valid ones are delivered', () => {
  it.each(vectors.details)('$name', async (sample) => {
    const message = withBytes(sample.message) as unknown[]
    const { client, router, events } = await subscribed(message[1] as number)
    router.deliverRaw(message)
    if (sample.violation === null) {
      expect(client.isOpen).toBe(true)
      expect(events).toHaveLength(1)
    } else {
      await expectViolation(router, sample.violation)
      expect(events).toEqual([])
    }
  })

  it('a transparent payload followed by ArgumentsKw is malformed', async () => {
    const { router } = await subscribed(123)
    router.deliverRaw([36, 123, 456, { enc_algo: 'cryptobox' }, Uint8Array.of(1), { k: 1 }])
    await expectViolation(router, 'transparent payload')
  })
})
