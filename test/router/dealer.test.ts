import { describe, expect, it } from 'vitest'
import { CallTimeoutError, type Result, RPCError, WampAbortError } from '../../src/client/index.js'
import { failure, join, nextRequest, RawPeer, sleep, testRouter } from './support.js'

/** A raw caller and a raw callee of `proc`; the caller's CALL has arrived as an INVOCATION. */
async function invoked(options: Record<string, unknown> = {}, registerOptions: Record<string, unknown> = {}) {
  const router = testRouter()
  const callee = await RawPeer.join(router)
  const registration = await callee.register('test.proc', registerOptions)
  const caller = await RawPeer.join(router)
  const request = nextRequest()
  caller.send(48, request, options, 'test.proc', [1])
  const invocation = await callee.next()
  expect(invocation.slice(0, 3)).toEqual([68, invocation[1], registration])
  return { router, callee, caller, request, invocation: invocation[1] as number, details: invocation[3] }
}

describe('call canceling', () => {
  it('skip: ERROR canceled at once, no INTERRUPT, the late YIELD is dropped', async () => {
    const { callee, caller, request, invocation } = await invoked()
    caller.send(49, request, { mode: 'skip' })
    expect(await caller.next()).toEqual([8, 48, request, {}, 'wamp.error.canceled'])
    expect(await callee.quiet()).toEqual([])
    callee.send(70, invocation, {}, ['late'])
    expect(await caller.quiet()).toEqual([])
  })

  it('killnowait: ERROR canceled at once, then INTERRUPT killnowait; the callee answer is dropped', async () => {
    const { callee, caller, request, invocation } = await invoked()
    caller.send(49, request, { mode: 'killnowait' })
    expect(await caller.next()).toEqual([8, 48, request, {}, 'wamp.error.canceled'])
    expect(await callee.next()).toEqual([69, invocation, { mode: 'killnowait', reason: 'wamp.error.canceled' }])
    callee.send(8, 68, invocation, {}, 'wamp.error.canceled')
    expect(await caller.quiet()).toEqual([])
  })

  it('killnowait is the default mode', async () => {
    const { callee, caller, request, invocation } = await invoked()
    caller.send(49, request, {})
    expect((await caller.next())[4]).toBe('wamp.error.canceled')
    expect(await callee.next()).toEqual([69, invocation, { mode: 'killnowait', reason: 'wamp.error.canceled' }])
  })

  it('kill: INTERRUPT kill, and the caller waits for the callee: its ERROR…', async () => {
    const { callee, caller, request, invocation } = await invoked()
    caller.send(49, request, { mode: 'kill' })
    expect(await callee.next()).toEqual([69, invocation, { mode: 'kill', reason: 'wamp.error.canceled' }])
    expect(await caller.quiet()).toEqual([])
    caller.send(49, request, { mode: 'kill' }) // repeated: ignored
    expect(await callee.quiet()).toEqual([])
    callee.send(8, 68, invocation, {}, 'wamp.error.canceled', ['stopped'])
    expect(await caller.next()).toEqual([8, 48, request, {}, 'wamp.error.canceled', ['stopped']])
  })

  it('kill: … or its RESULT, when it finished first', async () => {
    const { callee, caller, request, invocation } = await invoked()
    caller.send(49, request, { mode: 'kill' })
    await callee.next()
    callee.send(70, invocation, {}, ['done anyway'])
    expect(await caller.next()).toEqual([50, request, {}, ['done anyway']])
  })

  it('a bad mode gets ERROR(CANCEL) invalid_argument and the call goes on', async () => {
    const { callee, caller, request, invocation } = await invoked()
    caller.send(49, request, { mode: 'foo' })
    const error = await caller.next()
    expect(error.slice(0, 5)).toEqual([8, 49, request, {}, 'wamp.error.invalid_argument'])
    expect(await callee.quiet()).toEqual([])
    callee.send(70, invocation, {}, ['ok'])
    expect(await caller.next()).toEqual([50, request, {}, ['ok']])
  })

  it('a callee without call_canceling is never interrupted: killnowait acts as skip', async () => {
    const router = testRouter()
    const callee = await RawPeer.join(router, 'realm1', { roles: { callee: {} } })
    await callee.register('test.proc')
    const caller = await RawPeer.join(router)
    caller.send(48, 1, {}, 'test.proc')
    await callee.next()
    caller.send(49, 1, { mode: 'killnowait' })
    expect((await caller.next())[4]).toBe('wamp.error.canceled')
    expect(await callee.quiet()).toEqual([])
  })

  it('unknown CANCELs are ignored', async () => {
    const router = testRouter()
    const caller = await RawPeer.join(router)
    caller.send(49, 77, { mode: 'kill' })
    expect(await caller.quiet()).toEqual([])
  })

  it('real clients: an aborted call rejects as cancelled and the callee signal fires', async () => {
    const router = testRouter()
    const callee = await join(router)
    const caller = await join(router)
    let signal: AbortSignal | undefined
    await callee.register('test.slow', (invocation) => {
      signal = invocation.signal
      // In kill mode the handler has the last word: the caller waits until it settles.
      return new Promise((_resolve, reject) =>
        invocation.signal.addEventListener('abort', () => reject(signal?.reason)),
      )
    })
    for (const cancelMode of ['kill', 'killnowait'] as const) {
      const controller = new AbortController()
      const call = caller.call('test.slow', [], {}, { signal: controller.signal, cancelMode })
      await sleep(10)
      controller.abort()
      expect(await failure(call)).toBeInstanceOf(WampAbortError)
      expect(signal?.aborted).toBe(true)
    }
    expect(callee.stats.activeInvocations).toBe(0)
  })
})

describe('call timeout', () => {
  it('dealer-side: the caller gets timeout ["call timeout"], the callee INTERRUPT timeout killnowait', async () => {
    const { callee, caller, request, invocation, details } = await invoked({ timeout: 50 })
    expect(details).not.toHaveProperty('timeout')
    expect(await caller.next()).toEqual([8, 48, request, {}, 'wamp.error.timeout', ['call timeout']])
    expect(await callee.next()).toEqual([69, invocation, { mode: 'killnowait', reason: 'wamp.error.timeout' }])
    callee.send(70, invocation, {}, ['late'])
    expect(await caller.quiet()).toEqual([])
  })

  it('progressive results restart the timer', async () => {
    const { callee, caller, request, invocation } = await invoked({ timeout: 80, receive_progress: true })
    for (let i = 0; i < 3; i++) {
      await sleep(50)
      callee.send(70, invocation, { progress: true }, [i])
      expect(await caller.next()).toEqual([50, request, { progress: true }, [i]])
    }
    await sleep(50)
    callee.send(70, invocation, {}, ['end'])
    expect(await caller.next()).toEqual([50, request, {}, ['end']])
  })

  it('forward_timeout: the callee gets details.timeout and the dealer runs no timer', async () => {
    const { callee, caller, request, invocation, details } = await invoked({ timeout: 40 }, { forward_timeout: true })
    expect(details).toMatchObject({ timeout: 40 })
    expect(await caller.quiet(80)).toEqual([])
    expect(await callee.quiet()).toEqual([])
    callee.send(8, 68, invocation, {}, 'wamp.error.timeout')
    expect(await caller.next()).toEqual([8, 48, request, {}, 'wamp.error.timeout'])
  })

  it('real clients: forward_timeout lets the callee time out; the caller sees CallTimeoutError', async () => {
    const router = testRouter()
    const callee = await join(router)
    const caller = await join(router)
    let timeout: unknown
    await callee.register(
      'test.forward',
      (invocation) => {
        timeout = invocation.details.timeout
        return new Promise(() => {})
      },
      { forward_timeout: true },
    )
    const error = await failure(caller.call('test.forward', [], {}, { timeout: 30 }))
    expect(error).toBeInstanceOf(CallTimeoutError)
    expect(timeout).toBe(30)
  })
})

describe('progressive call results', () => {
  it('real clients: every progress result in order, then the final one', async () => {
    const router = testRouter()
    const callee = await join(router)
    const caller = await join(router)
    await callee.register('test.stream', async (invocation) => {
      for (let i = 1; i <= 3; i++) invocation.progress([i])
      return { args: ['done'] }
    })
    const progress: Result[] = []
    const result = await caller.call('test.stream', [], {}, { onProgress: (r) => progress.push(r) })
    expect(progress.map((r) => r.args)).toEqual([[1], [2], [3]])
    expect(result.args).toEqual(['done'])
  })

  it('progress is dropped for a caller that did not ask for it', async () => {
    const { callee, caller, request, invocation, details } = await invoked()
    expect(details).not.toHaveProperty('receive_progress')
    callee.send(70, invocation, { progress: true }, ['chunk'])
    callee.send(70, invocation, {}, ['final'])
    expect(await caller.next()).toEqual([50, request, {}, ['final']])
  })

  it('a callee that announces progressive_call_results without call_canceling gets no receive_progress', async () => {
    const router = testRouter()
    const callee = await RawPeer.join(router, 'realm1', {
      roles: { callee: { features: { progressive_call_results: true } } },
    })
    await callee.register('test.proc')
    const caller = await RawPeer.join(router)
    caller.send(48, 1, { receive_progress: true }, 'test.proc')
    expect((await callee.next())[3]).toEqual({})
  })
})

describe('progressive call invocations', () => {
  it('chunks with the same request ID continue one INVOCATION; its details stay those of the first', async () => {
    const { callee, caller, request, invocation, details } = await invoked({ progress: true, disclose_me: true })
    expect(details).toMatchObject({ progress: true, caller: caller.id })
    caller.send(48, request, { progress: true }, 'test.proc', [2])
    expect(await callee.next()).toEqual([
      68,
      invocation,
      expect.any(Number),
      { ...(details as object), progress: true },
      [2],
    ])
    caller.send(48, request, {}, 'test.proc', [3])
    const last = await callee.next()
    expect(last[1]).toBe(invocation)
    expect(last[3]).toEqual({ caller: caller.id, caller_authid: caller.welcome.authid, caller_authrole: 'anonymous' })
    expect(last[4]).toEqual([3])
    callee.send(70, invocation, {}, ['sum', 6])
    expect(await caller.next()).toEqual([50, request, {}, ['sum', 6]])
    expect(await caller.quiet()).toEqual([])
  })

  it('progress: true from a caller that did not announce the feature: ABORT protocol_violation', async () => {
    const router = testRouter()
    const caller = await RawPeer.join(router, 'realm1', { roles: { caller: {} } })
    caller.send(48, 1, { progress: true }, 'test.proc')
    const abort = await caller.next()
    expect(abort[0]).toBe(3)
    expect(abort[2]).toBe('wamp.error.protocol_violation')
    expect((await caller.closed).local).toBe(false)
  })

  it('to a callee without the feature: feature_not_supported', async () => {
    const router = testRouter()
    const callee = await RawPeer.join(router, 'realm1', { roles: { callee: { features: { call_canceling: true } } } })
    await callee.register('test.proc')
    const caller = await RawPeer.join(router)
    caller.send(48, 5, { progress: true }, 'test.proc')
    expect((await caller.next()).slice(0, 5)).toEqual([8, 48, 5, {}, 'wamp.error.feature_not_supported'])
  })

  it('a CALL that reuses the ID of a call in progress (not progressive) is a protocol violation', async () => {
    const { caller, request } = await invoked()
    caller.send(48, request, {}, 'test.proc')
    expect((await caller.next())[2]).toBe('wamp.error.protocol_violation')
  })
})

describe('leaving peers', () => {
  it('callee gone: the caller gets canceled ["callee gone"]', async () => {
    const router = testRouter()
    const callee = await join(router)
    const caller = await join(router)
    await callee.register('test.hang', () => new Promise(() => {}))
    const call = caller.call('test.hang')
    await sleep(10)
    callee.terminate()
    const error = (await failure(call)) as RPCError
    expect(error).toBeInstanceOf(RPCError)
    expect(error.uri).toBe('wamp.error.canceled')
    expect(error.args).toEqual(['callee gone'])
  })

  it('caller gone: the callee gets INTERRUPT killnowait', async () => {
    const router = testRouter()
    const callee = await RawPeer.join(router)
    await callee.register('test.proc')
    const caller = await join(router)
    void caller.call('test.proc').catch(() => {})
    const [, invocation] = await callee.next()
    await caller.close()
    expect(await callee.next()).toEqual([69, invocation, { mode: 'killnowait', reason: 'wamp.error.canceled' }])
  })

  it('caller gone: no INTERRUPT to a callee without call_canceling', async () => {
    const router = testRouter()
    const callee = await RawPeer.join(router, 'realm1', { roles: { callee: {} } })
    await callee.register('test.proc')
    const caller = await RawPeer.join(router)
    caller.send(48, 1, {}, 'test.proc')
    await callee.next()
    caller.close()
    expect(await callee.quiet()).toEqual([])
  })
})

describe('caller disclosure and invocations', () => {
  it('disclose_me on CALL and disclose_caller on REGISTER give caller, caller_authid, caller_authrole', async () => {
    const router = testRouter()
    const callee = await join(router)
    const caller = await join(router)
    await callee.register('test.plain', ({ details }) => ({ kwargs: details }))
    await callee.register('test.disclosing', ({ details }) => ({ kwargs: details }), { disclose_caller: true })
    const identity = { caller: caller.id, caller_authid: caller.realmDetails.authid, caller_authrole: 'anonymous' }
    expect((await caller.call('test.plain')).kwargs).toEqual({})
    expect((await caller.call('test.plain', [], {}, { disclose_me: true })).kwargs).toEqual(identity)
    expect((await caller.call('test.disclosing')).kwargs).toEqual(identity)
  })

  it('a realm that refuses disclosure answers option_disallowed.disclose_me to CALL and REGISTER', async () => {
    const router = testRouter()
    const callee = await join(router, { realm: 'realm2' })
    const caller = await join(router, { realm: 'realm2' })
    await callee.register('test.proc', () => {})
    const refused = (await failure(caller.call('test.proc', [], {}, { disclose_me: true }))) as RPCError
    expect(refused.uri).toBe('wamp.error.option_disallowed.disclose_me')
    const registering = (await failure(callee.register('test.other', () => {}, { disclose_caller: true }))) as RPCError
    expect(registering.uri).toBe('wamp.error.option_disallowed.disclose_me')
  })

  it('INVOCATION request IDs count 1, 2, 3 per callee session', async () => {
    const router = testRouter()
    const callee = await RawPeer.join(router)
    await callee.register('test.proc')
    const caller = await join(router)
    for (let i = 0; i < 3; i++) void caller.call('test.proc').catch(() => {})
    const ids = [(await callee.next())[1], (await callee.next())[1], (await callee.next())[1]]
    expect(ids).toEqual([1, 2, 3])
  })

  it('CALL options are checked: a bad timeout is invalid_argument, an invalid URI invalid_uri', async () => {
    const router = testRouter()
    const callee = await join(router)
    await callee.register('test.proc', () => {})
    const caller = await RawPeer.join(router)
    caller.send(48, 1, { timeout: 'soon' }, 'test.proc')
    expect((await caller.next()).slice(0, 5)).toEqual([8, 48, 1, {}, 'wamp.error.invalid_argument'])
    caller.send(48, 2, {}, 'a..b')
    expect((await caller.next()).slice(0, 5)).toEqual([8, 48, 2, {}, 'wamp.error.invalid_uri'])
    caller.send(48, 3, {}, 'wamp.no.such.thing')
    expect((await caller.next()).slice(0, 5)).toEqual([8, 48, 3, {}, 'wamp.error.no_such_procedure'])
  })
})
