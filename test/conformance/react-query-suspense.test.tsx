// @vitest-environment happy-dom
/**
 * Issue 21 against every router (nexus, Crossbar.io, the local one), over WebSocket with JSON so
 * the wire is in view: TanStack Query 5 through react-wamp/query, and useSuspenseCall, both under
 * <StrictMode>, on React 19 and (in the react18 project) React 18.
 */
import { QueryClient, QueryClientProvider, useMutation, useQuery } from '@tanstack/react-query'
import { act, cleanup, render, waitFor } from '@testing-library/react'
import { Component, type ReactNode, version as reactVersion, StrictMode, Suspense, useState } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { type Result, RPCError } from '../../src/client/index.js'
import { callMutationOptions, callQueryOptions, useSubscriptionToQuery } from '../../src/query/index.js'
import { useConnection, useSuspenseCall, WampProvider } from '../../src/react/index.js'
import { wireSpy } from '../support/wire-spy.js'
import { sessions, targets, uniqueUri } from './targets.js'

const SUBSCRIBE = 32
const CALL = 48
const CANCEL = 49

class Boundary extends Component<{ children: ReactNode }, { caught?: Error }> {
  override state: { caught?: Error } = {}
  static getDerivedStateFromError(caught: Error) {
    return { caught }
  }
  override render() {
    return this.state.caught ? <p data-testid="caught">{this.state.caught.message}</p> : this.props.children
  }
}

describe.each(targets({ transports: ['ws'] }).filter((t) => t.serialization === 'json'))(
  `React ${reactVersion}, TanStack Query and Suspense: $label`,
  (target) => {
    const pool = sessions(target)
    let queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
    afterEach(async () => {
      cleanup()
      queryClient.clear()
      queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
      await pool.closeAll()
    })

    /** Renders under StrictMode, the provider and the QueryClientProvider, in an awaited act (React 19 and Suspense). */
    async function mount(spy: ReturnType<typeof wireSpy>, ui: ReactNode) {
      let view!: ReturnType<typeof render>
      await act(async () => {
        view = render(
          <StrictMode>
            <WampProvider url={target.url} realm="realm1" createWebSocket={spy.createWebSocket} liveness={false}>
              <QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>
            </WampProvider>
          </StrictMode>,
        )
      })
      return view
    }

    it('useQuery: one CALL, the data; hiding a pending query sends one CANCEL and interrupts the callee', async () => {
      const spy = wireSpy()
      const callee = await pool.join()
      const quick = uniqueUri('query.quick')
      const slow = uniqueUri('query.slow')
      await callee.register(quick, ({ args }) => ({ args: [(args[0] as number) * 2] }))
      let interrupted = false
      await callee.register(slow, ({ signal }) => {
        return new Promise((_, reject) =>
          signal.addEventListener('abort', () => {
            interrupted = true
            reject(signal.reason)
          }),
        )
      })
      function Double() {
        const query = useQuery({
          ...callQueryOptions(useConnection(), quick, { args: [21] }),
          select: (r) => r.args[0] as number,
        })
        return <p data-testid="double">{query.data ?? query.status}</p>
      }
      function Slow() {
        return <p data-testid="slow">{useQuery(callQueryOptions(useConnection(), slow)).status}</p>
      }
      function App() {
        const [showSlow, setShowSlow] = useState(true)
        return (
          <>
            <button type="button" onClick={() => setShowSlow(false)}>
              hide
            </button>
            <Double />
            {showSlow && <Slow />}
          </>
        )
      }
      const view = await mount(spy, <App />)
      await waitFor(() => expect(view.getByTestId('double').textContent).toBe('42'))
      await waitFor(() => expect(spy.ofType(CALL).filter((m) => m[3] === slow)).toHaveLength(1))
      expect(spy.ofType(CALL).filter((m) => m[3] === quick)).toHaveLength(1)
      expect(spy.ofType(CANCEL)).toHaveLength(0)
      act(() => view.getByText('hide').click())
      await waitFor(() => expect(spy.ofType(CANCEL)).toHaveLength(1))
      const slowCall = spy.ofType(CALL).find((m) => m[3] === slow)!
      expect(spy.ofType(CANCEL)[0]).toEqual([CANCEL, slowCall[1], { mode: 'killnowait' }])
      await waitFor(() => expect(interrupted).toBe(true))
    })

    it('useSubscriptionToQuery folds published events into the cached data; useMutation calls with click-time args', async () => {
      const spy = wireSpy()
      const peer = await pool.join()
      const list = uniqueUri('query.list')
      const added = uniqueUri('query.added')
      const add = uniqueUri('query.add')
      await peer.register(list, () => ({ args: [['a']] }))
      await peer.register(add, async ({ args }) => {
        await peer.publish(added, [args[0]])
        return { args: [args[0]] }
      })
      function Items() {
        const connection = useConnection()
        const options = callQueryOptions(connection, list)
        const query = useQuery({ ...options, select: (r) => (r.args[0] as string[]).join(',') })
        const status = useSubscriptionToQuery(added, {
          queryKey: options.queryKey,
          update: (data: Result | undefined, event) =>
            data && { ...data, args: [[...(data.args[0] as string[]), event.args[0] as string]] },
        })
        const adding = useMutation(callMutationOptions(connection, add))
        return (
          <>
            <button type="button" onClick={() => adding.mutate({ args: ['b'] })}>
              add b
            </button>
            <p data-testid="items">{`${status?.status}:${query.data ?? query.status}`}</p>
          </>
        )
      }
      const view = await mount(spy, <Items />)
      await waitFor(() => expect(view.getByTestId('items').textContent).toBe('active:a'))
      act(() => view.getByText('add b').click())
      await waitFor(() => expect(view.getByTestId('items').textContent).toBe('active:a,b'))
      expect(spy.ofType(SUBSCRIBE)).toHaveLength(1)
      expect(spy.ofType(CALL).filter((m) => m[3] === list)).toHaveLength(1)
      expect(spy.ofType(CALL).find((m) => m[3] === add)?.[4]).toEqual(['b'])
    })

    it('useSuspenseCall: the fallback, then the data for two readers with one CALL; an RPC error reaches the boundary', async () => {
      const spy = wireSpy()
      const callee = await pool.join()
      const report = uniqueUri('suspense.report')
      await callee.register(report, ({ args }) => {
        if (args[0] === 'nowhere') throw new RPCError('com.example.no_such_region', ['no region "nowhere"'])
        return { args: [`report ${args[0]}`] }
      })
      function Report({ region, id }: { region: string; id: string }) {
        const { data } = useSuspenseCall(report, { args: [region], select: (r) => r.args[0] as string })
        return <p data-testid={id}>{data}</p>
      }
      const view = await mount(
        spy,
        <>
          <Suspense fallback={<p data-testid="fallback">loading</p>}>
            <Report region="north" id="one" />
            <Report region="north" id="two" />
          </Suspense>
          <Boundary>
            <Suspense fallback={<p>loading</p>}>
              <Report region="nowhere" id="never" />
            </Suspense>
          </Boundary>
        </>,
      )
      expect(view.getByTestId('fallback').textContent).toBe('loading')
      await waitFor(() => expect(view.queryByTestId('one')?.textContent).toBe('report north'))
      expect(view.getByTestId('two').textContent).toBe('report north')
      await waitFor(() => expect(view.queryByTestId('caught')?.textContent).toContain('com.example.no_such_region'))
      expect(spy.ofType(CALL).filter((m) => (m[4] as string[])[0] === 'north')).toHaveLength(1)
      expect(spy.ofType(CALL).filter((m) => (m[4] as string[])[0] === 'nowhere')).toHaveLength(1)
    })
  },
)
