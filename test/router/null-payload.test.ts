import { describe, expect, it } from 'vitest'
import { nextRequest, RawPeer, testRouter } from './support.js'

// Our router accepts a null Arguments/ArgumentsKw from a peer like the nexus Go client and
// relays the strict form: `[]` before kwargs, nothing when both are absent.
describe('router: a null Arguments or ArgumentsKw is an absent one', () => {
  it('CALL, YIELD and ERROR with null Arguments', async () => {
    const router = testRouter()
    const callee = await RawPeer.join(router)
    await callee.register('test.null')
    const caller = await RawPeer.join(router)
    const first = nextRequest()
    caller.send(48, first, {}, 'test.null', null, { k: 1 })
    const invocation = await callee.next()
    expect(invocation.slice(4)).toEqual([[], { k: 1 }])
    callee.send(70, invocation[1], {}, null, { r: 2 })
    expect(await caller.next()).toEqual([50, first, {}, [], { r: 2 }])

    const second = nextRequest()
    caller.send(48, second, {}, 'test.null', [1], null)
    const again = await callee.next()
    expect(again.length).toBe(5)
    callee.send(8, 68, again[1], {}, 'com.example.oops', null, { why: 'x' })
    expect(await caller.next()).toEqual([8, 48, second, {}, 'com.example.oops', [], { why: 'x' }])
    callee.send(70, 99999, {}, null, null) // unknown invocation: dropped, not a violation
    expect(await callee.quiet()).toEqual([])
  })

  it('PUBLISH with null Arguments is delivered and acknowledged', async () => {
    const router = testRouter()
    const subscriber = await RawPeer.join(router)
    subscriber.send(32, nextRequest(), {}, 'test.topic')
    const subscription = (await subscriber.next())[2]
    const publisher = await RawPeer.join(router)
    const request = nextRequest()
    publisher.send(16, request, { acknowledge: true }, 'test.topic', null, { only: 'kwargs' })
    expect((await publisher.next()).slice(0, 2)).toEqual([17, request])
    const event = await subscriber.next()
    expect([event[0], event[1], ...event.slice(4)]).toEqual([36, subscription, [], { only: 'kwargs' }])
    publisher.send(16, nextRequest(), {}, 'test.topic', null, null)
    expect((await subscriber.next()).length).toBe(4)
  })
})
