/**
 * Timers longer than setTimeout can hold. Node and browsers keep delays as 32-bit signed
 * milliseconds: anything at or above 2^31 ms (24.8 days) fires after 1 ms (Node warns with a
 * TimeoutOverflowWarning). Delays the library takes from the user (`timeout`, `responseTimeout`) or
 * from the router (INVOCATION.Details.timeout) must not be cut short by that.
 * Found while fuzzing INVOCATION details (test/fuzz); fixed by capping delays (src/client/timer.ts).
 */
import { describe, expect, it } from 'vitest'
import { joinedClient } from '../support/fake-router.js'
import { flush } from './support.js'

const HUGE = 2 ** 31

const settledWithin = async (promise: Promise<unknown>, ms: number) => {
  let settled = false
  promise.then(
    () => {
      settled = true
    },
    () => {
      settled = true
    },
  )
  await new Promise((resolve) => setTimeout(resolve, ms))
  return settled
}

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
