import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, RPCError } from '../../src/client/index.js'
import {
  addTestament,
  countSubscribers,
  flushTestaments,
  getEvents,
  getRegistration,
  getSubscription,
  killAll,
  killByAuthid,
  killByAuthrole,
  listSubscriptions,
  lookupRegistration,
  MetaReplyError,
  matchSubscriptions,
  onRegistrationCreate,
  onSessionJoin,
  onSessionLeave,
  onSubscriptionDelete,
  parseEventHistory,
  sessionCount,
} from '../../src/meta/index.js'
import { type FakeRouter, joinedClient, quietLogger } from '../support/fake-router.js'

const CALL = 48
const SUBSCRIBE = 32

/** The n-th CALL the client sent (0-based), once it is sent. */
async function nthCall(router: FakeRouter, n: number): Promise<unknown[]> {
  for (let i = 0; i < 200; i++) {
    const calls = router.sentOfType(CALL)
    if (calls.length > n) return calls[n]!
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
  throw new Error(`CALL #${n} was never sent`)
}

/** Answers the n-th CALL with RESULT (args, kwargs) and returns the CALL. */
async function result(router: FakeRouter, n: number, args?: unknown[], kwargs?: object): Promise<unknown[]> {
  const call = await nthCall(router, n)
  router.deliver(50, call[1], {}, ...(args === undefined ? [] : [args]), ...(kwargs === undefined ? [] : [kwargs]))
  return call
}

/** Answers the n-th CALL with ERROR. */
async function error(router: FakeRouter, n: number, uri: string): Promise<unknown[]> {
  const call = await nthCall(router, n)
  router.deliver(8, CALL, call[1], {}, uri)
  return call
}

describe('meta helpers: the wire and the shapes routers answer with', () => {
  it('countSubscribers tries nexus’s misspelled count_suscribers only on no_such_procedure', async () => {
    const { client, router } = await joinedClient()
    const counting = countSubscribers(client, 7)
    expect((await error(router, 0, 'wamp.error.no_such_procedure')).slice(2)).toEqual([
      {},
      'wamp.subscription.count_subscribers',
      [7],
    ])
    expect((await result(router, 1, [3])).slice(3)).toEqual(['wamp.subscription.count_suscribers', [7]])
    expect(await counting).toBe(3)

    // Any other error is the answer: no second call.
    const unknown = countSubscribers(client, 8).catch((e: unknown) => e)
    await error(router, 2, 'wamp.error.no_such_subscription')
    expect(((await unknown) as RPCError).uri).toBe('wamp.error.no_such_subscription')
    expect(router.sentOfType(CALL)).toHaveLength(3)

    // Neither name known: the standard name's error.
    const neither = countSubscribers(client, 9).catch((e: unknown) => e)
    await error(router, 3, 'wamp.error.no_such_procedure')
    const fallback = await error(router, 4, 'wamp.error.no_such_procedure')
    expect(fallback[3]).toBe('wamp.subscription.count_suscribers')
    const failure = (await neither) as RPCError
    expect(failure).toBeInstanceOf(RPCError)
    expect(failure.uri).toBe('wamp.error.no_such_procedure')
  })

  it('getEvents normalizes nexus’s Go field names', () => {
    const history = parseEventHistory({
      procedure: 'wamp.subscription.get_events',
      args: [
        {
          Subscription: 1,
          Publication: 11,
          Details: { topic: 'test.history.a' },
          Arguments: [1, Uint8Array.of(1)],
          ArgumentsKw: { n: 1 },
        },
        { Subscription: 1, Publication: 12, Details: {}, Arguments: null, ArgumentsKw: null },
      ],
      kwargs: { is_limit_reached: true },
    })
    expect(history).toEqual({
      events: [
        {
          publication: 11,
          subscription: 1,
          topic: 'test.history.a',
          details: { topic: 'test.history.a' },
          args: [1, Uint8Array.of(1)],
          kwargs: { n: 1 },
        },
        { publication: 12, subscription: 1, details: {}, args: [], kwargs: {} },
      ],
      limitReached: true,
    })
  })

  it('getEvents normalizes Crossbar.io’s records (one list argument, time_ns, no details)', () => {
    const time = Date.UTC(2030, 0, 2, 3, 4, 5, 678)
    const history = parseEventHistory({
      procedure: 'wamp.subscription.get_events',
      args: [
        [
          {
            time_ns: time * 1e6,
            realm: 'realm1',
            session_id: 42,
            authid: 'ABC',
            authrole: 'anonymous',
            publication: 99,
            topic: 'test.history.b',
            args: ['x'],
            kwargs: null,
          },
        ],
      ],
      kwargs: {},
    })
    expect(history).toEqual({
      events: [
        {
          publication: 99,
          topic: 'test.history.b',
          timestamp: '2030-01-02T03:04:05.678Z',
          details: { time_ns: time * 1e6, realm: 'realm1', session_id: 42, authid: 'ABC', authrole: 'anonymous' },
          args: ['x'],
          kwargs: {},
        },
      ],
    })
    // An empty Crossbar.io history is one empty list; an empty nexus history is no arguments.
    expect(parseEventHistory({ procedure: 'p', args: [[]], kwargs: {} })).toEqual({ events: [] })
    expect(parseEventHistory({ procedure: 'p', args: [], kwargs: { is_limit_reached: false } })).toEqual({
      events: [],
      limitReached: false,
    })
  })

  it('getEvents reads the spec’s shape and sends the filters as kwargs (Dates as RFC 3339)', async () => {
    const { client, router } = await joinedClient()
    const reading = getEvents(client, 5, {
      limit: 2,
      reverse: true,
      from_time: new Date(Date.UTC(2030, 0, 1)),
      topic: undefined,
    })
    const call = await result(
      router,
      0,
      [
        {
          timestamp: '2030-01-01T00:00:01.000Z',
          subscription: 5,
          publication: 8,
          details: { topic: 't.x' },
          args: [1],
          kwargs: { a: 1 },
        },
      ],
      { is_limit_reached: false },
    )
    expect(call.slice(3)).toEqual([
      'wamp.subscription.get_events',
      [5],
      { limit: 2, reverse: true, from_time: '2030-01-01T00:00:00.000Z' },
    ])
    expect(await reading).toEqual({
      events: [
        {
          publication: 8,
          subscription: 5,
          topic: 't.x',
          timestamp: '2030-01-01T00:00:01.000Z',
          details: { topic: 't.x' },
          args: [1],
          kwargs: { a: 1 },
        },
      ],
      limitReached: false,
    })
  })

  it('malformed replies reject with MetaReplyError naming the procedure', async () => {
    const { client, router } = await joinedClient()
    const counting = sessionCount(client).catch((e: unknown) => e)
    await result(router, 0, ['many'])
    const failure = (await counting) as MetaReplyError
    expect(failure).toBeInstanceOf(MetaReplyError)
    expect(failure.procedure).toBe('wamp.session.count')
    expect(failure.reply.args).toEqual(['many'])
    expect(() => parseEventHistory({ procedure: 'p', args: [{ no: 'publication' }], kwargs: {} })).toThrow(
      MetaReplyError,
    )
  })

  it('kill_by_* and kill_all: a count (nexus) or the list of killed sessions (Crossbar.io, spec)', async () => {
    const { client, router } = await joinedClient()
    const byAuthid = killByAuthid(client, 'bob', { reason: 'com.example.bye' })
    const first = await result(router, 0, [2])
    expect(first.slice(3)).toEqual(['wamp.session.kill_by_authid', ['bob'], { reason: 'com.example.bye' }])
    expect(await byAuthid).toEqual({ count: 2 })
    const byRole = killByAuthrole(client, 'guest', { message: 'm' })
    await result(router, 1, [[11, 12]])
    expect(await byRole).toEqual({ count: 2, sessions: [11, 12] })
    const all = killAll(client)
    const third = await result(router, 2, [[]])
    expect(third.slice(3)).toEqual(['wamp.session.kill_all']) // no empty payload on the wire
    expect(await all).toEqual({ count: 0, sessions: [] })
  })

  it('lookup answers 0 (nexus) or null (Crossbar.io) for none; lists turn null into []', async () => {
    const { client, router } = await joinedClient()
    const nexusNone = lookupRegistration(client, 'a.b', { match: 'prefix' })
    const call = await result(router, 0, [0])
    expect(call.slice(3)).toEqual(['wamp.registration.lookup', ['a.b', { match: 'prefix' }]])
    expect(await nexusNone).toBeUndefined()
    const crossbarNone = lookupRegistration(client, 'a.b')
    expect((await result(router, 1, [null])).slice(4)).toEqual([['a.b']])
    expect(await crossbarNone).toBeUndefined()
    const matched = matchSubscriptions(client, 'a.b')
    await result(router, 2, [null])
    expect(await matched).toEqual([])
    const listed = listSubscriptions(client)
    await result(router, 3, [{ exact: [1, 2], prefix: [3], wildcard: null }])
    expect(await listed).toEqual({ exact: [1, 2], prefix: [3], wildcard: [] })
  })

  it('get normalizes nexus’s empty match and invoke to exact and single', async () => {
    const { client, router } = await joinedClient()
    const registration = getRegistration(client, 4)
    await result(router, 0, [{ id: 4, created: '2030-01-01T00:00:00Z', uri: 'a.b', match: '', invoke: '' }])
    expect(await registration).toEqual({
      id: 4,
      created: '2030-01-01T00:00:00Z',
      uri: 'a.b',
      match: 'exact',
      invoke: 'single',
    })
    const subscription = getSubscription(client, 5)
    await result(router, 1, [{ id: 5, created: '2030-01-01T00:00:00Z', uri: 'a.', match: 'prefix' }])
    expect(await subscription).toEqual({ id: 5, created: '2030-01-01T00:00:00Z', uri: 'a.', match: 'prefix' })
  })

  it('testaments: all three positional arguments always go out; options only when given', async () => {
    const { client, router } = await joinedClient()
    const adding = addTestament(client, 'a.gone')
    const call = await result(router, 0) // nexus answers nothing
    expect(call.slice(3)).toEqual(['wamp.session.add_testament', ['a.gone', [], {}]])
    expect(await adding).toBeUndefined()
    const detailed = addTestament(
      client,
      'a.gone',
      [1],
      { k: 2 },
      { scope: 'detached', publishOptions: { retain: true } },
    )
    const second = await result(router, 1, [1234]) // Crossbar.io answers the publication ID
    expect(second.slice(3)).toEqual([
      'wamp.session.add_testament',
      ['a.gone', [1], { k: 2 }],
      { publish_options: { retain: true }, scope: 'detached' },
    ])
    expect(await detailed).toBe(1234)
    const flushing = flushTestaments(client, 'detached')
    const third = await result(router, 2, [1])
    expect(third.slice(3)).toEqual(['wamp.session.flush_testaments', [], { scope: 'detached' }])
    expect(await flushing).toBe(1)
    await expect(flushTestaments(client, 'later' as 'detached')).rejects.toBeInstanceOf(InvalidArgumentError)
    await expect(getRegistration(client, -1)).rejects.toBeInstanceOf(InvalidArgumentError)
    expect(router.sentOfType(CALL)).toHaveLength(3)
  })

  it('meta events are typed; a payload of the wrong shape reaches the logger, not the handler', async () => {
    const logger = quietLogger()
    const { client, router } = await joinedClient({ logger })
    const seen: unknown[] = []
    const subscribing = [
      onSessionJoin(client, (session) => seen.push(['join', session.session])),
      onSessionLeave(client, (left) => seen.push(['leave', left])),
      onRegistrationCreate(client, (event) => seen.push(['create', event])),
      onSubscriptionDelete(client, (event) => seen.push(['delete', event])),
    ]
    for (let i = 0; i < subscribing.length; i++) {
      const subscribe = router.sentOfType(SUBSCRIBE)[i] ?? (await router.nextSent(SUBSCRIBE, router.sent.length))
      router.deliver(33, subscribe[1], 100 + i)
      await subscribing[i]
    }
    expect(router.sentOfType(SUBSCRIBE).map((m) => m[3])).toEqual([
      'wamp.session.on_join',
      'wamp.session.on_leave',
      'wamp.registration.on_create',
      'wamp.subscription.on_delete',
    ])
    router.deliver(36, 100, 1, {}, [{ session: 7, authid: 'x' }])
    router.deliver(36, 101, 2, {}, [7]) // Crossbar.io: [session] only
    router.deliver(36, 101, 3, {}, [8, 'bob', 'user'])
    router.deliver(36, 102, 4, {}, [7, { id: 3, created: 'c', uri: 'a.b', match: '', invoke: 'roundrobin' }])
    router.deliver(36, 103, 5, {}, [null, 9]) // Crossbar.io: a session that has left is null
    router.deliver(36, 100, 6, {}, ['not details'])
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(seen).toEqual([
      ['join', 7],
      ['leave', { session: 7 }],
      ['leave', { session: 8, authid: 'bob', authrole: 'user' }],
      [
        'create',
        { session: 7, registration: { id: 3, created: 'c', uri: 'a.b', match: 'exact', invoke: 'roundrobin' } },
      ],
      ['delete', { session: undefined, subscription: 9 }],
    ])
    const errors = logger.logged.filter((entry) => entry.level === 'error')
    expect(errors).toHaveLength(1)
    expect(String(errors[0]!.data[0])).toMatch(/wamp.session.on_join carried \["not details"\]/)
    expect(client.isOpen).toBe(true)
  })
})
