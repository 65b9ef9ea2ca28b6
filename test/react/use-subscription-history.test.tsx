// @vitest-environment happy-dom
/**
 * useSubscription with `history` under <StrictMode> on the in-process router: it starts with the
 * last stored events, fills the gap of a reconnect, shows how complete the stream is, and puts
 * one SUBSCRIBE and one history read per session on the wire.
 */
import { act } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Event } from '../../src/client/index.js'
import { useSubscription } from '../../src/react/index.js'
import { CALL, SUBSCRIBE, SUBSCRIBED, sleep, until, wirePerTest } from './local-wire.js'

const suite = wirePerTest({ eventHistory: [{ topic: 't.history', limit: 100 }] })
const { mount, text } = suite

const reads = () =>
  suite
    .wire()
    .ofType(CALL)
    .filter((message) => message[3] === 'wamp.subscription.get_events')
const collect = (list: number[], event: Event) => [...list, event.args[0] as number]

function Chart({ topic }: { topic: string }) {
  const { state, completeness, status } = useSubscription(topic, {
    history: { last: 2, backfill: true },
    reducer: collect,
    initialValue: [] as number[],
  })
  return <p data-testid="chart">{`${status}:${completeness?.status}:${state.join(',')}`}</p>
}

describe('useSubscription with history', () => {
  it('starts with the last N stored events and fills the gap of a reconnect, each event once', async () => {
    const publisher = await suite.wire().peer()
    for (const n of [1, 2, 3, 4]) await publisher.publish('t.history', [n], {}, { acknowledge: true })
    const view = mount(<Chart topic="t.history" />)
    await until('the last two stored events', () => text(view, 'chart') === 'active:complete:3,4')
    expect(suite.wire().ofType(SUBSCRIBE)).toHaveLength(1)
    expect(reads()).toHaveLength(1)

    // The router ends the app's session; events are published while it is away and just after.
    const session = suite.wire().sessions[0]!
    await publisher.call('wamp.session.kill', [session.id])
    for (const n of [5, 6]) await publisher.publish('t.history', [n], {}, { acknowledge: true })
    await until('subscribed again', () => suite.wire().ofType(SUBSCRIBE).length === 2)
    await publisher.publish('t.history', [7], {}, { acknowledge: true })
    await until('no hole', () => text(view, 'chart') === 'active:complete:3,4,5,6,7')
    await act(() => sleep(20))
    expect(text(view, 'chart')).toBe('active:complete:3,4,5,6,7')
    expect(reads()).toHaveLength(2)
  })

  it('a topic without history says unfillable, and live events still flow', async () => {
    const publisher = await suite.wire().peer()
    const view = mount(<Chart topic="t.plain" />)
    await until('unfillable', () => text(view, 'chart') === 'active:unfillable:')
    await publisher.publish('t.plain', [1], {}, { acknowledge: true })
    await until('the live event', () => text(view, 'chart') === 'active:unfillable:1')
    expect(suite.wire().ofType(SUBSCRIBE)).toHaveLength(1)
  })

  it('retained: the retained event first, asked for on the first SUBSCRIBE only', async () => {
    const publisher = await suite.wire().peer()
    await publisher.publish('t.state', ['on'], {}, { acknowledge: true, retain: true })
    function Lamp() {
      const { state, status } = useSubscription('t.state', {
        history: { retained: true },
        reducer: (seen: string[], event: Event) => [...seen, event.args[0] as string],
        initialValue: [] as string[],
      })
      return <p data-testid="lamp">{`${status}:${state.join(',')}`}</p>
    }
    const view = mount(<Lamp />)
    await until('the retained state', () => text(view, 'lamp') === 'active:on')
    await publisher.call('wamp.session.kill', [suite.wire().sessions[0]!.id])
    await until('subscribed again', () => suite.wire().received.filter((m) => m[0] === SUBSCRIBED).length === 2)
    await publisher.publish('t.state', ['off'], {}, { acknowledge: true, retain: true })
    await until('the live change', () => text(view, 'lamp') === 'active:on,off')
    const [first, second] = suite.wire().ofType(SUBSCRIBE)
    expect(first![2]).toEqual({ get_retained: true })
    expect(second![2]).toEqual({})
  })
})
