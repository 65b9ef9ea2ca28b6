import { describe, expect, it } from 'vitest'
import { createClient } from '../../src/client/connect.js'
import { ConnectionLostError, ProtocolViolationError, ResponseTimeoutError } from '../../src/client/index.js'
import { FakeRouter, joinedClient, quietLogger, WELCOME_DETAILS } from '../support/fake-router.js'

const ABORT = 3

async function expectViolation(router: FakeRouter, pattern: RegExp): Promise<void> {
  const abort = await router.nextSent(ABORT)
  expect(abort[2]).toBe('wamp.error.protocol_violation')
  expect((abort[1] as { message: string }).message).toMatch(pattern)
  expect(router.isClosed).toBe(true)
}

describe('protocol violations from the router (§6.57)', () => {
  it('a malformed message aborts the session and rejects every pending request with ProtocolViolationError', async () => {
    const { client, router } = await joinedClient()
    const call = client.call('com.example.slow').catch((e: unknown) => e)
    const subscribe = client.subscribe('com.example.topic', () => {}).catch((e: unknown) => e)
    router.deliver(36, 'not-an-id', 1, {})
    await expectViolation(router, /EVENT: Subscription must be an integer/)
    expect(await call).toBeInstanceOf(ProtocolViolationError)
    expect(await subscribe).toBeInstanceOf(ProtocolViolationError)
    const info = await client.closed
    expect(info.reason).toBe('wamp.error.protocol_violation')
    expect(info.initiator).toBe('client')
    expect(client.stats.pendingRequests).toBe(0)
  })

  it('a second WELCOME is a violation', async () => {
    const { client, router } = await joinedClient()
    router.deliver(2, 1, WELCOME_DETAILS)
    await expectViolation(router, /WELCOME after the session was established/)
    expect(client.isOpen).toBe(false)
  })

  it('a reply to a request that was never sent is a violation; a late reply to a settled one is not', async () => {
    const { client, router } = await joinedClient()
    const abort = new AbortController()
    const call = client.call('com.example.x', [], {}, { signal: abort.signal }).catch((e: unknown) => e)
    abort.abort()
    expect(((await call) as Error).name).toBe('AbortError')
    router.deliver(8, 48, 1, {}, 'wamp.error.canceled')
    router.deliver(50, 1, {}, ['late'])
    expect(client.isOpen).toBe(true)
    router.deliver(50, 99, {}, ['never asked'])
    await expectViolation(router, /RESULT for request 99, which was never sent/)
  })

  it('a reply of the wrong kind for a pending request is a violation', async () => {
    const { client, router } = await joinedClient()
    const call = client.call('com.example.x').catch((e: unknown) => e)
    router.deliver(33, 1, 5)
    await expectViolation(router, /SUBSCRIBED answers request 1, which was a CALL/)
    expect(await call).toBeInstanceOf(ProtocolViolationError)
  })

  it.each([
    ['not a list', { hello: 1 }, /non-empty list/],
    ['an empty list', [], /non-empty list/],
    ['an unknown type', [99, 1], /does not accept type 99/],
    ['a client-only type', [48, 1, {}, 'x'], /does not accept CALL/],
    ['too few fields', [50, 1], /RESULT must have 2 to 4 fields/],
    ['too many fields', [17, 1, 2, 3], /PUBLISHED must have 2 fields/],
    ['an ID out of range', [17, 2 ** 53 + 2, 1], /Request must be an integer in \[1, 2\^53\]/],
    ['kwargs that are a list', [50, 1, {}, [], []], /ArgumentsKw must be a dictionary/],
  ])('%s is a violation', async (_name, raw, pattern) => {
    const { router } = await joinedClient()
    router.deliverRaw(raw)
    await expectViolation(router, pattern)
  })

  it('an undecodable frame is a violation', async () => {
    const { router } = await joinedClient()
    router.deliverUndecodable()
    await expectViolation(router, /undecodable/)
  })

  it('after a violation, further input is ignored and nothing else is sent', async () => {
    const { router } = await joinedClient()
    router.deliverRaw('garbage')
    await router.nextSent(ABORT)
    const count = router.sent.length
    router.deliver(36, 1, 1, {})
    router.deliver(6, {}, 'wamp.close.system_shutdown')
    expect(router.sent.length).toBe(count)
  })
})

describe('joining (§6.3, §6.8)', () => {
  it('HELLO carries realm, roles with features, agent and the auth methods in the given order', async () => {
    const router = new FakeRouter()
    const auth = [
      { method: 'cryptosign', authextra: { pubkey: 'ab' }, respond: () => ({ signature: 's' }) },
      { method: 'ticket', authid: 'joe', respond: () => ({ signature: 't' }) },
    ]
    const joining = createClient(router, { realm: 'realm1', auth, logger: quietLogger() })
    const hello = (await router.nextSent(1)) as [number, string, Record<string, unknown>]
    expect(hello[1]).toBe('realm1')
    expect(hello[2].authmethods).toEqual(['cryptosign', 'ticket'])
    expect(hello[2].authid).toBe('joe')
    expect(hello[2].authextra).toEqual({ pubkey: 'ab' })
    const roles = hello[2].roles as Record<string, { features: Record<string, boolean> }>
    expect(Object.keys(roles).sort()).toEqual(['callee', 'caller', 'publisher', 'subscriber'])
    expect(roles.callee!.features.call_canceling).toBe(true)
    expect(roles.callee!.features.progressive_call_results).toBe(true)
    router.deliver(2, 7, WELCOME_DETAILS)
    expect((await joining).id).toBe(7)
  })

  it('a CHALLENGE for a method with no handler is answered with an empty AUTHENTICATE, then the ABORT rejects', async () => {
    const router = new FakeRouter()
    const joining = createClient(router, { realm: 'realm1', logger: quietLogger() }).catch((e: unknown) => e)
    await router.nextSent(1)
    router.deliver(4, 'wampcra', { challenge: 'x' })
    const authenticate = await router.nextSent(5)
    expect(authenticate).toEqual([5, '', {}])
    router.deliver(3, { message: 'no' }, 'wamp.error.authentication_failed')
    const error = (await joining) as { code: string; reason: string }
    expect(error.code).toBe('authentication')
    expect(error.reason).toBe('wamp.error.authentication_failed')
  })

  it('a router silent after HELLO fails the join after responseTimeout and closes the transport', async () => {
    const router = new FakeRouter()
    const started = Date.now()
    const error = await createClient(router, { realm: 'realm1', responseTimeout: 80, logger: quietLogger() }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ResponseTimeoutError)
    expect(Date.now() - started).toBeGreaterThanOrEqual(70)
    expect(router.isClosed).toBe(true)
  })

  it('a WELCOME without broker or dealer role is refused', async () => {
    const router = new FakeRouter()
    const joining = createClient(router, { realm: 'realm1', logger: quietLogger() }).catch((e: unknown) => e)
    await router.nextSent(1)
    router.deliver(2, 1, { roles: {} })
    expect(await joining).toBeInstanceOf(ProtocolViolationError)
  })

  it('a dropped connection during the join rejects with ConnectionLostError', async () => {
    const router = new FakeRouter()
    const joining = createClient(router, { realm: 'realm1', logger: quietLogger() }).catch((e: unknown) => e)
    await router.nextSent(1)
    router.drop()
    expect(await joining).toBeInstanceOf(ConnectionLostError)
  })
})
