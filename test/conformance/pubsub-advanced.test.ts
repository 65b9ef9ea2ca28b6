import { afterEach, describe, expect, it } from 'vitest'
import type { Client, Event, PublishOptions } from '../../src/client/index.js'
import { getSession, listSubscribers, lookupSubscription } from '../../src/meta/index.js'
import { type AutobahnSession, openAutobahn } from '../support/autobahn-peer.js'
import { sessions, targets, uniqueUri } from './targets.js'

/** What one subscriber received, in order; `until(marker)` waits for the event whose args[0] is `marker`. */
function inbox(ms = 5000) {
  const events: Event[] = []
  const waiters: { marker: unknown; resolve: () => void }[] = []
  return {
    events,
    handler(event: Event) {
      events.push(event)
      for (const waiter of waiters.filter((w) => w.marker === event.args[0])) waiter.resolve()
    },
    /** The first argument of every event, e.g. the labels the tests publish. */
    labels: () => events.map((event) => event.args[0]),
    until(marker: unknown): Promise<void> {
      if (events.some((event) => event.args[0] === marker)) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${String(marker)} did not arrive within ${ms} ms`)), ms)
        waiters.push({
          marker,
          resolve: () => {
            clearTimeout(timer)
            resolve()
          },
        })
      })
    },
  }
}

/**
 * Events from one publisher reach each subscriber in publication order, so a last publication that
 * every subscriber gets ("fence") proves that nothing else is still on its way.
 */
async function fence(publisher: Client, topic: string, boxes: ReturnType<typeof inbox>[]): Promise<void> {
  await publisher.publish(topic, ['fence'], {}, { acknowledge: true })
  await Promise.all(boxes.map((box) => box.until('fence')))
}

describe.each(targets())('advanced PubSub: $label', (target) => {
  const pool = sessions(target)
  const peers: { close(): void }[] = []
  const autobahnPeer = async (): Promise<AutobahnSession> => {
    const opened = await openAutobahn(target.wsUrl, 'realm1', target.serialization)
    peers.push(opened)
    return opened.session
  }
  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.close()
    await pool.closeAll()
  })

  it('prefix subscription: events for every topic that starts with the prefix, with Details.topic (§6.20)', async () => {
    const subscriber = await pool.join()
    const publisher = await pool.join()
    const base = uniqueUri('psa.prefix')
    const box = inbox()
    const subscription = await subscriber.subscribe(`${base}.a`, box.handler, { match: 'prefix' })
    for (const topic of [`${base}.a.b`, `${base}.a`, `${base}.b`, `${base}.a.b.c`, `${base}.ab`]) {
      await publisher.publish(topic, [topic], {}, { acknowledge: true })
    }
    await publisher.publish(`${base}.a.end`, ['end'], {}, { acknowledge: true })
    await box.until('end')
    // Prefix matching compares plain strings (the spec's own example: `…emergency` matches
    // `…emergency-low`), so `${base}.ab` matches `${base}.a` too; `${base}.b` does not.
    expect(box.labels()).toEqual([`${base}.a.b`, `${base}.a`, `${base}.a.b.c`, `${base}.ab`, 'end'])
    for (const event of box.events) expect(event.subscription).toBe(subscription.id)
    // Details.topic carries the published topic; the Event's topic follows it.
    expect(box.events.map((event) => event.details.topic)).toEqual([
      `${base}.a.b`,
      `${base}.a`,
      `${base}.a.b.c`,
      `${base}.ab`,
      `${base}.a.end`,
    ])
    expect(box.events.map((event) => event.topic)).toEqual(box.events.map((event) => event.details.topic))
  })

  it('wildcard subscription: an empty component matches exactly one component (§6.21)', async () => {
    const subscriber = await pool.join()
    const publisher = await pool.join()
    const base = uniqueUri('psa.wildcard')
    const box = inbox()
    await subscriber.subscribe(`${base}..c`, box.handler, { match: 'wildcard' })
    for (const topic of [`${base}.x.c`, `${base}.x.y.c`, `${base}.x.c.d`, `${base}.c`, `${base}.yy.c`]) {
      await publisher.publish(topic, [topic], {}, { acknowledge: true })
    }
    await publisher.publish(`${base}.end.c`, ['end'], {}, { acknowledge: true })
    await box.until('end')
    expect(box.labels()).toEqual([`${base}.x.c`, `${base}.yy.c`, 'end'])
    expect(box.events.map((event) => event.topic)).toEqual([`${base}.x.c`, `${base}.yy.c`, `${base}.end.c`])
    expect(box.events.map((event) => event.details.topic)).toEqual(box.events.map((event) => event.topic))
  })

  it('an event matching several subscriptions comes once per subscription, with one publication ID (§6.22)', async () => {
    const subscriber = await pool.join()
    const other = await pool.join()
    const publisher = await pool.join()
    const base = uniqueUri('psa.multi')
    const topic = `${base}.a.b`
    const exact = inbox()
    const prefix = inbox()
    const wildcard = inbox()
    const s1 = await subscriber.subscribe(topic, exact.handler)
    const s2 = await subscriber.subscribe(`${base}.a`, prefix.handler, { match: 'prefix' })
    const s3 = await other.subscribe(`${base}..b`, wildcard.handler, { match: 'wildcard' })
    expect(new Set([s1.id, s2.id, s3.id]).size).toBe(3)
    expect(subscriber.stats.subscriptions).toBe(2)
    await publisher.publish(topic, ['once'], { k: 1 }, { acknowledge: true })
    await Promise.all([exact.until('once'), prefix.until('once'), wildcard.until('once')])
    const events = [exact.events[0]!, prefix.events[0]!, wildcard.events[0]!]
    expect(events.map((event) => event.subscription)).toEqual([s1.id, s2.id, s3.id])
    expect(new Set(events.map((event) => event.publication)).size).toBe(1)
    for (const event of events) {
      expect(event.topic).toBe(topic)
      expect(event.kwargs).toEqual({ k: 1 })
    }
    // The exact subscription's EVENT needs no Details.topic; the pattern ones carry it.
    expect(prefix.events[0]!.details.topic).toBe(topic)
    expect(wildcard.events[0]!.details.topic).toBe(topic)
  })

  it('exclude, eligible and the authid/authrole lists pick the recipients (§6.23)', async () => {
    const [a, b, c] = [await pool.join(), await pool.join(), await pool.join()]
    const publisher = await pool.join()
    const topic = uniqueUri('psa.filter')
    const boxes = [inbox(), inbox(), inbox()] as const
    await a.subscribe(topic, boxes[0].handler)
    await b.subscribe(topic, boxes[1].handler)
    await c.subscribe(topic, boxes[2].handler)
    const authid = (client: Client) => client.realmDetails.authid as string
    // Anonymous sessions get a random authid each on every router, so authids tell a, b and c apart.
    expect(new Set([a, b, c].map(authid)).size).toBe(3)
    const role = a.realmDetails.authrole as string
    const cases: [string, PublishOptions, string][] = [
      ['exclude a', { exclude: [a.id] }, 'bc'],
      ['eligible b', { eligible: [b.id] }, 'b'],
      ['eligible a+b, exclude b', { eligible: [a.id, b.id], exclude: [b.id] }, 'a'],
      ['exclude_authid c', { exclude_authid: [authid(c)] }, 'ab'],
      ['eligible_authid a', { eligible_authid: [authid(a)] }, 'a'],
      [
        'eligible_authid a+c, exclude_authid a',
        { eligible_authid: [authid(a), authid(c)], exclude_authid: [authid(a)] },
        'c',
      ],
      ['exclude_authrole own', { exclude_authrole: [role] }, ''],
      ['exclude_authrole other', { exclude_authrole: ['no_such_role'] }, 'abc'],
      ['eligible_authrole own', { eligible_authrole: [role] }, 'abc'],
      ['eligible_authrole other', { eligible_authrole: ['no_such_role'] }, ''],
      ['eligible_authrole own, exclude b', { eligible_authrole: [role], exclude: [b.id] }, 'ac'],
    ]
    for (const [label, options] of cases) await publisher.publish(topic, [label], {}, { acknowledge: true, ...options })
    await fence(publisher, topic, [...boxes])
    const expected = (who: string) => [...cases.filter(([, , to]) => to.includes(who)).map(([label]) => label), 'fence']
    expect(boxes[0].labels()).toEqual(expected('a'))
    expect(boxes[1].labels()).toEqual(expected('b'))
    expect(boxes[2].labels()).toEqual(expected('c'))
  })

  it('disclose_me gives the subscriber publisher, publisher_authid and publisher_authrole (§6.24)', async () => {
    const subscriber = await pool.join()
    const publisher = await pool.join()
    const topic = uniqueUri('psa.disclose')
    const box = inbox()
    await subscriber.subscribe(topic, box.handler)
    await publisher.publish(topic, ['disclosed'], {}, { acknowledge: true, disclose_me: true })
    await publisher.publish(topic, ['plain'], {}, { acknowledge: true })
    await box.until('plain')
    const identity = {
      publisher: publisher.id,
      publisher_authid: publisher.realmDetails.authid,
      publisher_authrole: publisher.realmDetails.authrole,
    }
    expect(box.events[0]!.details).toMatchObject(identity)
    if (target.router === 'crossbar') {
      // Crossbar.io: realm1's role has `disclose: {publisher: true}`, which discloses every
      // publisher, asked or not.
      expect(box.events[1]!.details).toMatchObject(identity)
    } else {
      expect(box.events[1]!.details.publisher).toBeUndefined()
      expect(box.events[1]!.details.publisher_authid).toBeUndefined()
    }
  })

  it('disclose_me without acknowledge where disclosure is off: nothing leaks and the session lives (§6.25)', async () => {
    // The acknowledged case is in pubsub.test.ts; here the refusal has no reply to travel with.
    const subscriber = await pool.join({ realm: 'realm2' })
    const publisher = await pool.join({ realm: 'realm2' })
    const topic = uniqueUri('psa.nodisclose')
    const box = inbox()
    await subscriber.subscribe(topic, box.handler)
    await publisher.publish(topic, ['asked'], {}, { disclose_me: true })
    await fence(publisher, topic, [box])
    if (target.router === 'crossbar') {
      // Crossbar.io does not refuse disclose_me; realm2's `disclose: {publisher: false}` withholds the identity.
      expect(box.labels()).toEqual(['asked', 'fence'])
    } else {
      // nexus (allow_disclose off) and the local router refuse the publication: no event.
      expect(box.labels()).toEqual(['fence'])
    }
    for (const event of box.events) expect(event.details.publisher).toBeUndefined()
    expect(publisher.isOpen).toBe(true)
  })

  it('binary payloads arrive as Uint8Array in args and kwargs, nested and empty (§6.27)', async () => {
    const subscriber = await pool.join()
    const publisher = await pool.join()
    const topic = uniqueUri('psa.binary')
    const box = inbox()
    await subscriber.subscribe(`${topic}.`, box.handler, { match: 'prefix' })
    const big = new Uint8Array(64 * 1024).map((_, i) => (i * 7) % 256)
    const args = ['bytes', new Uint8Array(0), Uint8Array.of(0, 255, 0), [Uint8Array.of(9)], { deep: Uint8Array.of(1) }]
    const kwargs = { big, text: '\u0000not bytes, a string starting with NUL' }
    // JSON would turn a string starting with NUL into bytes on the way back (the spec's rule): not sent over JSON.
    if (target.serialization === 'json') delete (kwargs as Partial<typeof kwargs>).text
    await publisher.publish(`${topic}.x`, args, kwargs, { acknowledge: true })
    await box.until('bytes')
    const event = box.events[0]!
    expect(event.args).toEqual(args)
    expect(event.kwargs).toEqual(kwargs)
    expect(event.args[1]).toBeInstanceOf(Uint8Array)
    expect(event.kwargs.big).toBeInstanceOf(Uint8Array)
    expect((event.kwargs.big as Uint8Array).length).toBe(big.length)
  })

  it('retain and get_retained: a broker with event_retention replays the last retained event (Crossbar.io; not nexus)', async () => {
    const publisher = await pool.join()
    const early = await pool.join()
    const topic = uniqueUri('psa.retain')
    const live = inbox()
    await early.subscribe(topic, live.handler)
    await publisher.publish(topic, ['first'], {}, { acknowledge: true, retain: true })
    await publisher.publish(topic, ['second'], {}, { acknowledge: true, retain: true })
    await live.until('second') // retain does not change delivery to current subscribers
    expect(live.labels()).toEqual(['first', 'second'])
    const late = await pool.join()
    const box = inbox()
    await late.subscribe(topic, box.handler, { get_retained: true })
    const retains = publisher.hasFeature('broker', 'event_retention')
    // Crossbar.io announces and implements event retention; nexus 3.3 has none.
    if (target.router !== 'local') expect(retains).toBe(target.router === 'crossbar')
    if (retains) {
      // The retained EVENT follows SUBSCRIBED at once (same socket read); it must reach the handler.
      await box.until('second')
      expect(box.events[0]!.details.retained).toBe(true)
      await fence(publisher, topic, [box, live])
      expect(box.labels()).toEqual(['second', 'fence'])
    } else {
      // Without event retention the broker ignores `retain` and `get_retained`.
      await fence(publisher, topic, [box, live])
      expect(box.labels()).toEqual(['fence'])
    }
  })

  it('retain with no subscriber at all: the event is kept for the first get_retained subscriber (Crossbar.io)', async () => {
    const publisher = await pool.join()
    const topic = uniqueUri('psa.retain_alone')
    await publisher.publish(topic, ['kept'], { n: 1 }, { acknowledge: true, retain: true, disclose_me: true })
    const late = await pool.join()
    const box = inbox()
    const plain = inbox()
    await late.subscribe(topic, box.handler, { get_retained: true })
    await late.subscribe(topic, plain.handler) // same topic without get_retained: a second SUBSCRIBE, shared ID
    const retains = publisher.hasFeature('broker', 'event_retention')
    if (retains) {
      await box.until('kept')
      expect(box.events[0]!.kwargs).toEqual({ n: 1 })
      expect(box.events[0]!.details).toMatchObject({ retained: true, publisher: publisher.id })
    }
    await fence(publisher, topic, [box, plain])
    expect(box.labels()).toEqual(retains ? ['kept', 'fence'] : ['fence'])
    // The second handler joined after the replay, and its own SUBSCRIBE did not ask for one.
    expect(plain.labels()).toEqual(['fence'])
    expect(late.stats.subscriptions).toBe(1)
  })

  it('Autobahn|JS publishes to our prefix and wildcard subscriptions, with disclosure', async () => {
    const subscriber = await pool.join()
    const base = uniqueUri('psa.ab_pattern')
    const prefix = inbox()
    const wildcard = inbox()
    const ps = await subscriber.subscribe(`${base}.p`, prefix.handler, { match: 'prefix' })
    const ws = await subscriber.subscribe(`${base}..w`, wildcard.handler, { match: 'wildcard' })
    const autobahn = await autobahnPeer()
    await autobahn.publish(`${base}.p.one`, ['p1'], { from: 'autobahn' }, { acknowledge: true, disclose_me: true })
    await autobahn.publish(`${base}.x.w`, ['w1'], {}, { acknowledge: true })
    await autobahn.publish(`${base}.x.y.w`, ['not matched'], {}, { acknowledge: true })
    await autobahn.publish(`${base}.p.w`, ['both'], {}, { acknowledge: true })
    await Promise.all([prefix.until('both'), wildcard.until('both')])
    expect(prefix.labels()).toEqual(['p1', 'both'])
    expect(wildcard.labels()).toEqual(['w1', 'both'])
    expect(prefix.events.map((event) => event.topic)).toEqual([`${base}.p.one`, `${base}.p.w`])
    expect(wildcard.events.map((event) => event.topic)).toEqual([`${base}.x.w`, `${base}.p.w`])
    expect(prefix.events.every((event) => event.subscription === ps.id)).toBe(true)
    expect(wildcard.events.every((event) => event.subscription === ws.id)).toBe(true)
    expect(prefix.events[1]!.publication).toBe(wildcard.events[1]!.publication)
    const first = prefix.events[0]!
    expect(first.kwargs).toEqual({ from: 'autobahn' })
    expect(first.details.publisher).toBe(autobahn.id)
    expect(first.details.publisher_authrole).toBe('anonymous')
    expect(first.details.publisher_authid).toBe((await getSession(subscriber, autobahn.id)).authid)
  })

  it('our filtered publications reach exactly the chosen Autobahn|JS subscribers', async () => {
    const [one, two] = [await autobahnPeer(), await autobahnPeer()]
    const topic = uniqueUri('psa.ab_filter')
    const received: Record<'one' | 'two', unknown[]> = { one: [], two: [] }
    const details: Record<string, unknown>[] = []
    const fences: Promise<void>[] = []
    for (const name of ['one', 'two'] as const) {
      let arrived = () => {}
      fences.push(
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no fence for Autobahn|JS ${name}`)), 5000)
          arrived = () => {
            clearTimeout(timer)
            resolve()
          }
        }),
      )
      await (name === 'one' ? one : two).subscribe(topic, (args, _kwargs, eventDetails) => {
        received[name].push(args[0])
        if (name === 'one') details.push(eventDetails)
        if (args[0] === 'fence') arrived()
      })
    }
    const publisher = await pool.join()
    if (publisher.hasFeature('broker', 'subscription_meta_api')) {
      // The router's view of it: one subscription, both Autobahn|JS sessions on it.
      const subscription = await lookupSubscription(publisher, topic)
      expect((await listSubscribers(publisher, subscription!)).sort()).toEqual([one.id, two.id].sort())
    }
    const authidOf = async (session: AutobahnSession) => (await getSession(publisher, session.id)).authid as string
    const cases: [string, PublishOptions, string[]][] = [
      ['eligible one', { eligible: [one.id], disclose_me: true }, ['one']],
      ['exclude one', { exclude: [one.id] }, ['two']],
      ['eligible_authid two', { eligible_authid: [await authidOf(two)] }, ['two']],
      ['exclude_authid two', { exclude_authid: [await authidOf(two)] }, ['one']],
      ['exclude_authrole anonymous', { exclude_authrole: ['anonymous'] }, []],
      ['eligible_authrole anonymous', { eligible_authrole: ['anonymous'] }, ['one', 'two']],
      ['exclude_me false', { exclude_me: false }, ['one', 'two']],
    ]
    for (const [label, options] of cases) await publisher.publish(topic, [label], {}, { acknowledge: true, ...options })
    await publisher.publish(topic, ['fence'], {}, { acknowledge: true })
    await Promise.all(fences)
    for (const name of ['one', 'two'] as const) {
      expect(received[name]).toEqual([
        ...cases.filter(([, , to]) => to.includes(name)).map(([label]) => label),
        'fence',
      ])
    }
    expect(details[0]!.publisher).toBe(publisher.id) // 'eligible one' asked for disclosure
  })
})
