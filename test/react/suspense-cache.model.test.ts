/**
 * The Suspense cache (useSuspenseCall's) against a model, with fast-check: random renders
 * (reads that may start a call), commits (holds), unmounts, settles, error resets and time.
 * Invariants after every step: a call is given back at most once, never while held, never while
 * it runs (a suspended render may be waiting on it), never while the cache still serves it; a
 * settled entry nobody holds is given back within UNCLAIMED_TIMEOUT; at the end nothing is left.
 */
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Result } from '../../src/client/types.js'
import type { Connection } from '../../src/connection/connection.js'
import {
  dropFailed,
  holdEntry,
  readEntry,
  type SuspenseEntry,
  UNCLAIMED_TIMEOUT,
} from '../../src/react/suspense-cache.js'

interface Tracked {
  key: string
  entry: SuspenseEntry
  resolve: (result: Result) => void
  reject: (error: Error) => void
  releases: number
  holders: number
  /** When it became settled with no holder (model time), while it is so. */
  unclaimedSince: number | undefined
  settled: boolean
}

type Step =
  | { kind: 'render'; key: string }
  | { kind: 'commit'; key: string }
  | { kind: 'unmount'; index: number }
  | { kind: 'settle'; key: string; ok: boolean }
  | { kind: 'reset' }
  | { kind: 'tick'; ms: number }

const keys = ['a', 'b', 'c']
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('render' as const), key: fc.constantFrom(...keys) }),
  fc.record({ kind: fc.constant('commit' as const), key: fc.constantFrom(...keys) }),
  fc.record({ kind: fc.constant('unmount' as const), index: fc.nat(5) }),
  fc.record({ kind: fc.constant('settle' as const), key: fc.constantFrom(...keys), ok: fc.boolean() }),
  fc.record({ kind: fc.constant('reset' as const) }),
  fc.record({
    kind: fc.constant('tick' as const),
    ms: fc.constantFrom(0, 1, 100, UNCLAIMED_TIMEOUT - 1, UNCLAIMED_TIMEOUT),
  }),
)

const flush = async () => {
  for (let i = 0; i < 4; i++) await Promise.resolve()
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

async function run(steps: Step[]): Promise<void> {
  const connection = {} as Connection
  const tracked: Tracked[] = []
  /** What each key's renders read now (the model of the cache's content). */
  const current = new Map<string, Tracked>()
  const holds: { release: () => void; of: Tracked }[] = []

  const read = (key: string): Tracked => {
    let created: Tracked | undefined
    const entry = readEntry(connection, key, () => {
      let resolve!: (result: Result) => void
      let reject!: (error: Error) => void
      const promise = new Promise<Result>((ok, fail) => {
        resolve = ok
        reject = fail
      })
      promise.catch(() => {})
      created = {
        key,
        entry: undefined as never,
        resolve,
        reject,
        releases: 0,
        holders: 0,
        unclaimedSince: undefined,
        settled: false,
      }
      const made = created
      return {
        promise,
        release: () => {
          made.releases += 1
        },
        forget: () => {},
      }
    })
    if (created) {
      created.entry = entry
      tracked.push(created)
      current.set(key, created)
      return created
    }
    const found = tracked.find((t) => t.entry === entry)
    if (!found) throw new Error('the cache returned an entry it never made')
    return found
  }

  const check = () => {
    for (const t of tracked) {
      expect(t.releases).toBeLessThanOrEqual(1)
      if (t.releases === 1) {
        expect(t.holders).toBe(0)
        expect(t.entry.phase).not.toBe('pending')
      }
      if (t.unclaimedSince !== undefined && Date.now() - t.unclaimedSince >= UNCLAIMED_TIMEOUT) {
        expect(t.releases).toBe(1)
      }
    }
  }

  const markClaim = (t: Tracked) => {
    t.unclaimedSince = t.settled && t.holders === 0 && t.releases === 0 ? (t.unclaimedSince ?? Date.now()) : undefined
  }

  for (const s of steps) {
    switch (s.kind) {
      case 'render': {
        const t = read(s.key)
        // The cache gives a released entry to no one.
        expect(t.releases).toBe(0)
        break
      }
      case 'commit': {
        // As the hook: a component commits only with data, and holds the entry it read.
        const t = read(s.key)
        if (t.entry.phase !== 'fulfilled') break
        holds.push({ release: holdEntry(connection, s.key, t.entry), of: t })
        t.holders += 1
        markClaim(t)
        break
      }
      case 'unmount': {
        const hold = holds.splice(s.index % Math.max(1, holds.length), 1)[0]
        if (!hold) break
        hold.release()
        hold.release() // idempotent
        hold.of.holders -= 1
        markClaim(hold.of)
        break
      }
      case 'settle': {
        const t = tracked.find((candidate) => candidate.key === s.key && !candidate.settled)
        if (!t) break
        t.settled = true
        if (s.ok) t.resolve({ args: [s.key], kwargs: {}, details: {} })
        else t.reject(new Error(`no ${s.key}`))
        await flush()
        expect(t.entry.phase).toBe(s.ok ? 'fulfilled' : 'rejected')
        markClaim(t)
        break
      }
      case 'reset': {
        dropFailed(connection)
        for (const t of tracked) {
          if (t.entry.phase === 'rejected') expect(t.releases).toBe(1)
          markClaim(t)
        }
        break
      }
      case 'tick': {
        vi.advanceTimersByTime(s.ms)
        for (const t of tracked) markClaim(t)
        break
      }
    }
    check()
  }

  // The end: every component unmounts, every call settles, and the time passes.
  for (const hold of holds.splice(0)) {
    hold.release()
    hold.of.holders -= 1
  }
  for (const t of tracked) if (!t.settled) t.resolve({ args: [], kwargs: {}, details: {} })
  await flush()
  vi.advanceTimersByTime(UNCLAIMED_TIMEOUT)
  for (const t of tracked) expect(t.releases).toBe(1)
  // Nothing is left: a read now starts a new call.
  for (const key of keys) {
    const before = tracked.length
    read(key)
    expect(tracked.length).toBe(before + 1)
  }
}

describe('the Suspense cache (model-based)', () => {
  it('gives every call back once, never while held or running, within UNCLAIMED_TIMEOUT when unclaimed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), (steps) => run(steps)),
      { numRuns: 300 },
    )
  })

  it('two reads of one key share one call; a hold keeps it past UNCLAIMED_TIMEOUT', async () => {
    await run([
      { kind: 'render', key: 'a' },
      { kind: 'render', key: 'a' },
      { kind: 'settle', key: 'a', ok: true },
      { kind: 'commit', key: 'a' },
      { kind: 'tick', ms: UNCLAIMED_TIMEOUT },
      { kind: 'tick', ms: UNCLAIMED_TIMEOUT },
      { kind: 'render', key: 'a' },
    ])
  })
})
