import { describe, expect, it } from 'vitest'
import type { Client, RegisterOptions, RPCError } from '../../src/client/index.js'
import { failure, join, RawPeer, testRouter } from './support.js'

/** `count` callees of one shared procedure, each answering its own name. */
async function shared(invoke: RegisterOptions['invoke'], count: number) {
  const router = testRouter()
  const callees: Client[] = []
  const ids: number[] = []
  for (let i = 0; i < count; i++) {
    const callee = await join(router)
    const registration = await callee.register('test.shared', () => ({ args: [`c${i}`] }), { invoke })
    callees.push(callee)
    ids.push(registration.id)
  }
  const caller = await join(router)
  const calls = async (n: number) => {
    const out: unknown[] = []
    for (let i = 0; i < n; i++) out.push((await caller.call('test.shared')).args[0])
    return out
  }
  return { router, callees, ids, calls }
}

describe('shared registrations', () => {
  it('callees of one shared procedure share the registration ID', async () => {
    const { ids } = await shared('roundrobin', 3)
    expect(new Set(ids).size).toBe(1)
  })

  it('roundrobin: calls go to each callee in turn', async () => {
    const { calls } = await shared('roundrobin', 3)
    expect(await calls(7)).toEqual(['c0', 'c1', 'c2', 'c0', 'c1', 'c2', 'c0'])
  })

  it('roundrobin: a callee that leaves drops out of the rotation', async () => {
    const { callees, calls } = await shared('roundrobin', 3)
    expect(await calls(1)).toEqual(['c0'])
    await callees[1]!.unregister('test.shared')
    expect(await calls(4)).toEqual(['c2', 'c0', 'c2', 'c0'])
  })

  it('first: always the earliest callee, then the next once it leaves', async () => {
    const { callees, calls } = await shared('first', 3)
    expect(await calls(3)).toEqual(['c0', 'c0', 'c0'])
    await callees[0]!.close()
    expect(await calls(2)).toEqual(['c1', 'c1'])
  })

  it('last: always the latest callee', async () => {
    const { callees, calls } = await shared('last', 3)
    expect(await calls(3)).toEqual(['c2', 'c2', 'c2'])
    await callees[2]!.unregister('test.shared')
    expect(await calls(1)).toEqual(['c1'])
  })

  it('random: every call goes to one of the callees, and over many calls to each', async () => {
    const { calls } = await shared('random', 2)
    const seen = await calls(60)
    expect(seen.every((name) => name === 'c0' || name === 'c1')).toBe(true)
    expect(new Set(seen).size).toBe(2)
  })

  it('a different policy, or an existing single registration, gives procedure_already_exists', async () => {
    const router = testRouter()
    const [a, b, c] = [await join(router), await join(router), await join(router)]
    await a.register('test.rr', () => {}, { invoke: 'roundrobin' })
    const mismatch = (await failure(b.register('test.rr', () => {}, { invoke: 'first' }))) as RPCError
    expect(mismatch.uri).toBe('wamp.error.procedure_already_exists')
    const single = (await failure(b.register('test.rr', () => {}))) as RPCError
    expect(single.uri).toBe('wamp.error.procedure_already_exists')
    await a.register('test.single', () => {})
    const onSingle = (await failure(c.register('test.single', () => {}, { invoke: 'roundrobin' }))) as RPCError
    expect(onSingle.uri).toBe('wamp.error.procedure_already_exists')
  })

  it('one session cannot join the same shared registration twice', async () => {
    const router = testRouter()
    const callee = await RawPeer.join(router)
    await callee.register('test.rr', { invoke: 'roundrobin' })
    callee.send(64, 2, { invoke: 'roundrobin' }, 'test.rr')
    expect((await callee.next()).slice(0, 5)).toEqual([8, 64, 2, {}, 'wamp.error.procedure_already_exists'])
  })
})

describe('REGISTER and UNREGISTER on the wire', () => {
  it('refuses bad options, invalid and reserved URIs; unknown registrations on UNREGISTER', async () => {
    const router = testRouter()
    const callee = await RawPeer.join(router)
    const refusal = async (message: unknown[]) => {
      callee.send(...message)
      return (await callee.next()).slice(0, 5)
    }
    expect(await refusal([64, 1, { invoke: 'sometimes' }, 'test.a'])).toEqual([
      8,
      64,
      1,
      {},
      'wamp.error.invalid_argument',
    ])
    expect(await refusal([64, 2, { match: 'regex' }, 'test.a'])).toEqual([8, 64, 2, {}, 'wamp.error.invalid_argument'])
    expect(await refusal([64, 3, {}, 'test..a'])).toEqual([8, 64, 3, {}, 'wamp.error.invalid_uri'])
    expect(await refusal([64, 4, {}, 'wamp.session.count'])).toEqual([8, 64, 4, {}, 'wamp.error.invalid_uri'])
    expect(await refusal([66, 5, 123456])).toEqual([8, 66, 5, {}, 'wamp.error.no_such_registration'])
    const id = await callee.register('test.a', {}, 6)
    const other = await RawPeer.join(router)
    other.send(66, 7, id)
    expect((await other.next()).slice(0, 5)).toEqual([8, 66, 7, {}, 'wamp.error.no_such_registration'])
    callee.send(66, 8, id)
    expect(await callee.next()).toEqual([67, 8])
  })

  it('registration IDs are router-scoped: the same procedure in two realms gets two IDs', async () => {
    const router = testRouter()
    const one = await RawPeer.join(router, 'realm1')
    const two = await RawPeer.join(router, 'realm2')
    const ids = [await one.register('test.same'), await two.register('test.same')]
    expect(ids[0]).not.toBe(ids[1])
  })
})
