import { describe, expect, it } from 'vitest'
import { type Client, InvalidArgumentError, type PublishOptions } from '../../src/client/index.js'
import type { HelloInfo } from '../../src/router/index.js'
import { failure, join, RawPeer, sleep, testRouter } from './support.js'

/** A realm where HELLO chooses authid and authrole (authextra.role), to test the authid/authrole lists. */
const roles = {
  authenticate: (hello: HelloInfo) => ({ authid: hello.authid ?? 'nobody', authrole: String(hello.authextra.role) }),
}

describe('publisher exclusion and subscriber black- and whitelisting', () => {
  /** Subscribers alice/admin, bob/user, carol/user on one topic; returns who got each publication. */
  async function audience() {
    const router = testRouter({ roles })
    const people: Record<string, Client> = {}
    const got: string[] = []
    for (const [name, role] of [
      ['alice', 'admin'],
      ['bob', 'user'],
      ['carol', 'user'],
    ] as const) {
      people[name] = await join(router, { realm: 'roles', authid: name, authextra: { role } })
      await people[name].subscribe('test.news', () => void got.push(name))
    }
    const publisher = await join(router, { realm: 'roles', authid: 'pub', authextra: { role: 'user' } })
    const reach = async (options: PublishOptions, from = publisher) => {
      got.length = 0
      await from.publish('test.news', [], {}, { acknowledge: true, ...options })
      await sleep(10)
      return [...got].sort()
    }
    return { people, reach }
  }

  it('exclude and eligible take session IDs; both must hold', async () => {
    const { people, reach } = await audience()
    const { alice, bob, carol } = people as Record<string, Client>
    expect(await reach({})).toEqual(['alice', 'bob', 'carol'])
    expect(await reach({ exclude: [bob!.id] })).toEqual(['alice', 'carol'])
    expect(await reach({ eligible: [alice!.id, bob!.id] })).toEqual(['alice', 'bob'])
    expect(await reach({ eligible: [alice!.id, bob!.id], exclude: [alice!.id] })).toEqual(['bob'])
    expect(await reach({ eligible: [carol!.id], exclude_authrole: ['user'] })).toEqual([])
  })

  it('exclude_authid, exclude_authrole, eligible_authid, eligible_authrole', async () => {
    const { reach } = await audience()
    expect(await reach({ exclude_authid: ['alice', 'carol'] })).toEqual(['bob'])
    expect(await reach({ exclude_authrole: ['user'] })).toEqual(['alice'])
    expect(await reach({ eligible_authid: ['carol'] })).toEqual(['carol'])
    expect(await reach({ eligible_authrole: ['user'] })).toEqual(['bob', 'carol'])
    expect(await reach({ eligible_authrole: ['user'], exclude_authid: ['bob'] })).toEqual(['carol'])
  })

  it('the publisher is excluded unless exclude_me is false, and lists still apply to it', async () => {
    const { people, reach } = await audience()
    const alice = people.alice!
    expect(await reach({}, alice)).toEqual(['bob', 'carol'])
    expect(await reach({ exclude_me: false }, alice)).toEqual(['alice', 'bob', 'carol'])
    expect(await reach({ exclude_me: false, eligible_authrole: ['admin'] }, alice)).toEqual(['alice'])
  })

  it('malformed lists are refused before sending (the spec vectors make them protocol violations)', async () => {
    const { people } = await audience()
    const malformed: Record<string, unknown>[] = [
      { exclude: 'x' },
      { eligible: [0] },
      { exclude_authid: [1] },
      { exclude_me: 'no' },
    ]
    for (const options of malformed) {
      const error = await failure(people.bob!.publish('test.news', [], {}, { acknowledge: true, ...options }))
      expect(error).toBeInstanceOf(InvalidArgumentError)
    }
  })
})

describe('publisher disclosure', () => {
  it('disclose_me gives publisher, publisher_authid, publisher_authrole; without it nothing', async () => {
    const router = testRouter()
    const subscriber = await join(router)
    const publisher = await join(router)
    const details: Record<string, unknown>[] = []
    await subscriber.subscribe('test.who', (e) => void details.push(e.details))
    await publisher.publish('test.who', [], {}, { acknowledge: true })
    await publisher.publish('test.who', [], {}, { acknowledge: true, disclose_me: true })
    await sleep(10)
    expect(details).toEqual([
      {},
      { publisher: publisher.id, publisher_authid: publisher.realmDetails.authid, publisher_authrole: 'anonymous' },
    ])
  })

  it('refused where disclosure is off: ERROR with acknowledge, silence without, and no event either way', async () => {
    const router = testRouter()
    const subscriber = await join(router, { realm: 'realm2' })
    const publisher = await RawPeer.join(router, 'realm2')
    let events = 0
    await subscriber.subscribe('test.who', () => void events++)
    publisher.send(16, 1, { acknowledge: true, disclose_me: true }, 'test.who')
    expect((await publisher.next()).slice(0, 5)).toEqual([8, 16, 1, {}, 'wamp.error.option_disallowed.disclose_me'])
    publisher.send(16, 2, { disclose_me: true }, 'test.who')
    expect(await publisher.quiet()).toEqual([])
    expect(events).toBe(0)
  })
})

describe('PUBLISH, SUBSCRIBE, UNSUBSCRIBE on the wire', () => {
  it('PUBLISHED only with acknowledge; invalid or reserved topics are refused only then', async () => {
    const router = testRouter()
    const peer = await RawPeer.join(router)
    peer.send(16, 1, {}, 'test.topic', [1])
    peer.send(16, 2, {}, 'a..b')
    expect(await peer.quiet()).toEqual([])
    peer.send(16, 3, { acknowledge: true }, 'test.topic')
    const published = await peer.next()
    expect(published.slice(0, 2)).toEqual([17, 3])
    expect(published[2]).toBeGreaterThanOrEqual(1)
    expect(published[2]).toBeLessThanOrEqual(2 ** 53)
    peer.send(16, 4, { acknowledge: true }, 'a..b')
    expect((await peer.next()).slice(0, 5)).toEqual([8, 16, 4, {}, 'wamp.error.invalid_uri'])
    peer.send(16, 5, { acknowledge: true }, 'wamp.session.on_join')
    expect((await peer.next()).slice(0, 5)).toEqual([8, 16, 5, {}, 'wamp.error.invalid_uri'])
  })

  it('one subscription per topic and policy, shared by sessions; unknown IDs are no_such_subscription', async () => {
    const router = testRouter()
    const one = await RawPeer.join(router)
    const two = await RawPeer.join(router)
    one.send(32, 1, {}, 'test.t')
    one.send(32, 2, {}, 'test.t')
    two.send(32, 1, {}, 'test.t')
    one.send(32, 3, { match: 'prefix' }, 'test.t')
    const [a, b, c, d] = [await one.next(), await one.next(), await two.next(), await one.next()]
    expect(a[2]).toBe(b[2])
    expect(c[2]).toBe(a[2])
    expect(d[2]).not.toBe(a[2])
    two.send(34, 4, d[2])
    expect((await two.next()).slice(0, 5)).toEqual([8, 34, 4, {}, 'wamp.error.no_such_subscription'])
    one.send(34, 5, a[2])
    expect(await one.next()).toEqual([35, 5])
    one.send(34, 6, a[2])
    expect((await one.next())[4]).toBe('wamp.error.no_such_subscription')
  })

  it('SUBSCRIBE refuses an invalid topic; an unknown match policy is a protocol violation (spec vectors)', async () => {
    const router = testRouter()
    const peer = await RawPeer.join(router)
    peer.send(32, 2, {}, 'a..b')
    expect((await peer.next()).slice(0, 5)).toEqual([8, 32, 2, {}, 'wamp.error.invalid_uri'])
    peer.send(32, 1, { match: 'glob' }, 'test.t')
    const abort = await peer.next()
    expect(abort[0]).toBe(3)
    expect(abort[2]).toBe('wamp.error.protocol_violation')
  })

  it('a subscriber that leaves is dropped: its subscription ends with it', async () => {
    const router = testRouter()
    const subscriber = await join(router)
    const before = await subscriber.subscribe('test.gone', () => {})
    await subscriber.close()
    const next = await RawPeer.join(router)
    next.send(32, 1, {}, 'test.gone')
    const [, , id] = await next.next()
    expect(id).not.toBe(before.id)
  })
})
