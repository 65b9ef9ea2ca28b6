// @vitest-environment happy-dom
/**
 * useSubscription({ coalesce: 'frame' }) under <StrictMode> on the in-process router: events that
 * arrive within one animation frame make one render with all of them folded; without the option,
 * a render per event. Frames are driven by hand (requestAnimationFrame stubbed).
 */
import { act, cleanup, render } from '@testing-library/react'
import { StrictMode, useLayoutEffect } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Event } from '../../src/client/types.js'
import { useSubscription } from '../../src/react/index.js'
import { localWire, sleep, until } from './local-wire.js'

let wire = localWire()
let frames = new Map<number, FrameRequestCallback>()
let nextFrame = 1
beforeEach(() => {
  frames = new Map()
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => {
    frames.set(nextFrame, callback)
    return nextFrame++
  })
  vi.stubGlobal('cancelAnimationFrame', (id: number) => frames.delete(id))
})
afterEach(async () => {
  cleanup()
  vi.unstubAllGlobals()
  await wire.dispose()
  wire = localWire()
})

/** Runs the frames requested so far, as the browser would before its next paint. */
function runFrames() {
  const due = [...frames.values()]
  frames.clear()
  for (const callback of due) callback(performance.now())
}

const sum = (total: number, event: Event) => total + (event.args[0] as number)

function setup(coalesce: 'frame' | undefined) {
  const seen: number[] = []
  let commits = 0
  function Ticker() {
    const { eventCount, state, status } = useSubscription('t.fast', {
      reducer: sum,
      initialValue: 0,
      onEvent: (event) => seen.push(event.args[0] as number),
      ...(coalesce ? { coalesce } : {}),
    })
    // Once per commit (StrictMode renders twice, commits once).
    useLayoutEffect(() => {
      commits++
    })
    return <p data-testid="t">{`${status}:${eventCount}:${state}`}</p>
  }
  const view = render(
    <StrictMode>
      <wire.Provider>
        <Ticker />
      </wire.Provider>
    </StrictMode>,
  )
  return { view, seen, commits: () => commits, text: () => view.getByTestId('t').textContent }
}

/** Publishes each value in its own task (acknowledged, then a pause): one event per macrotask. */
async function publishOneByOne(values: number[]) {
  const publisher = await wire.peer()
  for (const value of values) {
    await publisher.publish('t.fast', [value], {}, { acknowledge: true })
    await act(() => sleep(2))
  }
}

describe("useSubscription({ coalesce: 'frame' })", () => {
  it('folds N events of one frame into one render; reducer and onEvent ran for each as it came', async () => {
    const t = setup('frame')
    await until('active', () => t.text() === 'active:0:0')
    act(runFrames)
    const before = t.commits()
    await publishOneByOne([1, 2, 3, 4, 5])
    await until('five events heard', () => t.seen.length === 5)
    expect(t.seen).toEqual([1, 2, 3, 4, 5])
    expect(t.commits()).toBe(before)
    expect(t.text()).toBe('active:0:0')
    expect(frames.size).toBe(1)
    act(runFrames)
    expect(t.commits()).toBe(before + 1)
    expect(t.text()).toBe('active:5:15')
    // The next frame shows the next events.
    await publishOneByOne([10])
    await until('sixth event heard', () => t.seen.length === 6)
    act(runFrames)
    expect(t.commits()).toBe(before + 2)
    expect(t.text()).toBe('active:6:25')
  })

  it('without it, renders once per event', async () => {
    const t = setup(undefined)
    await until('active', () => t.text() === 'active:0:0')
    const before = t.commits()
    await publishOneByOne([1, 2, 3, 4, 5])
    await until('five events shown', () => t.text() === 'active:5:15')
    expect(t.commits()).toBe(before + 5)
    expect(frames.size).toBe(0)
  })

  it('cancels its frame on unmount', async () => {
    const t = setup('frame')
    await until('active', () => t.text() === 'active:0:0')
    act(runFrames)
    await publishOneByOne([1])
    await until('event heard', () => t.seen.length === 1)
    expect(frames.size).toBe(1)
    t.view.unmount()
    expect(frames.size).toBe(0)
  })
})
