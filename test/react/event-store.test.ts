/**
 * EventStore coalescing where there is no requestAnimationFrame (Node, server rendering): a
 * macrotask stands in for the frame, and stopping cancels it.
 */
import { describe, expect, it } from 'vitest'
import type { Event } from '../../src/client/types.js'
import { EventStore } from '../../src/react/event-store.js'

const event = (n: number): Event => ({ args: [n], kwargs: {}, details: {} }) as Event
const sum = (total: number, e: Event) => total + (e.args[0] as number)
const macrotask = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('EventStore coalescing without requestAnimationFrame', () => {
  it('folds every event at once and notifies once, after a macrotask', async () => {
    expect(typeof requestAnimationFrame).toBe('undefined')
    const store = new EventStore<number>(0)
    let notified = 0
    store.subscribe(() => notified++)
    for (let i = 1; i <= 4; i++) store.push(event(i), 2, sum, true)
    expect(notified).toBe(0)
    expect(store.getSnapshot().eventCount).toBe(0)
    await macrotask()
    expect(notified).toBe(1)
    expect(store.getSnapshot()).toMatchObject({ eventCount: 4, state: 10, events: [event(3), event(4)] })
  })

  it('shows what was folded with a status change, at once', () => {
    const store = new EventStore<number>(0)
    store.push(event(7), 1, sum, true)
    store.update({ status: 'active' })
    expect(store.getSnapshot()).toMatchObject({ status: 'active', eventCount: 1, state: 7 })
  })

  it('stopFrame cancels the pending notification (unmount); reset drops what was unshown', async () => {
    const store = new EventStore<number>(0)
    let notified = 0
    store.subscribe(() => notified++)
    store.push(event(1), 1, sum, true)
    store.stopFrame()
    await macrotask()
    expect(notified).toBe(0)
    store.reset(0)
    store.update({ status: 'pending' })
    expect(store.getSnapshot()).toMatchObject({ status: 'pending', eventCount: 0, state: 0 })
  })
})
