/** Checks the local test router against the contract in ../types.ts (its own instance, whatever WAMP_ROUTERS says). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect } from '../../../src/client/index.js'
import type { RunningRouter } from '../types.js'
import { startLocal } from './launch.js'

const logger = { debug() {}, warn() {}, error() {} }

describe('local test router', () => {
  let router: RunningRouter
  beforeAll(async () => {
    router = await startLocal()
  })
  afterAll(() => router.stop())

  it('serves realm1 and realm2 over WebSocket on 127.0.0.1, and no RawSocket', async () => {
    expect(router.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/)
    expect(router.tcpUrl).toBeUndefined()
    expect(router.unixUrl).toBeUndefined()
    for (const realm of [router.realm, router.noDiscloseRealm]) {
      const client = await connect(router.wsUrl, { realm, serialization: 'msgpack', logger })
      expect(client.realmDetails.authrole).toBe('anonymous')
      await client.close()
    }
  })

  it('authrealm refuses anonymous peers', async () => {
    const error = await connect(router.wsUrl, { realm: router.authRealm, logger }).catch((e: unknown) => e)
    expect((error as { reason: string }).reason).toBe('wamp.error.authentication_failed')
  })

  it('kill() drops every session; restart() serves the same port again', async () => {
    const client = await connect(router.wsUrl, { realm: 'realm1', logger })
    await router.kill()
    expect((await client.closed).initiator).toBe('transport')
    await expect(connect(router.wsUrl, { realm: 'realm1', logger, responseTimeout: 500 })).rejects.toThrow()
    await router.restart()
    const again = await connect(router.wsUrl, { realm: 'realm1', logger })
    expect(again.isOpen).toBe(true)
    await again.close()
  })

  it('stop() ends sessions with GOODBYE system_shutdown and is idempotent', async () => {
    const other = await startLocal()
    const client = await connect(other.wsUrl, { realm: 'realm1', logger })
    await other.stop()
    expect((await client.closed).reason).toBe('wamp.close.system_shutdown')
    await other.stop()
    await expect(other.restart()).rejects.toThrow(/stopped/)
  })
})
