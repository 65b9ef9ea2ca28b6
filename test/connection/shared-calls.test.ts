import { describe, expect, it } from 'vitest'
import type { Result } from '../../src/client/types.js'
import { MAX_REPLAYED_CHUNKS, SharedCalls } from '../../src/connection/shared-calls.js'

const chunk = (n: number): Result => ({ args: [n], kwargs: {}, details: { progress: true } })

/** A call whose chunks and end the test drives. */
function driven() {
  const started: { emit: (r: Result) => void; finish: () => void }[] = []
  const start = (_signal: AbortSignal, emit: (r: Result) => void) =>
    new Promise<Result>((resolve) => started.push({ emit, finish: () => resolve(chunk(-1)) }))
  return { started, start }
}

describe('SharedCalls: late joiners of a progressive call', () => {
  it('a late joiner gets every chunk so far, then the live ones; one call', () => {
    const calls = new SharedCalls(() => {})
    const { started, start } = driven()
    const early: unknown[] = []
    const late: unknown[] = []
    calls.acquire('k', start, (r) => early.push(r.args[0]))
    started[0]!.emit(chunk(1))
    started[0]!.emit(chunk(2))
    calls.acquire('k', start, (r) => late.push(r.args[0]))
    started[0]!.emit(chunk(3))
    expect(started).toHaveLength(1)
    expect(early).toEqual([1, 2, 3])
    expect(late).toEqual([1, 2, 3])
  })

  it(`past ${MAX_REPLAYED_CHUNKS} chunks the call is no longer joined: a later holder gets a call of its own`, () => {
    const calls = new SharedCalls(() => {})
    const { started, start } = driven()
    let early = 0
    calls.acquire('k', start, () => {
      early += 1
    })
    for (let i = 0; i <= MAX_REPLAYED_CHUNKS; i++) started[0]!.emit(chunk(i))
    const late: unknown[] = []
    calls.acquire('k', start, (r) => late.push(r.args[0]))
    expect(started).toHaveLength(2)
    expect(late).toEqual([])
    started[0]!.emit(chunk(9999))
    expect(early).toBe(MAX_REPLAYED_CHUNKS + 2)
    expect(late).toEqual([])
    started[1]!.emit(chunk(0))
    expect(late).toEqual([0])
  })
})
