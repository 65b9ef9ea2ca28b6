import { afterEach, describe, expect, it } from 'vitest'
import type { Event } from '../../src/client/index.js'
import { RPCError } from '../../src/client/index.js'
import { type AutobahnSession, autobahn, openAutobahn } from '../support/autobahn-peer.js'
import { nextValue, sessions, targets, uniqueUri } from './targets.js'

/** Our client on every transport and serializer; Autobahn|JS on the router's WebSocket. */
describe.each(targets())('interop with Autobahn|JS: $label', (target) => {
  const pool = sessions(target)
  const peers: { close(): void }[] = []
  // What Autobahn|JS reports about its handlers, kept for the assertions instead of printed.
  let userErrors: string[] = []
  const peer = async (): Promise<AutobahnSession> => {
    const opened = await openAutobahn(target.wsUrl, 'realm1', target.serialization, (_error, message) =>
      userErrors.push(message),
    )
    peers.push(opened)
    return opened.session
  }
  afterEach(async () => {
    userErrors = []
    for (const p of peers.splice(0)) p.close()
    await pool.closeAll()
  })

  it('our caller, Autobahn|JS callee: result and error round-trip', async () => {
    const callee = await peer()
    const procedure = uniqueUri('interop.ab_callee')
    await callee.register(procedure, (args, kwargs) => {
      if (args[0] === 'fail') throw new autobahn.Error('com.example.error.refused', ['no', 7], { why: 'asked to' })
      return new autobahn.Result([...args, 'from autobahn'], { ...kwargs, ok: true })
    })
    const caller = await pool.join()
    const result = await caller.call(procedure, [1, { deep: ['x'] }], { k: 'v' })
    expect(result.args).toEqual([1, { deep: ['x'] }, 'from autobahn'])
    expect(result.kwargs).toEqual({ k: 'v', ok: true })
    const error = (await caller.call(procedure, ['fail']).catch((e: unknown) => e)) as RPCError
    expect(error).toBeInstanceOf(RPCError)
    expect(error.uri).toBe('com.example.error.refused')
    expect(error.args).toEqual(['no', 7])
    expect(error.kwargs).toEqual({ why: 'asked to' })
    expect(userErrors).toEqual(['Exception raised in invocation handler:'])
  })

  it('Autobahn|JS caller, our callee: result and RPCError round-trip', async () => {
    const callee = await pool.join()
    const procedure = uniqueUri('interop.our_callee')
    await callee.register(procedure, ({ args, kwargs }) => {
      if (args[0] === 'fail') throw new RPCError('com.example.error.ours', ['bad'], { code: 3 })
      return { args: [(args[0] as number) + 1], kwargs: { echoed: kwargs } }
    })
    const caller = await peer()
    const result = (await caller.call(procedure, [41], { x: 1 })) as {
      args: unknown[]
      kwargs: Record<string, unknown>
    }
    expect(result.args).toEqual([42])
    expect(result.kwargs).toEqual({ echoed: { x: 1 } })
    const error = (await caller.call(procedure, ['fail']).catch((e: unknown) => e)) as {
      error: string
      args: unknown[]
      kwargs: Record<string, unknown>
    }
    expect(error.error).toBe('com.example.error.ours')
    expect(error.args).toEqual(['bad'])
    expect(error.kwargs).toEqual({ code: 3 })
  })

  it('Autobahn|JS publisher, our subscriber', async () => {
    const subscriber = await pool.join()
    const topic = uniqueUri('interop.ab_pub')
    const events = nextValue<Event>()
    await subscriber.subscribe(topic, (e) => events.push(e))
    const publisher = await peer()
    await publisher.publish(topic, ['hello', 2], { from: 'autobahn' }, { acknowledge: true })
    const event = await events.next()
    expect(event.args).toEqual(['hello', 2])
    expect(event.kwargs).toEqual({ from: 'autobahn' })
  })

  it('our publisher, Autobahn|JS subscriber', async () => {
    const subscriber = await peer()
    const topic = uniqueUri('interop.our_pub')
    const events = nextValue<{ args: unknown[]; kwargs: Record<string, unknown> }>()
    await subscriber.subscribe(topic, (args, kwargs) => events.push({ args, kwargs }))
    const publisher = await pool.join()
    await publisher.publish(topic, ['hi', { n: 1 }], { from: 'react-wamp' }, { acknowledge: true })
    const event = await events.next()
    expect(event.args).toEqual(['hi', { n: 1 }])
    expect(event.kwargs).toEqual({ from: 'react-wamp' })
  })

  it('our caller cancels a call to an Autobahn|JS callee: AbortError at once, both sessions live on', async () => {
    const callee = await peer()
    const procedure = uniqueUri('interop.ab_slow')
    let started = false
    await callee.register(procedure, () => {
      started = true
      return new Promise(() => {})
    })
    const caller = await pool.join()
    const abort = new AbortController()
    const call = caller.call(procedure, [], {}, { signal: abort.signal }).catch((e: unknown) => e)
    while (!started) await new Promise((r) => setTimeout(r, 5))
    abort.abort('enough')
    const error = (await call) as { name: string; reason: unknown }
    expect(error.name).toBe('AbortError')
    expect(error.reason).toBe('enough')
    // Our session lives on, and so does the Autobahn|JS callee: it still answers another procedure.
    const other = uniqueUri('interop.ab_after_cancel')
    await callee.register(other, () => 'still here')
    expect((await caller.call(other)).args).toEqual(['still here'])
  })

  it('an Autobahn|JS caller receives the progressive results of our callee, then the final one', async () => {
    const callee = await pool.join()
    const procedure = uniqueUri('interop.our_progress')
    await callee.register(procedure, async ({ progress, details }) => {
      expect(details.receive_progress).toBe(true)
      for (const n of [1, 2, 3]) {
        progress([n])
        await new Promise((r) => setTimeout(r, 5))
      }
      return { args: ['done'] }
    })
    const caller = await peer()
    const chunks: unknown[] = []
    const result = await new Promise((resolve, reject) => {
      ;(
        caller.call(procedure, [], {}, { receive_progress: true }) as unknown as {
          then(ok: (v: unknown) => void, err: (e: unknown) => void, progress: (p: unknown) => void): void
        }
      ).then(resolve, reject, (p) => chunks.push(p)) // Autobahn|JS passes a lone positional result as is
    })
    expect(chunks).toEqual([1, 2, 3])
    expect(result).toBe('done')
  })
})
