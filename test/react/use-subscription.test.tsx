// @vitest-environment happy-dom
/**
 * useSubscription, useRegister and useWampSession under <StrictMode> on the in-process router:
 * the rendered state and the wire. Cases of issue 15.
 */
import { act } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { RPCError } from '../../src/client/index.js'
import { type RegisterHookStatus, useRegister, useSubscription, useWampSession } from '../../src/react/index.js'
import { REGISTER, SUBSCRIBE, sleep, UNREGISTER, UNSUBSCRIBE, until, wirePerTest } from './local-wire.js'

const suite = wirePerTest()
const { mount, text } = suite

async function publish(topic: string, values: unknown[]) {
  const publisher = await suite.wire().peer()
  for (const value of values) await publisher.publish(topic, [value], {}, { acknowledge: true })
  await act(() => sleep(10))
}

describe('useSubscription', () => {
  it('case 2: enabled: false unsubscribes (one UNSUBSCRIBE) and is idle, keeping its last events', async () => {
    function Ticker({ enabled }: { enabled: boolean }) {
      const { status, eventCount } = useSubscription('t.tick', { enabled })
      return <p data-testid="t">{`${status}:${eventCount}`}</p>
    }
    const view = mount(<Ticker enabled />)
    await until('active', () => text(view, 't') === 'active:0')
    await publish('t.tick', [1])
    await until('one event', () => text(view, 't') === 'active:1')
    view.update(<Ticker enabled={false} />)
    expect(text(view, 't')).toBe('idle:1')
    await until('one UNSUBSCRIBE', () => suite.wire().ofType(UNSUBSCRIBE).length === 1)
    await act(() => sleep(20))
    expect(text(view, 't')).toBe('idle:1')
    expect(suite.wire().ofType(SUBSCRIBE)).toHaveLength(1)
    view.update(<Ticker enabled />)
    await until('active again, afresh', () => text(view, 't') === 'active:0')
    expect(suite.wire().ofType(SUBSCRIBE)).toHaveLength(2)
  })

  it('case 8: bufferSize is respected (1 keeps the last event; 3 the last three)', async () => {
    const seen: Record<string, unknown[]> = {}
    function Buffer({ id, size }: { id: string; size: number }) {
      const { events, eventCount } = useSubscription('t.buffer', { bufferSize: size })
      seen[id] = events.map((e) => e.args[0])
      return <p data-testid={id}>{eventCount}</p>
    }
    const view = mount(
      <>
        <Buffer id="one" size={1} />
        <Buffer id="three" size={3} />
        <Buffer id="none" size={0} />
      </>,
    )
    await until('subscribed', () => suite.wire().ofType(SUBSCRIBE).length === 1)
    await act(() => sleep(10))
    await publish(
      't.buffer',
      Array.from({ length: 60 }, (_, i) => i),
    )
    await until('60 events', () => text(view, 'one') === '60')
    expect(seen.one).toEqual([59])
    expect(seen.three).toEqual([57, 58, 59])
    expect(seen.none).toEqual([])
  })

  it('a throwing reducer or onEvent stops only its own component (error); the neighbour keeps every event', async () => {
    function Sum({ id, throwAt, where }: { id: string; throwAt?: number; where?: 'reducer' | 'onEvent' }) {
      const { status, state, error } = useSubscription('t.sum', {
        reducer: (sum: number, e) => {
          if (where === 'reducer' && e.args[0] === throwAt) throw new Error(`reducer of ${id}`)
          return sum + (e.args[0] as number)
        },
        onEvent: (e) => {
          if (where === 'onEvent' && e.args[0] === throwAt) throw new Error(`onEvent of ${id}`)
        },
        initialValue: 0,
      })
      return <p data-testid={id}>{`${status}:${state}:${error?.message ?? ''}`}</p>
    }
    const view = mount(
      <>
        <Sum id="r" throwAt={2} where="reducer" />
        <Sum id="e" throwAt={3} where="onEvent" />
        <Sum id="ok" />
      </>,
    )
    await until('active', () => text(view, 'ok') === 'active:0:')
    await publish('t.sum', [1, 2, 3, 4])
    await until('ok has all', () => text(view, 'ok') === 'active:10:')
    expect(text(view, 'r')).toBe('error:1:reducer of r')
    expect(text(view, 'e')).toBe('error:6:onEvent of e')
    expect(suite.wire().ofType(SUBSCRIBE)).toHaveLength(1)
    expect(suite.wire().ofType(UNSUBSCRIBE)).toHaveLength(0)
  })
})

describe('useRegister', () => {
  it('case 4: a change of invoke, match or options re-registers: one UNREGISTER and one REGISTER each', async () => {
    const statuses: RegisterHookStatus[] = []
    function Callee({ invoke, match }: { invoke: 'single' | 'roundrobin'; match?: 'prefix' }) {
      const { status } = useRegister('t.callee', () => ({ args: ['hi'] }), { invoke, match })
      statuses.push(status)
      return <p data-testid="c">{status}</p>
    }
    const view = mount(<Callee invoke="single" />)
    await until('active', () => text(view, 'c') === 'active')
    expect(suite.wire().ofType(REGISTER)).toHaveLength(1)
    // Inline options with the same values: nothing on the wire.
    view.update(<Callee invoke="single" />)
    await act(() => sleep(20))
    expect(suite.wire().ofType(REGISTER)).toHaveLength(1)
    view.update(<Callee invoke="roundrobin" />)
    await until('re-registered', () => suite.wire().ofType(REGISTER).length === 2 && text(view, 'c') === 'active')
    expect(suite.wire().ofType(UNREGISTER)).toHaveLength(1)
    expect(suite.wire().ofType(REGISTER)[1]![2]).toEqual({ invoke: 'roundrobin' })
    view.update(<Callee invoke="roundrobin" match="prefix" />)
    await until('re-registered again', () => suite.wire().ofType(REGISTER).length === 3 && text(view, 'c') === 'active')
    expect(suite.wire().ofType(UNREGISTER)).toHaveLength(2)
    expect(suite.wire().ofType(REGISTER)[2]![2]).toEqual({ invoke: 'roundrobin', match: 'prefix' })
    await act(() => sleep(20))
    expect(suite.wire().ofType(REGISTER)).toHaveLength(3)
    const caller = await suite.wire().peer()
    expect((await caller.call('t.callee.sub')).args).toEqual(['hi'])
  })

  it('a handler that throws (not an RPCError) shows in its hook’s error; the registration stays and answers', async () => {
    function Callee() {
      const { status, error, invocationCount } = useRegister('t.flaky', ({ args }) => {
        if (args[0] === 'bug') throw new TypeError('handler bug')
        if (args[0] === 'no') throw new RPCError('com.example.no')
        return { args: ['ok'] }
      })
      return <p data-testid="c">{`${status}:${invocationCount}:${error?.message ?? ''}`}</p>
    }
    const view = mount(<Callee />)
    await until('active', () => text(view, 'c') === 'active:0:')
    const caller = await suite.wire().peer()
    await expect(caller.call('t.flaky', ['no'])).rejects.toMatchObject({ uri: 'com.example.no' })
    await until('one call, no error', () => text(view, 'c') === 'active:1:')
    await expect(caller.call('t.flaky', ['bug'])).rejects.toMatchObject({ uri: 'wamp.error.runtime_error' })
    await until('the bug shows', () => text(view, 'c') === 'active:2:handler bug')
    expect((await caller.call('t.flaky', ['fine'])).args).toEqual(['ok'])
    expect(suite.wire().ofType(REGISTER)).toHaveLength(1)
  })
})

describe('useWampSession', () => {
  it('case 7: a selector that reads a prop is never stale', async () => {
    function Label({ prefix }: { prefix: string }) {
      const label = useWampSession((s) => `${prefix}:${s.status}`)
      return <p data-testid="l">{label}</p>
    }
    const view = mount(<Label prefix="a" />)
    await until('open', () => text(view, 'l') === 'a:open')
    view.update(<Label prefix="b" />)
    expect(text(view, 'l')).toBe('b:open')
  })
})
