import { afterEach, describe, expect, it } from 'vitest'
import { ClientClosedError, connect, RouterAbortError } from '../../src/client/index.js'
import { killedByRouter } from './killed.js'
import { sessions, targets } from './targets.js'

describe.each(targets())('session lifecycle: $label', (target) => {
  const pool = sessions(target)
  afterEach(() => pool.closeAll())

  it('joins with all four roles and sees the router roles and features (§6.1)', async () => {
    const client = await pool.join()
    expect(client.id).toBeGreaterThanOrEqual(1)
    expect(client.id).toBeLessThanOrEqual(2 ** 53)
    expect(Number.isInteger(client.id)).toBe(true)
    expect(client.hasFeature('broker', 'publisher_exclusion')).toBe(true)
    expect(client.hasFeature('broker', 'pattern_based_subscription')).toBe(true)
    expect(client.hasFeature('dealer', 'call_canceling')).toBe(true)
    expect(client.hasFeature('dealer', 'progressive_call_results')).toBe(true)
    expect(client.hasFeature('dealer', 'shared_registration')).toBe(true)
    expect(client.realmDetails.authrole).toBeTypeOf('string')
  })

  it('rejects an unknown realm with no_such_realm, typed (§6.2)', async () => {
    const error = await connect(target.url, { realm: 'no.such.realm', serialization: target.serialization }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(RouterAbortError)
    expect((error as RouterAbortError).reason).toBe('wamp.error.no_such_realm')
  })

  it('close() sends GOODBYE, gets the echo and resolves `closed`; a second close is refused (§6.9)', async () => {
    const client = await pool.join()
    await client.close()
    const info = await client.closed
    expect(info.initiator).toBe('client')
    expect(info.reason).toBe('wamp.close.close_realm')
    expect(client.isOpen).toBe(false)
    await expect(client.close()).rejects.toBeInstanceOf(ClientClosedError)
    await expect(client.call('any.thing')).rejects.toBeInstanceOf(ClientClosedError)
  })

  it('wamp.session.kill ends the session with the given reason and message (§6.10)', async () => {
    const killer = await pool.join()
    const { closed: info, outcome: victim } = await killedByRouter(target.router, async () => {
      const victim = await pool.join()
      await killer.call('wamp.session.kill', [victim.id], { reason: 'wamp.close.killed', message: 'bye now' })
      return { victim, outcome: async () => victim }
    })
    expect(info.reason).toBe('wamp.close.killed')
    expect(info.details.message).toBe('bye now')
    expect(victim.isOpen).toBe(false)
  })

  it('a session that ends rejects its pending requests with a typed error and runs no more handlers', async () => {
    const callee = await pool.join()
    const killer = await pool.join()
    const procedure = `test.session.slow.${callee.id}`
    await callee.register(procedure, () => new Promise(() => {}))
    const { outcome } = await killedByRouter(target.router, async () => {
      const caller = await pool.join()
      const pending = caller.call(procedure).catch((e: unknown) => e)
      await new Promise((r) => setTimeout(r, 50))
      await killer.call('wamp.session.kill', [caller.id])
      return { victim: caller, outcome: async () => ({ error: await pending, caller }) }
    })
    expect((outcome.error as { code: string }).code).toBe('session_closed')
    expect(outcome.caller.stats.pendingRequests).toBe(0)
  })
})
