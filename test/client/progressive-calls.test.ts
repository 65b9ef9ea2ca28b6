/**
 * Issue 17, cases 3 and 9: progressive calls under failure and abort.
 * - callProgressive(): a call that fails between send() and end() (the callee refuses a chunk)
 *   was an unhandled rejection (the process died), and end() then rejected with "the call has
 *   settled" instead of the callee's RPCError.
 * - callProgress(): a signal aborted before the call sent the CALL anyway and yielded every chunk.
 */
import { describe, expect, it } from 'vitest'
import { createClient } from '../../src/client/connect.js'
import { RPCError, WampAbortError } from '../../src/client/index.js'
import { failOnUnhandled, flush } from '../reliability/support.js'
import { runChild, SRC } from '../support/child.js'
import { FakeRouter, quietLogger, WELCOME_DETAILS } from '../support/fake-router.js'

const unhandled = failOnUnhandled()

/** A client joined to a FakeRouter that announces progressive call invocations. */
async function joined() {
  const router = new FakeRouter()
  const joining = createClient(router, { realm: 'realm1', logger: quietLogger() })
  await router.nextSent(1)
  const dealer = { features: { ...WELCOME_DETAILS.roles.dealer.features, progressive_call_invocations: true } }
  router.deliver(2, 4242, { ...WELCOME_DETAILS, roles: { ...WELCOME_DETAILS.roles, dealer } })
  return { client: await joining, router }
}

describe('callProgressive: the callee refuses a chunk before end() (case 3)', () => {
  it('no unhandled rejection; end() rejects with the callee’s RPCError and sends nothing', async () => {
    const { client, router } = await joined()
    const upload = client.callProgressive('com.example.upload')
    upload.send(['chunk 1'])
    const [, request] = (await router.nextSent(48)) as [number, number]
    router.deliver(8, 48, request, {}, 'com.example.refused', ['chunk 1 is bad'])
    await flush()
    expect(unhandled.errors).toEqual([])
    const sentBefore = router.sent.length
    const error = await upload.end(['last']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RPCError)
    expect(error).toMatchObject({ uri: 'com.example.refused', args: ['chunk 1 is bad'] })
    await expect(upload.result).rejects.toBe(error)
    expect(router.sent.length).toBe(sentBefore)
    expect(() => upload.send(['more'])).toThrow(/settled/)
    expect(client.stats.pendingRequests).toBe(0)
    client.terminate()
  })

  it('a callee that answers before end(): end() resolves with that result', async () => {
    const { client, router } = await joined()
    const upload = client.callProgressive('com.example.upload')
    upload.send(['chunk 1'])
    const [, request] = (await router.nextSent(48)) as [number, number]
    router.deliver(50, request, {}, ['enough'])
    await flush()
    await expect(upload.end(['last'])).resolves.toMatchObject({ args: ['enough'] })
    client.terminate()
  })

  it('in a child process, with the local router and no handler attached for a while: the process lives on', async () => {
    const outcome = await runChild(`
      import { connectLocal, RPCError } from '${SRC}/client/index.js'
      import { createRouter } from '${SRC}/router/index.js'
      const router = createRouter({ realms: { realm1: {} } })
      const callee = await connectLocal(router, { realm: 'realm1' })
      const caller = await connectLocal(router, { realm: 'realm1' })
      await callee.register('com.example.upload', () => {
        throw new RPCError('com.example.refused', ['no chunks today'])
      })
      const upload = caller.callProgressive('com.example.upload')
      upload.send(['chunk 1'])
      // The refusal arrives and settles the call while nobody listens to it.
      await new Promise((resolve) => setTimeout(resolve, 100))
      const error = await upload.end(['last']).catch((e: unknown) => e)
      console.log('end', error instanceof RPCError, (error as RPCError).uri)
      await caller.close()
      await callee.close()
      await router.close()
      console.log('alive')
    `)
    expect(outcome.stderr).not.toMatch(/Unhandled|uncaught|Error:/i)
    expect(outcome.stdout).toMatch(/end true com\.example\.refused/)
    expect(outcome.stdout).toMatch(/alive/)
    expect(outcome).toMatchObject({ code: 0, signal: null })
  })
})

describe('callProgress with a signal aborted before the call (case 9)', () => {
  it('throws WampAbortError on the first step, as call() rejects, and sends no CALL', async () => {
    const { client, router } = await joined()
    const reason = new Error('not wanted any more')
    const signal = AbortSignal.abort(reason)
    await expect(client.call('com.example.export', [], {}, { signal })).rejects.toBeInstanceOf(WampAbortError)
    const chunks: unknown[] = []
    const error = await (async () => {
      for await (const chunk of client.callProgress('com.example.export', [], {}, { signal })) chunks.push(chunk)
    })().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WampAbortError)
    expect(chunks).toEqual([])
    await flush()
    expect(router.sentOfType(48)).toEqual([])
    expect(client.stats.pendingRequests).toBe(0)
    client.terminate()
  })
})
