import { afterEach, describe, expect, it } from 'vitest'
import { type Client, type Invocation, RPCError } from '../../src/client/index.js'
import { clientRoles } from '../../src/protocol/features.js'
import { wireSpy } from '../support/wire-spy.js'
import { sessions, sleep, targets, uniqueUri } from './targets.js'

/** Resolves when the handler's signal aborts, with the abort reason. */
function aborted(invocation: Invocation): Promise<unknown> {
  return new Promise((resolve) => invocation.signal.addEventListener('abort', () => resolve(invocation.signal.reason)))
}

/** HELLO roles without one callee/caller feature, to see how the router treats such a peer. */
function rolesWithout(feature: string) {
  const roles = clientRoles() as Record<string, { features: Record<string, boolean> }>
  for (const role of Object.values(roles)) delete role.features[feature]
  return roles
}

describe.each(targets())('advanced RPC: $label', (target) => {
  const pool = sessions(target)
  afterEach(() => pool.closeAll())

  async function calleeAndCaller(): Promise<[Client, Client]> {
    return [await pool.join(), await pool.join()]
  }

  it('roundrobin shares a procedure between callees; a different policy is refused (§6.33)', async () => {
    const [a, b] = [await pool.join(), await pool.join()]
    const caller = await pool.join()
    const procedure = uniqueUri('rpc.rr')
    await a.register(procedure, () => ({ args: ['a'] }), { invoke: 'roundrobin' })
    await b.register(procedure, () => ({ args: ['b'] }), { invoke: 'roundrobin' })
    const seen: unknown[] = []
    for (let i = 0; i < 4; i++) seen.push((await caller.call(procedure)).args[0])
    expect(seen).toEqual(['a', 'b', 'a', 'b'])
    const other = await pool.join()
    const refused = await other.register(procedure, () => {}, { invoke: 'first' }).catch((e: unknown) => e)
    // Crossbar.io names the reason more precisely than the spec's procedure_already_exists.
    const expected =
      target.router === 'crossbar'
        ? 'wamp.error.procedure_exists_with_different_invocation_policy'
        : 'wamp.error.procedure_already_exists'
    expect((refused as RPCError).uri).toBe(expected)
  })

  it('first and last pick the oldest and the newest callee (§6.34)', async () => {
    const caller = await pool.join()
    for (const policy of ['first', 'last'] as const) {
      const procedure = uniqueUri(`rpc.${policy}`)
      const [a, b] = [await pool.join(), await pool.join()]
      await a.register(procedure, () => ({ args: ['a'] }), { invoke: policy })
      await b.register(procedure, () => ({ args: ['b'] }), { invoke: policy })
      const answers = new Set<unknown>()
      for (let i = 0; i < 3; i++) answers.add((await caller.call(procedure)).args[0])
      expect([...answers]).toEqual([policy === 'first' ? 'a' : 'b'])
    }
  })

  it('random reaches every callee over enough calls (§6.34)', async () => {
    const caller = await pool.join()
    const procedure = uniqueUri('rpc.random')
    const [a, b] = [await pool.join(), await pool.join()]
    await a.register(procedure, () => ({ args: ['a'] }), { invoke: 'random' })
    await b.register(procedure, () => ({ args: ['b'] }), { invoke: 'random' })
    const answers = new Set<unknown>()
    for (let i = 0; i < 40 && answers.size < 2; i++) answers.add((await caller.call(procedure)).args[0])
    expect([...answers].sort()).toEqual(['a', 'b'])
  })

  it('pattern registrations: exact beats prefix beats wildcard; details.procedure is the called URI (§6.35)', async () => {
    const callee = await pool.join()
    const caller = await pool.join()
    const base = uniqueUri('rpc.pattern')
    const handler = (name: string) => (inv: Invocation) => ({ args: [name, inv.procedure] })
    await callee.register(`${base}.a.b`, handler('exact'))
    await callee.register(`${base}.a`, handler('prefix'), { match: 'prefix' })
    await callee.register(`${base}..b`, handler('wildcard'), { match: 'wildcard' })
    expect((await caller.call(`${base}.a.b`)).args).toEqual(['exact', `${base}.a.b`])
    expect((await caller.call(`${base}.a.c.d`)).args).toEqual(['prefix', `${base}.a.c.d`])
    expect((await caller.call(`${base}.x.b`)).args).toEqual(['wildcard', `${base}.x.b`])
  })

  it('disclose_caller on REGISTER gives details.caller with authid and authrole (§6.36)', async () => {
    const [callee, caller] = await calleeAndCaller()
    const procedure = uniqueUri('rpc.disclose_caller')
    await callee.register(procedure, ({ details }) => ({ kwargs: details }), { disclose_caller: true })
    const { kwargs } = await caller.call(procedure)
    expect(kwargs.caller).toBe(caller.id)
    expect(kwargs.caller_authrole).toBe(caller.realmDetails.authrole)
    expect(kwargs.caller_authid).toBe(caller.realmDetails.authid)
  })

  it('progressive results arrive in order through onProgress and through callProgress (§6.37)', async () => {
    const [callee, caller] = await calleeAndCaller()
    const procedure = uniqueUri('rpc.progress')
    await callee.register(procedure, async ({ progress, details }) => {
      expect(details.receive_progress).toBe(true)
      for (const n of [1, 2, 3]) {
        progress([n])
        await sleep(2)
      }
      return { args: ['done'] }
    })
    const chunks: unknown[] = []
    const result = await caller.call(procedure, [], {}, { onProgress: (r) => chunks.push(r.args[0]) })
    expect(chunks).toEqual([1, 2, 3])
    expect(result.args).toEqual(['done'])
    const items: unknown[] = []
    for await (const item of caller.callProgress(procedure)) items.push([item.args[0], item.final])
    expect(items).toEqual([
      [1, false],
      [2, false],
      [3, false],
      ['done', true],
    ])
  })

  it('leaving the callProgress loop early cancels the call and the callee sees it', async () => {
    const [callee, caller] = await calleeAndCaller()
    const procedure = uniqueUri('rpc.progress_break')
    let interrupted: Promise<unknown> | undefined
    await callee.register(procedure, async (inv) => {
      interrupted = aborted(inv)
      inv.progress([1])
      await interrupted
      throw inv.signal.reason
    })
    for await (const item of caller.callProgress(procedure)) {
      expect(item.args).toEqual([1])
      break
    }
    await expect(interrupted).resolves.toBeDefined()
    await sleep(20)
    expect(caller.stats.pendingRequests).toBe(0)
  })

  it('progress() when the caller did not ask for it fails locally and sends nothing (§6.38)', async () => {
    const [callee, caller] = await calleeAndCaller()
    const procedure = uniqueUri('rpc.no_progress')
    let failure: unknown
    await callee.register(procedure, ({ progress }) => {
      try {
        progress([1])
      } catch (error) {
        failure = error
      }
      return { args: ['final only'] }
    })
    const chunks: unknown[] = []
    const result = await caller.call(procedure)
    expect(result.args).toEqual(['final only'])
    expect(String(failure)).toMatch(/did not ask for progressive results/)
    expect(chunks).toEqual([])
  })

  it.each(['killnowait', 'kill'] as const)(
    'cancel in %s mode: the caller gets an AbortError, the callee is interrupted (§6.39, §6.41)',
    async (mode) => {
      const [callee, caller] = await calleeAndCaller()
      const procedure = uniqueUri(`rpc.cancel_${mode}`)
      let interrupt: Promise<unknown> | undefined
      await callee.register(procedure, async (inv) => {
        interrupt = aborted(inv)
        throw await interrupt
      })
      const abort = new AbortController()
      const call = caller.call(procedure, [], {}, { signal: abort.signal, cancelMode: mode }).catch((e: unknown) => e)
      while (!interrupt) await sleep(5)
      abort.abort('user gave up')
      const error = (await call) as { name: string; reason: unknown }
      expect(error.name).toBe('AbortError')
      expect(error.reason).toBe('user gave up')
      const reason = (await interrupt) as { reason: unknown }
      expect(reason.reason).toBe('wamp.error.canceled')
      await sleep(20)
      expect(caller.stats.pendingRequests).toBe(0)
      expect(callee.stats.activeInvocations).toBe(0)
      // Both sessions live on.
      await callee.register(`${procedure}.after`, () => ({ args: [1] }))
      expect((await caller.call(`${procedure}.after`)).args).toEqual([1])
    },
  )

  it('cancel in skip mode: an immediate AbortError, no interrupt, the late result is dropped (§6.40)', async () => {
    const [callee, caller] = await calleeAndCaller()
    const procedure = uniqueUri('rpc.cancel_skip')
    let started = false
    let signal: AbortSignal | undefined
    await callee.register(procedure, async (inv) => {
      started = true
      signal = inv.signal
      await sleep(100)
      return { args: ['late'] }
    })
    const abort = new AbortController()
    const call = caller.call(procedure, [], {}, { signal: abort.signal, cancelMode: 'skip' }).catch((e: unknown) => e)
    while (!started) await sleep(5)
    abort.abort()
    expect(((await call) as Error).name).toBe('AbortError')
    await sleep(150)
    expect(signal?.aborted).toBe(false)
    expect(caller.isOpen && callee.isOpen).toBe(true)
    expect(caller.stats.pendingRequests).toBe(0)
  })

  it('timeout without forward_timeout: the dealer times the call; the caller gets CallTimeoutError, the callee an interrupt (§6.44)', async () => {
    const [callee, caller] = await calleeAndCaller()
    const procedure = uniqueUri('rpc.timeout')
    let interrupt: Promise<unknown> | undefined
    await callee.register(procedure, async (inv) => {
      interrupt = aborted(inv)
      throw await interrupt
    })
    const error = (await caller.call(procedure, [], {}, { timeout: 300 }).catch((e: unknown) => e)) as RPCError
    expect(error).toBeInstanceOf(RPCError)
    expect(error.name).toBe('CallTimeoutError')
    expect(error.uri).toBe('wamp.error.timeout')
    expect(((await interrupt) as { reason: unknown }).reason).toBe('wamp.error.timeout')
  })

  it('forward_timeout: the callee gets details.timeout and times itself out; the caller sees wamp.error.timeout (§6.45)', async () => {
    const [callee, caller] = await calleeAndCaller()
    const procedure = uniqueUri('rpc.forward_timeout')
    let forwarded: unknown
    let interrupt: Promise<unknown> | undefined
    await callee.register(
      procedure,
      async (inv) => {
        forwarded = inv.details.timeout
        interrupt = aborted(inv)
        throw await interrupt
      },
      { forward_timeout: true },
    )
    const error = (await caller.call(procedure, [], {}, { timeout: 300 }).catch((e: unknown) => e)) as RPCError
    expect(error.uri).toBe('wamp.error.timeout')
    expect(forwarded).toBe(300)
    expect(((await interrupt) as { reason: unknown }).reason).toBe('wamp.error.timeout')
  })

  it('a callee that disconnects mid-call: the caller gets an error at once (§6.46)', async () => {
    const [callee, caller] = await calleeAndCaller()
    const procedure = uniqueUri('rpc.callee_gone')
    let started = false
    await callee.register(procedure, () => {
      started = true
      return new Promise(() => {})
    })
    const call = caller.call(procedure).catch((e: unknown) => e)
    while (!started) await sleep(5)
    callee.terminate()
    const error = (await call) as RPCError
    expect(error).toBeInstanceOf(RPCError)
    // nexus: canceled ["callee gone"]; Crossbar.io: canceled too (its message differs).
    expect(error.uri).toBe('wamp.error.canceled')
  })

  it('progressive call invocations: chunks reach one running handler, then one RESULT (§6.47)', async () => {
    const [callee, caller] = await calleeAndCaller()
    const procedure = uniqueUri('rpc.upload')
    const seen: unknown[] = []
    await callee.register(procedure, async ({ inputs, progressive }) => {
      expect(progressive).toBe(true)
      let total = 0
      for await (const chunk of inputs) {
        seen.push([chunk.args[0], chunk.final])
        total += chunk.args[0] as number
      }
      return { args: [total] }
    })
    if (!caller.hasFeature('dealer', 'progressive_call_invocations')) {
      expect(() => caller.callProgressive(procedure).send([1])).toThrow(/does not support progressive call invocations/)
      return
    }
    const upload = caller.callProgressive(procedure)
    upload.send([1])
    upload.send([2])
    upload.send([3])
    const result = await upload.end([4])
    expect(result.args).toEqual([10])
    expect(seen).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ])
  })

  it('progressive call invocation to a callee that did not announce the feature: feature_not_supported (§6.49)', async () => {
    const callee = await pool.join({ helloDetails: { roles: rolesWithout('progressive_call_invocations') } })
    const caller = await pool.join()
    const procedure = uniqueUri('rpc.upload_old_callee')
    await callee.register(procedure, () => ({ args: ['never'] }))
    if (!caller.hasFeature('dealer', 'progressive_call_invocations')) return expect(target.router).not.toBe('nexus')
    const upload = caller.callProgressive(procedure)
    upload.send([1])
    const error = (await upload.result.catch((e: unknown) => e)) as RPCError
    expect(error).toBeInstanceOf(RPCError)
    expect(error.uri).toBe('wamp.error.feature_not_supported')
  })

  it('1,000 concurrent invocations with their own signals settle and leave every table empty', async () => {
    const [callee, caller] = await calleeAndCaller()
    const procedure = uniqueUri('rpc.concurrent')
    await callee.register(procedure, async ({ args, signal }) => {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, (args[0] as number) % 20)
        signal.addEventListener('abort', () => {
          clearTimeout(timer)
          reject(signal.reason)
        })
      })
      return { args: [args[0]] }
    })
    const controllers = Array.from({ length: 1000 }, () => new AbortController())
    const calls = controllers.map((controller, i) =>
      caller.call(procedure, [i], {}, { signal: controller.signal }).then(
        (r) => ['ok', r.args[0]],
        (e: Error) => [e.name, i],
      ),
    )
    for (let i = 0; i < 1000; i += 10) controllers[i]!.abort()
    const outcomes = await Promise.all(calls)
    const ok = outcomes.filter(([kind]) => kind === 'ok')
    const cancelled = outcomes.filter(([kind]) => kind === 'AbortError')
    expect(ok.length + cancelled.length).toBe(1000)
    expect(cancelled.length).toBe(100)
    for (const [, value] of ok) expect(Number.isInteger(value)).toBe(true)
    await sleep(100)
    expect(caller.stats.pendingRequests).toBe(0)
    expect(callee.stats.activeInvocations).toBe(0)
  })
})

/** Raw frames need the JSON WebSocket, where the spy can write onto the socket. */
describe.each(targets({ transports: ['ws'] }).filter((t) => t.serialization === 'json'))(
  'raw CANCEL: $label',
  (target) => {
    const pool = sessions(target)
    afterEach(() => pool.closeAll())

    it('a CANCEL with an unknown mode: ERROR invalid_argument (nexus, local) or a closed connection (Crossbar.io) (§6.42)', async () => {
      const warnings: string[] = []
      const logger = { debug() {}, error() {}, warn: (message: string) => warnings.push(message) }
      const spy = wireSpy()
      const callee = await pool.join()
      const caller = await pool.join({ createWebSocket: spy.createWebSocket, logger })
      const procedure = uniqueUri('rpc.bad_cancel')
      await callee.register(procedure, () => new Promise(() => {}))
      const call = caller.call(procedure).catch((e: unknown) => e)
      await sleep(50)
      const id = spy.ofType(48).at(-1)![1]
      // The client refuses bad modes itself, so this CANCEL goes around it, straight onto the socket.
      spy.sockets[0]!.send(JSON.stringify([49, id, { mode: 'foo' }]))
      if (target.router === 'crossbar') {
        // Crossbar.io drops the connection (WebSocket close 1002) instead of answering.
        expect((await caller.closed).initiator).toBe('transport')
        expect(((await call) as { code: string }).code).toBe('connection_lost')
        return
      }
      await sleep(100)
      expect(warnings.some((w) => /refused a CANCEL: wamp.error.invalid_argument/.test(w))).toBe(true)
      expect(caller.isOpen).toBe(true)
    })
  },
)
