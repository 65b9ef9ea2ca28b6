/**
 * Timers longer than setTimeout can hold. Node and browsers keep delays as 32-bit signed
 * milliseconds: anything at or above 2^31 ms (24.8 days) fires after 1 ms (Node warns with a
 * TimeoutOverflowWarning). Delays the library takes from the user (`timeout`, `responseTimeout`) or
 * from the router (INVOCATION.Details.timeout) must not be cut short by that.
 * Found while fuzzing INVOCATION details (test/fuzz); fixed by capping delays (src/client/timer.ts).
 */
import { type AddressInfo, createServer, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { ConnectionLostError, connect, connectLocal } from '../../src/client/index.js'
import { MAX_DELAY, timerDelay } from '../../src/client/timer.js'
import { Liveness } from '../../src/connection/liveness.js'
import { createRouter } from '../../src/router/index.js'
import { joinedClient } from '../support/fake-router.js'
import { settledWithin } from '../support/wait.js'
import { flush } from './support.js'

const HUGE = 2 ** 31

describe('delays of 2^31 ms or more are capped, not fired after 1 ms (fixed)', () => {
  // src/client/caller.ts begin(): the local deadline is setTimeout(…, timeout + responseTimeout).
  // Expected: a call with timeout 2^31 is still waiting 50 ms later. Actual: CallTimeoutError after ~1 ms.
  it('a call with options.timeout = 2^31 is not failed locally at once', async () => {
    const { client } = await joinedClient()
    const call = client.call('com.example.long', [], {}, { timeout: HUGE })
    call.catch(() => {})
    expect(await settledWithin(call, 50)).toBe(false)
  })

  // src/client/client.ts request(): setTimeout(…, responseTimeout).
  // Expected: a subscribe with responseTimeout 2^31 still waits for SUBSCRIBED. Actual: ResponseTimeoutError after ~1 ms.
  it('responseTimeout = 2^31 does not time a request out at once', async () => {
    const { client } = await joinedClient({ responseTimeout: HUGE })
    const subscribing = client.subscribe('com.example.topic', () => {})
    subscribing.catch(() => {})
    expect(await settledWithin(subscribing, 50)).toBe(false)
  })

  // src/client/callee.ts onInvocation(): setTimeout(() => expire(…), details.timeout), with the router's value.
  // Expected: a handler that needs 20 ms under a forwarded timeout of 2^31 ms answers with YIELD.
  // Actual: the invocation expires after ~1 ms: ERROR wamp.error.timeout, the handler's signal aborted.
  it('an INVOCATION with Details.timeout = 2^31 is not expired at once', async () => {
    const { client, router } = await joinedClient()
    const registering = client.register('com.example.slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20))
      return { args: ['done'] }
    })
    await router.nextSent(64)
    router.deliver(65, 1, 7)
    await registering
    router.deliver(68, 1, 7, { timeout: HUGE })
    await new Promise((resolve) => setTimeout(resolve, 60))
    await flush()
    expect(router.sent.at(-1)).toEqual([70, 1, {}, ['done']])
  })
})

describe('the same paths just below the limit', () => {
  it('timeout + responseTimeout = 2^31 - 1, responseTimeout = 2^31 - 1 and Details.timeout = 2^31 - 1 all wait', async () => {
    const patient = await joinedClient({ responseTimeout: 2 ** 31 - 1 })
    const subscribing = patient.client.subscribe('com.example.topic', () => {})
    subscribing.catch(() => {})
    const { client, router } = await joinedClient() // responseTimeout 5000
    const call = client.call('com.example.long', [], {}, { timeout: 2 ** 31 - 1 - 5000 })
    call.catch(() => {})
    expect(await settledWithin(call, 30)).toBe(false)
    expect(await settledWithin(subscribing, 1)).toBe(false)
    const registering = client.register('com.example.slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20))
      return { args: ['done'] }
    })
    await router.nextSent(64)
    router.deliver(65, 2, 7)
    await registering
    router.deliver(68, 1, 7, { timeout: 2 ** 31 - 1 })
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(router.sent.at(-1)).toEqual([70, 1, {}, ['done']])
    client.terminate()
    patient.client.terminate()
  })
})

/**
 * Issue 17, case 4: the cap did not reach every duration. Open timeouts (`responseTimeout` as
 * connect()'s openTimeout, WebSocket and RawSocket), the router's dealer-side call timeout, and
 * liveness now go through the same helper (src/protocol/timer.ts, re-exported by src/client/timer.ts).
 */
describe('every duration goes through one helper (issue 17, case 4)', () => {
  it('timerDelay caps 2^31 and above, Infinity, and takes negative and NaN as 0', () => {
    expect(timerDelay(HUGE)).toBe(MAX_DELAY)
    expect(timerDelay(Number.MAX_SAFE_INTEGER)).toBe(MAX_DELAY)
    expect(timerDelay(Number.POSITIVE_INFINITY)).toBe(MAX_DELAY)
    expect(timerDelay(MAX_DELAY)).toBe(MAX_DELAY)
    expect(timerDelay(1500)).toBe(1500)
    expect(timerDelay(-5)).toBe(0)
    expect(timerDelay(Number.NaN)).toBe(0)
    expect(MAX_DELAY).toBe(2 ** 31 - 1)
  })

  it('connect() with responseTimeout = 2^31 keeps waiting for a silent router (ws:// and tcp://)', async () => {
    const sockets: Socket[] = []
    const server = createServer((socket) => {
      sockets.push(socket)
      socket.on('error', () => {})
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    try {
      for (const url of [`ws://127.0.0.1:${port}/ws`, `tcp://127.0.0.1:${port}`]) {
        const opening = connect(url, { realm: 'realm1', responseTimeout: HUGE })
        opening.catch(() => {})
        expect(await settledWithin(opening, 50)).toBe(false)
        // Dropping the connection still ends the attempt at once.
        for (const socket of sockets.splice(0)) socket.destroy()
        await expect(opening).rejects.toBeInstanceOf(ConnectionLostError)
      }
    } finally {
      server.close()
    }
  })

  it('the router’s dealer-side call timeout of 2^31 ms does not fire at once', async () => {
    const router = createRouter({ realms: { realm1: {} } })
    const callee = await connectLocal(router, { realm: 'realm1' })
    const caller = await connectLocal(router, { realm: 'realm1' })
    let release!: () => void
    await callee.register(
      'com.example.slow',
      () =>
        new Promise<{ args: string[] }>((resolve) => {
          release = () => resolve({ args: ['done'] })
        }),
    )
    const call = caller.call('com.example.slow', [], {}, { timeout: HUGE })
    call.catch(() => {})
    expect(await settledWithin(call, 50)).toBe(false)
    release()
    await expect(call).resolves.toMatchObject({ args: ['done'] })
    await router.close()
  })

  // Before liveness used startTimer: a probe after ~1 ms that "timed out" after ~1 ms and
  // terminated the session (or, with a router that answers, a probe every few ms).
  it('liveness with interval and timeout of 2^31 ms sends no probe at once', async () => {
    const { client, router } = await joinedClient()
    const liveness = new Liveness(() => ({ interval: HUGE, timeout: HUGE, transportPing: false }))
    liveness.start(client)
    await new Promise((resolve) => setTimeout(resolve, 50))
    liveness.stop()
    expect(router.sentOfType(48)).toEqual([])
    expect(client.isOpen).toBe(true)
    client.terminate()
  })
})
