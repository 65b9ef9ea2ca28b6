import { describe, expect, it } from 'vitest'
import { AuthenticationError, connectLocal, RouterAbortError, RPCError } from '../../src/client/index.js'
import type { HelloInfo } from '../../src/router/index.js'
import { allRoles, failure, join, quietClient, RawPeer, routerWarnings, testRouter } from './support.js'

describe('joining', () => {
  it('WELCOME announces the roles and features the router implements, and an anonymous identity', async () => {
    const router = testRouter()
    const peer = await RawPeer.join(router)
    expect(peer.id).toBeGreaterThanOrEqual(1)
    expect(peer.id).toBeLessThanOrEqual(2 ** 53)
    expect(peer.welcome).toMatchObject({ authrole: 'anonymous', authmethod: 'anonymous', authprovider: 'static' })
    expect(peer.welcome.authid).toBeTypeOf('string')
    expect(peer.welcome.roles).toEqual({
      broker: {
        features: {
          pattern_based_subscription: true,
          publisher_exclusion: true,
          publisher_identification: true,
          subscriber_blackwhite_listing: true,
          subscription_revocation: true,
          session_meta_api: true,
          subscription_meta_api: true,
          event_history: true,
          event_retention: true,
        },
      },
      dealer: {
        features: {
          call_canceling: true,
          call_timeout: true,
          caller_identification: true,
          pattern_based_registration: true,
          progressive_call_results: true,
          progressive_call_invocations: true,
          shared_registration: true,
          registration_revocation: true,
          session_meta_api: true,
          registration_meta_api: true,
        },
      },
    })
  })

  it('an unknown realm gets ABORT no_such_realm; HELLO without roles gets no_such_role', async () => {
    const router = testRouter()
    const error = await failure(join(router, { realm: 'no.such.realm' }))
    expect(error).toBeInstanceOf(RouterAbortError)
    expect((error as RouterAbortError).reason).toBe('wamp.error.no_such_realm')
    const peer = RawPeer.attach(router)
    peer.send(1, 'realm1', { roles: {} })
    expect((await peer.next()).slice(0, 3)).toEqual([3, expect.any(Object), 'wamp.error.no_such_role'])
    expect((await peer.closed).local).toBe(false)
  })

  it('session IDs are random and distinct', async () => {
    const router = testRouter()
    const ids = await Promise.all([1, 2, 3, 4].map(async () => (await RawPeer.join(router)).id))
    expect(new Set(ids).size).toBe(4)
  })
})

describe('authenticate hook', () => {
  const ticketRealm = {
    authenticate: async (hello: HelloInfo) => {
      if (!hello.authmethods.includes('ticket')) throw new Error('ticket required')
      const { signature } = await hello.challenge('ticket', {})
      if (signature !== 'sesame') throw new Error('invalid ticket')
      return { authid: hello.authid ?? '?', authrole: 'member', authextra: { welcome: true } }
    },
  }
  const ticket = (secret: string) => [{ method: 'ticket', authid: 'ann', respond: () => ({ signature: secret }) }]

  it('a CHALLENGE round: the right answer joins with the identity the hook returns', async () => {
    const router = testRouter({ club: ticketRealm })
    const client = await join(router, { realm: 'club', auth: ticket('sesame') })
    expect(client.realmDetails).toMatchObject({
      authid: 'ann',
      authrole: 'member',
      authmethod: 'ticket',
      authprovider: 'static',
      authextra: { welcome: true },
    })
  })

  it('the hook throwing refuses with authentication_failed and its message; an RPCError chooses the reason', async () => {
    const router = testRouter({
      club: ticketRealm,
      closed: {
        authenticate: () => {
          throw new RPCError('wamp.error.not_authorized')
        },
      },
    })
    const wrong = (await failure(join(router, { realm: 'club', auth: ticket('nope') }))) as AuthenticationError
    expect(wrong).toBeInstanceOf(AuthenticationError)
    expect(wrong.reason).toBe('wamp.error.authentication_failed')
    expect(wrong.details.message).toBe('invalid ticket')
    const anonymous = (await failure(join(router, { realm: 'club' }))) as AuthenticationError
    expect(anonymous.details.message).toBe('ticket required')
    const closed = (await failure(join(router, { realm: 'closed' }))) as AuthenticationError
    expect(closed.reason).toBe('wamp.error.not_authorized')
  })

  it('a peer that leaves during the challenge does not disturb the router', async () => {
    let rejected: unknown
    const router = testRouter({
      club: {
        authenticate: async (hello: HelloInfo) => {
          try {
            await hello.challenge('ticket')
          } catch (error) {
            rejected = error
          }
          throw new Error('gone')
        },
      },
      realm1: {},
    })
    const peer = RawPeer.attach(router)
    peer.send(1, 'club', { roles: allRoles, authmethods: ['ticket'] })
    expect((await peer.next())[0]).toBe(4)
    peer.close()
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(rejected).toBeInstanceOf(Error)
    expect((await join(router)).isOpen).toBe(true)
  })
})

describe('bad input never crashes the router or other sessions', () => {
  const badMessages: [string, unknown][] = [
    ['not a list', { hello: 1 }],
    ['an empty list', []],
    ['an unknown type', [99, 1, {}]],
    ['a router-only message', [2, 1, {}]],
    ['a string request ID', [48, 'one', {}, 'test.p']],
    ['a request ID of 0', [32, 0, {}, 'test.t']],
    ['a request ID above 2^53', [16, 2 ** 53 + 2, {}, 'test.t']],
    ['options that are a list', [64, 1, [], 'test.p']],
    ['a topic that is a number', [16, 1, {}, 42]],
    ['args that are a dict', [48, 1, {}, 'test.p', { a: 1 }]],
    ['kwargs that are a list', [70, 1, {}, [], []]],
    ['too many fields', [34, 1, 2, 3]],
    ['too few fields', [48, 1, {}]],
    ['ERROR for a CALL', [8, 48, 1, {}, 'wamp.error.x']],
    ['a second HELLO', [1, 'realm1', { roles: allRoles }]],
    ['AUTHENTICATE after joining', [5, 'sig', {}]],
  ]

  it.each(badMessages)('%s: ABORT protocol_violation for that peer only', async (_name, bad) => {
    const router = testRouter()
    const callee = await join(router)
    await callee.register('test.ok', ({ args }) => ({ args }))
    const peer = await RawPeer.join(router)
    peer.sendRaw(bad)
    const abort = await peer.next()
    expect(abort[0]).toBe(3)
    expect(abort[2]).toBe('wamp.error.protocol_violation')
    expect((abort[1] as { message: string }).message).toBeTypeOf('string')
    expect((await peer.closed).local).toBe(false)
    expect(routerWarnings.some((w) => w.includes('protocol violation'))).toBe(true)
    const caller = await join(router)
    expect((await caller.call('test.ok', ['still fine'])).args).toEqual(['still fine'])
    expect(callee.isOpen).toBe(true)
  })

  it('a message before HELLO: ABORT protocol_violation', async () => {
    const router = testRouter()
    const peer = RawPeer.attach(router)
    peer.send(48, 1, {}, 'test.p')
    expect((await peer.next())[2]).toBe('wamp.error.protocol_violation')
  })

  it('a callee answering invocations it never got, or twice, is ignored', async () => {
    const router = testRouter()
    const callee = await RawPeer.join(router)
    await callee.register('test.p')
    const caller = await join(router)
    callee.send(70, 999, {}, ['nobody asked'])
    callee.send(8, 68, 998, {}, 'wamp.error.x')
    const call = caller.call('test.p')
    const [, invocation] = await callee.next()
    callee.send(70, invocation, {}, ['once'])
    callee.send(70, invocation, {}, ['twice'])
    expect((await call).args).toEqual(['once'])
    expect(await callee.quiet()).toEqual([])
    expect(caller.isOpen).toBe(true)
  })

  it('GOODBYE is echoed with goodbye_and_out and the session leaves the realm', async () => {
    const router = testRouter()
    const peer = await RawPeer.join(router)
    const other = await join(router)
    peer.send(6, {}, 'wamp.close.close_realm')
    expect(await peer.next()).toEqual([6, {}, 'wamp.close.goodbye_and_out'])
    expect((await other.call('wamp.session.list')).args).toEqual([[other.id]])
  })
})

describe('router.close()', () => {
  it('sends GOODBYE system_shutdown to every session and refuses new ones', async () => {
    const router = testRouter()
    const clients = [await join(router), await join(router)]
    await router.close()
    for (const client of clients) {
      expect(await client.closed).toMatchObject({ reason: 'wamp.close.system_shutdown', initiator: 'router' })
    }
    const late = await failure(connectLocal(router, { realm: 'realm1', logger: quietClient }))
    expect((late as { code: string }).code).toBe('connection_lost')
  })
})
