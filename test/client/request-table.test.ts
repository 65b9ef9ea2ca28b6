/**
 * Issue 17, case 7: every request that timed out used to stay in the request table for the rest
 * of the session. The policy now (src/client/request-table.ts `expire`): a timed-out request
 * leaves the table at once; one whose late success must be undone (SUBSCRIBE, REGISTER) keeps a
 * listener among the LATE_LISTENERS newest.
 */
import { describe, expect, it } from 'vitest'
import { CallTimeoutError, ResponseTimeoutError } from '../../src/client/index.js'
import { LATE_LISTENERS, type RequestTable } from '../../src/client/request-table.js'
import { failOnUnhandled, flush } from '../reliability/support.js'
import { joinedClient } from '../support/fake-router.js'

failOnUnhandled()

const N = 300

describe('requests that time out leave the request table (case 7)', () => {
  it(`${N} each of SUBSCRIBE, REGISTER, acknowledged PUBLISH and CALL time out: nothing pending, at most ${LATE_LISTENERS} late listeners`, async () => {
    const { client, router } = await joinedClient({ responseTimeout: 10 })
    const table = (client as unknown as { requests: RequestTable }).requests
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: N }, (_, i) => client.subscribe(`com.example.topic.${i}`, () => {})),
      ...Array.from({ length: N }, (_, i) => client.register(`com.example.proc.${i}`, () => {})),
      ...Array.from({ length: N }, (_, i) => client.publish(`com.example.pub.${i}`, [], {}, { acknowledge: true })),
      ...Array.from({ length: N }, (_, i) => client.call(`com.example.call.${i}`, [], {}, { timeout: 1 })),
    ])
    const reasons = outcomes.map((outcome) => (outcome.status === 'rejected' ? outcome.reason : outcome))
    expect(reasons.slice(0, 3 * N).every((reason) => reason instanceof ResponseTimeoutError)).toBe(true)
    expect(reasons.slice(3 * N).every((reason) => reason instanceof CallTimeoutError)).toBe(true)
    expect(client.stats.pendingRequests).toBe(0)
    expect(table.size).toBe(0)
    expect(table.lateListeners).toBe(LATE_LISTENERS)

    // The newest timed-out REGISTER (the callee loads first, so these time out last) still
    // hears its late REGISTERED and undoes it.
    const registers = router.sentOfType(64)
    router.deliver(65, registers.at(-1)![1], 9001)
    await flush()
    expect(router.sentOfType(66).at(-1)?.[2]).toBe(9001)
    // The oldest SUBSCRIBE's listener was dropped: its late reply is ignored like any late reply.
    const subscribes = router.sentOfType(32)
    router.deliver(33, subscribes[0]![1], 9002)
    await flush()
    expect(router.sentOfType(34)).toEqual([])
    expect(client.isOpen).toBe(true)
    client.terminate()
    expect(table.lateListeners).toBe(0)
  })
})
