// @vitest-environment happy-dom
/**
 * useSuspenseCall under <StrictMode> on the in-process router (issue 21): the Suspense fallback,
 * then the data; an RPC error in the error boundary (and a reset that calls again); one CALL for
 * two components with the same key; release after the last holder unmounts. Runs on React 19
 * (through `use`) and React 18 (a thrown promise).
 */
import { act } from '@testing-library/react'
import { Component, type ReactNode, Suspense, useState } from 'react'
import { describe, expect, it } from 'vitest'
import { RPCError } from '../../src/client/index.js'
import { useCall, useSuspenseCall, useSuspenseCallReset } from '../../src/react/index.js'
import { CALL, CANCEL, gate, sleep, until, wirePerTest } from './local-wire.js'

const suite = wirePerTest()
const { text } = suite

/** Mounts inside an awaited act: React 19 holds back the commit of a tree that suspends in a sync act. */
async function mount(ui: ReactNode) {
  let view!: ReturnType<typeof suite.mount>
  await act(async () => {
    view = suite.mount(ui)
  })
  return view
}

class Boundary extends Component<{ children: ReactNode; onReset?: () => void }, { error?: Error }> {
  override state: { error?: Error } = {}
  static getDerivedStateFromError(error: Error) {
    return { error }
  }
  override render() {
    const { error } = this.state
    if (!error) return this.props.children
    return (
      <button
        type="button"
        data-testid="boundary"
        onClick={() => {
          this.props.onReset?.()
          this.setState({ error: undefined })
        }}
      >
        {`${error.name}:${error.message}`}
      </button>
    )
  }
}

function Sum({ id, a, b }: { id: string; a: number; b: number }) {
  const { data } = useSuspenseCall('t.add', { args: [a, b], select: (r) => r.args[0] as number })
  return <p data-testid={id}>{data}</p>
}

const fallback = (id = 'fallback') => <p data-testid={id}>loading</p>

describe('useSuspenseCall', () => {
  it('shows the fallback, then the data, with one CALL', async () => {
    const callee = await suite.wire().peer()
    const answer = gate()
    await callee.register('t.add', async ({ args }) => {
      await answer.promise
      return { args: [(args[0] as number) + (args[1] as number)] }
    })
    const view = await mount(<Suspense fallback={fallback()}>{<Sum id="sum" a={1} b={2} />}</Suspense>)
    await until('one CALL', () => suite.wire().ofType(CALL).length === 1)
    expect(text(view, 'fallback')).toBe('loading')
    answer.open()
    await until('the data', () => view.queryByTestId('sum')?.textContent === '3')
    expect(view.queryByTestId('fallback')).toBeNull()
    expect(suite.wire().ofType(CALL)).toHaveLength(1)
    expect(suite.wire().ofType(CANCEL)).toHaveLength(0)
  })

  it('gives an RPC error to the error boundary; a reset calls again', async () => {
    const callee = await suite.wire().peer()
    let calls = 0
    await callee.register('t.add', () => {
      calls += 1
      if (calls === 1) throw new RPCError('com.example.busy', ['try again'])
      return { args: [42] }
    })
    function Retrying() {
      const reset = useSuspenseCallReset()
      return (
        <Boundary onReset={reset}>
          <Suspense fallback={fallback()}>
            <Sum id="sum" a={40} b={2} />
          </Suspense>
        </Boundary>
      )
    }
    const view = await mount(<Retrying />)
    await until('the error in the boundary', () => view.queryByTestId('boundary') !== null)
    expect(text(view, 'boundary')).toBe('RPCError:com.example.busy: try again')
    expect(suite.wire().ofType(CALL)).toHaveLength(1)
    await act(async () => view.getByTestId('boundary').click())
    await until('the data after the reset', () => view.queryByTestId('sum')?.textContent === '42')
    expect(suite.wire().ofType(CALL)).toHaveLength(2)
  })

  it('two components with the same key make one CALL (and share it with a useCall of that key)', async () => {
    const callee = await suite.wire().peer()
    const answer = gate()
    await callee.register('t.add', async ({ args }) => {
      await answer.promise
      return { args: [(args[0] as number) + (args[1] as number)] }
    })
    function Plain() {
      const { data, status } = useCall('t.add', { args: [2, 3], select: (r) => r.args[0] as number })
      return <p data-testid="plain">{data ?? status}</p>
    }
    const view = await mount(
      <>
        <Plain />
        <Suspense fallback={fallback('f1')}>
          <Sum id="one" a={2} b={3} />
        </Suspense>
        <Suspense fallback={fallback('f2')}>
          <Sum id="two" a={2} b={3} />
        </Suspense>
      </>,
    )
    // Shared while in flight: the callee answers once all three wait.
    await until('useCall pending too', () => text(view, 'plain') === 'pending')
    answer.open()
    await until(
      'all three show 5',
      () =>
        view.queryByTestId('one')?.textContent === '5' &&
        view.queryByTestId('two')?.textContent === '5' &&
        text(view, 'plain') === '5',
    )
    expect(suite.wire().ofType(CALL)).toHaveLength(1)
  })

  it('keeps the entry while a component holds it and releases it after the last one unmounts', async () => {
    const callee = await suite.wire().peer()
    await callee.register('t.add', ({ args }) => ({ args: [(args[0] as number) + (args[1] as number)] }))
    let setShown: (shown: number) => void = () => {}
    function Toggle() {
      const [shown, set] = useState(1)
      setShown = set
      return (
        <Suspense fallback={fallback()}>
          {shown >= 1 && <Sum id="first" a={4} b={4} />}
          {shown >= 2 && <Sum id="second" a={4} b={4} />}
        </Suspense>
      )
    }
    const view = await mount(<Toggle />)
    await until('the first shows 8', () => view.queryByTestId('first')?.textContent === '8')
    // A second holder while the first still holds: read from the cache, no new CALL, no fallback.
    act(() => setShown(2))
    expect(text(view, 'second')).toBe('8')
    expect(suite.wire().ofType(CALL)).toHaveLength(1)
    // Nobody holds it: released a macrotask later, so showing it again calls again.
    act(() => setShown(0))
    await act(() => sleep(10))
    await act(async () => setShown(1))
    await until('the first shows 8 again', () => view.queryByTestId('first')?.textContent === '8')
    expect(suite.wire().ofType(CALL)).toHaveLength(2)
  })

  it('a key with no value to hash (a class instance) goes to the error boundary and sends nothing', async () => {
    function Bad() {
      const { data } = useSuspenseCall('t.add', { args: [new Map()] })
      return <p>{String(data)}</p>
    }
    const view = await mount(
      <Boundary>
        <Suspense fallback={fallback()}>
          <Bad />
        </Suspense>
      </Boundary>,
    )
    await until('the error in the boundary', () => view.queryByTestId('boundary') !== null)
    expect(text(view, 'boundary')).toMatch(/^InvalidArgumentError:cannot use a Map instance at args\[0\]/)
    expect(suite.wire().ofType(CALL)).toHaveLength(0)
  })

  it('a throwing select goes to the error boundary', async () => {
    const callee = await suite.wire().peer()
    await callee.register('t.add', () => ({ args: [1] }))
    function Selecting() {
      const { data } = useSuspenseCall('t.add', {
        select: () => {
          throw new Error('bad select')
        },
      })
      return <p>{String(data)}</p>
    }
    const view = await mount(
      <Boundary>
        <Suspense fallback={fallback()}>
          <Selecting />
        </Suspense>
      </Boundary>,
    )
    await until('the error in the boundary', () => view.queryByTestId('boundary') !== null)
    expect(text(view, 'boundary')).toBe('Error:bad select')
  })
})
