import { afterEach, describe, expect, it } from 'vitest'
import { InvalidArgumentError, RPCError } from '../../src/client/index.js'
import { quietLogger } from '../support/fake-router.js'
import { sessions, targets, uniqueUri } from './targets.js'

describe.each(targets())('RPC: $label', (target) => {
  const pool = sessions(target)
  afterEach(() => pool.closeAll())

  it('register and call: args, kwargs and details round-trip (§6.28)', async () => {
    const callee = await pool.join()
    const caller = await pool.join()
    const procedure = uniqueUri('rpc.echo')
    await callee.register(procedure, ({ args, kwargs }) => ({
      args: [...args, 'back'],
      kwargs: { ...kwargs, seen: true },
    }))
    const payload = { nested: { list: [1, 'two', null, true], unicode: 'héllo ✓ 𝄞' }, big: 2 ** 53 }
    const result = await caller.call(procedure, [1, 'a', payload], { k: 'v' })
    expect(result.args).toEqual([1, 'a', payload, 'back'])
    expect(result.kwargs).toEqual({ k: 'v', seen: true })
  })

  it('a call with no payload gets [] and {} and a handler returning nothing gives an empty result', async () => {
    const callee = await pool.join()
    const caller = await pool.join()
    const procedure = uniqueUri('rpc.empty')
    let seen: unknown
    await callee.register(procedure, (invocation) => {
      seen = [invocation.args, invocation.kwargs, invocation.procedure]
    })
    const result = await caller.call(procedure)
    expect(result.args).toEqual([])
    expect(result.kwargs).toEqual({})
    expect(seen).toEqual([[], {}, procedure])
  })

  it('binary payloads arrive as Uint8Array (§6.27)', async () => {
    const callee = await pool.join()
    const caller = await pool.join()
    const procedure = uniqueUri('rpc.bytes')
    await callee.register(procedure, ({ args }) => {
      const bytes = args[0] as Uint8Array
      expect(bytes).toBeInstanceOf(Uint8Array)
      return { args: [bytes.map((b) => 255 - b)], kwargs: { raw: Uint8Array.of(0, 1, 2) } }
    })
    const result = await caller.call(procedure, [Uint8Array.of(0, 10, 255)])
    expect(result.args[0]).toBeInstanceOf(Uint8Array)
    expect([...(result.args[0] as Uint8Array)]).toEqual([255, 245, 0])
    expect([...(result.kwargs.raw as Uint8Array)]).toEqual([0, 1, 2])
  })

  it('calling an unregistered procedure rejects with RPCError no_such_procedure (§6.29)', async () => {
    const caller = await pool.join()
    const error = await caller.call(uniqueUri('rpc.nobody')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RPCError)
    const rpc = error as RPCError
    expect(rpc.uri).toBe('wamp.error.no_such_procedure')
    expect(Array.isArray(rpc.args)).toBe(true)
    expect(typeof rpc.kwargs).toBe('object')
    expect(typeof rpc.details).toBe('object')
  })

  it('a duplicate registration gets procedure_already_exists; wamp.* gets invalid_uri or not_authorized (§6.30)', async () => {
    const first = await pool.join()
    const second = await pool.join()
    const procedure = uniqueUri('rpc.dup')
    await first.register(procedure, () => {})
    const dup = await second.register(procedure, () => {}).catch((e: unknown) => e)
    expect((dup as RPCError).uri).toBe('wamp.error.procedure_already_exists')
    const reserved = await first.register('wamp.test.reserved', () => {}).catch((e: unknown) => e)
    expect(reserved).toBeInstanceOf(RPCError)
    // nexus answers invalid_uri; Crossbar.io refuses reserved URIs as not authorized.
    expect(['wamp.error.invalid_uri', 'wamp.error.not_authorized']).toContain((reserved as RPCError).uri)
    expect(first.stats.registrations).toBe(1)
  })

  it('a handler that throws an RPCError decides exactly what the caller sees; the callee lives on (§6.31)', async () => {
    const logger = quietLogger() // the plain Error is logged: captured here, asserted below
    const callee = await pool.join({ logger })
    const caller = await pool.join()
    const procedure = uniqueUri('rpc.fails')
    let calls = 0
    await callee.register(procedure, () => {
      calls += 1
      if (calls === 1) throw new RPCError('com.example.error.not_found', ['missing', 42], { id: 'x1' })
      if (calls === 2) throw new Error('plain failure')
      return { args: ['fine'] }
    })
    const first = (await caller.call(procedure).catch((e: unknown) => e)) as RPCError
    expect(first).toBeInstanceOf(RPCError)
    expect(first.uri).toBe('com.example.error.not_found')
    expect(first.args).toEqual(['missing', 42])
    expect(first.kwargs).toEqual({ id: 'x1' })
    const second = (await caller.call(procedure).catch((e: unknown) => e)) as RPCError
    expect(second.uri).toBe('wamp.error.runtime_error')
    expect(second.args).toEqual(['plain failure'])
    expect((await caller.call(procedure)).args).toEqual(['fine'])
    expect(callee.isOpen).toBe(true)
    // Only the plain Error is a callee bug worth logging; an RPCError is an answer.
    expect(logger.logged.map(({ level, message, data }) => [level, message, (data[0] as Error).message])).toEqual([
      ['error', 'a callee handler threw', 'plain failure'],
    ])
  })

  it('an async handler resolves the call; an unserializable result becomes an error, not a dead session', async () => {
    const logger = quietLogger() // the result that could not be sent is logged: captured, asserted below
    const callee = await pool.join({ logger })
    const caller = await pool.join()
    const procedure = uniqueUri('rpc.async')
    await callee.register(procedure, async ({ args }) => {
      await new Promise((r) => setTimeout(r, 5))
      if (args[0] === 'bad') return { args: [() => 1] }
      return { args: [(args[0] as number) * 2] }
    })
    expect((await caller.call(procedure, [21])).args).toEqual([42])
    const error = (await caller.call(procedure, ['bad']).catch((e: unknown) => e)) as RPCError
    expect(error).toBeInstanceOf(RPCError)
    expect(error.args[0]).toMatch(/args\[0\] is a function/)
    expect((await caller.call(procedure, [1])).args).toEqual([2])
    expect(logger.logged.map(({ level, message, data }) => [level, message, (data[0] as Error).name])).toEqual([
      ['error', 'a callee result could not be sent', 'SerializationError'],
    ])
  })

  it('unregister: later calls fail with no_such_procedure; unknown procedures are refused locally (§6.32)', async () => {
    const callee = await pool.join()
    const caller = await pool.join()
    const procedure = uniqueUri('rpc.unreg')
    const registration = await callee.register(procedure, () => ({ args: [1] }))
    expect(callee.registrationId(procedure)).toBe(registration.id)
    await registration.unregister()
    await registration.unregister() // idempotent
    expect(callee.registrationId(procedure)).toBeUndefined()
    await expect(caller.call(procedure)).rejects.toMatchObject({ uri: 'wamp.error.no_such_procedure' })
    await expect(callee.unregister(procedure)).rejects.toBeInstanceOf(InvalidArgumentError)
  })

  it('bad input fails at once naming the problem, sends nothing, and the session lives on', async () => {
    const client = await pool.join()
    await expect(client.call('bad uri with spaces')).rejects.toThrow(/not a valid WAMP URI/)
    await expect(client.call('a..b')).rejects.toBeInstanceOf(InvalidArgumentError)
    await expect(client.call(uniqueUri('rpc.x'), 'not-a-list' as never)).rejects.toThrow(/args must be an array/)
    await expect(client.call(uniqueUri('rpc.x'), [], [] as never)).rejects.toThrow(/kwargs must be a plain object/)
    await expect(client.call(uniqueUri('rpc.x'), [{ f: () => 1 }])).rejects.toThrow(/args\[0\]\.f is a function/)
    await expect(client.call(uniqueUri('rpc.x'), [Number.NaN])).rejects.toThrow(/args\[0\] is NaN/)
    await expect(client.register('', () => {})).rejects.toThrow(/not a valid WAMP URI/)
    expect(client.stats.pendingRequests).toBe(0)
    expect(client.isOpen).toBe(true)
    await expect(client.call(uniqueUri('rpc.nobody'))).rejects.toMatchObject({ uri: 'wamp.error.no_such_procedure' })
  })

  it('caller disclosure: disclose_me on CALL reaches the callee as details.caller (§6.36)', async () => {
    const callee = await pool.join()
    const caller = await pool.join()
    const procedure = uniqueUri('rpc.disclose')
    await callee.register(procedure, ({ details }) => ({ kwargs: { caller: details.caller } }))
    const result = await caller.call(procedure, [], {}, { disclose_me: true })
    expect(result.kwargs.caller).toBe(caller.id)
  })
})
