import { afterEach, describe, expect, it } from 'vitest'
import { type Invocation, type Result, RPCError } from '../../src/client/index.js'
import { sessions, sleep, targets, uniqueUri } from './targets.js'

const LATE = 300

interface Settled {
  result?: Result
  error?: unknown
  at: number
}

/** Waits until the signal aborts (or `fallback` ms, for modes that never interrupt), then 300 ms more. */
async function finishLate(invocation: Invocation, fallback: number): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, fallback)
    invocation.signal.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    })
  })
  await sleep(LATE)
}

// Issue 16 item 4: the callee's handler has the last word after INTERRUPT. In `kill` the caller
// gets what it settles with, 300 ms after the abort; in `killnowait` and `skip` it rejects at once.
describe.each(targets({ transports: ['ws', 'inproc'] }))('cancel modes with a slow handler: $label', (target) => {
  const pool = sessions(target)
  afterEach(() => pool.closeAll())

  async function cancelled(mode: 'kill' | 'killnowait' | 'skip', outcome: 'result' | 'error' | 'reason') {
    const [callee, caller] = [await pool.join(), await pool.join()]
    const procedure = uniqueUri(`rpc.late_${mode}_${outcome}`)
    let started = false
    let abortedBy: unknown
    await callee.register(procedure, async (inv) => {
      started = true
      await finishLate(inv, 2 * LATE)
      abortedBy = inv.signal.reason
      if (outcome === 'reason' && inv.signal.aborted) throw inv.signal.reason
      if (outcome === 'error') throw new RPCError('com.example.cleanup_failed', ['disk'], { step: 2 })
      return { args: ['finished late'], kwargs: { partial: true } }
    })
    const abort = new AbortController()
    const call = caller.call(procedure, [], {}, { signal: abort.signal, cancelMode: mode })
    const settled = call.then(
      (result): Settled => ({ result, at: performance.now() }),
      (error: unknown): Settled => ({ error, at: performance.now() }),
    )
    while (!started) await sleep(5)
    const abortedAt = performance.now()
    abort.abort('user gave up')
    const outcomeOf = await settled
    const elapsed = outcomeOf.at - abortedAt
    // Let the handler finish, then check that nothing is left behind on either side.
    await sleep(4 * LATE)
    expect(callee.stats.activeInvocations).toBe(0)
    expect(caller.stats.pendingRequests).toBe(0)
    expect(caller.isOpen && callee.isOpen).toBe(true)
    return { ...outcomeOf, elapsed, abortedBy }
  }

  // Crossbar.io (dealer.py) waits for the callee's answer in kill mode but then sends the caller
  // its own ERROR canceled instead of forwarding the answer: a router quirk, so only the wait is
  // checked there. nexus and our router forward the answer.
  const forwardsAnswer = target.router !== 'crossbar'

  it('kill: the caller gets the result the handler returns 300 ms after its signal aborts', async () => {
    const { result, error, elapsed, abortedBy } = await cancelled('kill', 'result')
    expect(elapsed).toBeGreaterThanOrEqual(LATE - 20)
    expect((abortedBy as { reason: unknown }).reason).toBe('wamp.error.canceled')
    if (!forwardsAnswer) {
      expect((error as Error).name).toBe('AbortError')
      return
    }
    expect(result?.args).toEqual(['finished late'])
    expect(result?.kwargs).toEqual({ partial: true })
  })

  it('kill: the caller gets the error the handler throws 300 ms after its signal aborts', async () => {
    const { error, elapsed } = await cancelled('kill', 'error')
    expect(elapsed).toBeGreaterThanOrEqual(LATE - 20)
    if (!forwardsAnswer) {
      expect((error as Error).name).toBe('AbortError')
      return
    }
    expect(error).toBeInstanceOf(RPCError)
    expect([(error as RPCError).uri, (error as RPCError).args, (error as RPCError).kwargs]).toEqual([
      'com.example.cleanup_failed',
      ['disk'],
      { step: 2 },
    ])
  })

  it('kill: a handler that throws its signal reason gives the caller an AbortError after 300 ms', async () => {
    const { error, elapsed } = await cancelled('kill', 'reason')
    expect((error as Error).name).toBe('AbortError')
    expect((error as { reason: unknown }).reason).toBe('user gave up')
    expect(elapsed).toBeGreaterThanOrEqual(LATE - 20)
  })

  it.each(['killnowait', 'skip'] as const)(
    '%s: the caller rejects at once; the late result is dropped',
    async (mode) => {
      const { error, elapsed, abortedBy } = await cancelled(mode, 'result')
      expect((error as Error).name).toBe('AbortError')
      expect(elapsed).toBeLessThan(LATE / 2)
      if (mode === 'skip') expect(abortedBy).toBeUndefined()
      else expect((abortedBy as { reason: unknown }).reason).toBe('wamp.error.canceled')
    },
  )
})
