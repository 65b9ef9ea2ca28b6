import { describe, expect, it } from 'vitest'
import type { Event, RPCError } from '../../src/client/index.js'
import type { HelloInfo } from '../../src/router/index.js'
import { failure, join, sleep, testRouter } from './support.js'

describe('session meta events', () => {
  it('on_join carries the details; on_leave [session, authid, authrole]', async () => {
    const router = testRouter()
    const watcher = await join(router)
    const joins: Event[] = []
    const leaves: Event[] = []
    await watcher.subscribe('wamp.session.on_join', (e) => void joins.push(e))
    await watcher.subscribe('wamp.session.on_leave', (e) => void leaves.push(e))
    const other = await join(router)
    await sleep(10)
    expect(joins).toHaveLength(1)
    expect(joins[0]!.args).toEqual([
      {
        session: other.id,
        authid: other.realmDetails.authid,
        authrole: 'anonymous',
        authmethod: 'anonymous',
        authprovider: 'static',
        transport: { type: 'local', serialization: 'json' },
      },
    ])
    await other.close()
    await sleep(10)
    expect(leaves.map((e) => e.args)).toEqual([[other.id, other.realmDetails.authid, 'anonymous']])
  })

  it('events stay in their realm', async () => {
    const router = testRouter()
    const watcher = await join(router, { realm: 'realm2' })
    let events = 0
    await watcher.subscribe('wamp.session.on_join', () => void events++)
    await join(router)
    await sleep(10)
    expect(events).toBe(0)
  })
})

describe('session meta procedures', () => {
  const roles = {
    authenticate: (hello: HelloInfo) => ({ authid: hello.authid ?? 'x', authrole: String(hello.authextra.role) }),
  }

  it('count and list, optionally filtered by authrole; get; get of an unknown session', async () => {
    const router = testRouter({ roles })
    const admin = await join(router, { realm: 'roles', authid: 'ann', authextra: { role: 'admin' } })
    const user = await join(router, { realm: 'roles', authid: 'bob', authextra: { role: 'user' } })
    expect((await admin.call('wamp.session.count')).args).toEqual([2])
    expect((await admin.call('wamp.session.count', [['user']])).args).toEqual([1])
    expect(((await admin.call('wamp.session.list')).args[0] as number[]).sort()).toEqual([admin.id, user.id].sort())
    expect((await admin.call('wamp.session.list', [['admin', 'nobody']])).args).toEqual([[admin.id]])
    const { args } = await user.call('wamp.session.get', [admin.id])
    expect(args[0]).toMatchObject({ session: admin.id, authid: 'ann', authrole: 'admin' })
    const unknown = (await failure(user.call('wamp.session.get', [0]))) as RPCError
    expect(unknown.uri).toBe('wamp.error.no_such_session')
    const badFilter = (await failure(user.call('wamp.session.count', ['admin']))) as RPCError
    expect(badFilter.uri).toBe('wamp.error.invalid_argument')
  })

  it('kill: GOODBYE with the reason (default wamp.close.killed) and message; not the caller itself', async () => {
    const router = testRouter()
    const killer = await join(router)
    const first = await join(router)
    const second = await join(router)
    await killer.call('wamp.session.kill', [first.id], { reason: 'com.example.go_away', message: 'bye' })
    expect(await first.closed).toMatchObject({
      reason: 'com.example.go_away',
      details: { message: 'bye' },
      initiator: 'router',
    })
    await killer.call('wamp.session.kill', [second.id])
    expect(await second.closed).toMatchObject({ reason: 'wamp.close.killed', details: {} })
    expect(((await failure(killer.call('wamp.session.kill', [killer.id]))) as RPCError).uri).toBe(
      'wamp.error.no_such_session',
    )
    expect(((await failure(killer.call('wamp.session.kill', [first.id]))) as RPCError).uri).toBe(
      'wamp.error.no_such_session',
    )
    expect((await killer.call('wamp.session.count')).args).toEqual([1])
  })

  it('kill refuses an invalid reason URI', async () => {
    const router = testRouter()
    const killer = await join(router)
    const victim = await join(router)
    const error = (await failure(killer.call('wamp.session.kill', [victim.id], { reason: 'not a uri' }))) as RPCError
    expect(error.uri).toBe('wamp.error.invalid_uri')
    expect(victim.isOpen).toBe(true)
  })

  it('kill_by_authid returns the IDs killed, kill_by_authrole and kill_all the count; the caller is spared', async () => {
    const router = testRouter({ roles })
    const as = (authid: string, role: string) => join(router, { realm: 'roles', authid, authextra: { role } })
    const me = await as('ann', 'admin')
    const twin = await as('ann', 'admin')
    const users = [await as('bob', 'user'), await as('cy', 'user')]
    const last = await as('dee', 'guest')
    expect((await me.call('wamp.session.kill_by_authid', ['ann'])).args).toEqual([[twin.id]])
    expect((await me.call('wamp.session.kill_by_authrole', ['user'])).args).toEqual([2])
    await Promise.all(users.map((user) => user.closed))
    expect((await me.call('wamp.session.kill_all')).args).toEqual([1])
    expect((await last.closed).reason).toBe('wamp.close.killed')
    expect(me.isOpen).toBe(true)
  })
})
