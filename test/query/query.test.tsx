// @vitest-environment happy-dom
/**
 * react-wamp/query with @tanstack/react-query 5 under <StrictMode> on the in-process router
 * (issue 21): a query resolves through WAMP with one CALL, unmount cancels it on the wire, a
 * subscription event updates (or invalidates) the cached data, a mutation calls with click-time
 * arguments, useSuspenseQuery suspends then shows the data. Runs on React 19 and React 18.
 */
import { QueryClient, QueryClientProvider, useMutation, useQuery, useSuspenseQuery } from '@tanstack/react-query'
import { act } from '@testing-library/react'
import { type ReactNode, Suspense } from 'react'
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest'
import type { Result } from '../../src/client/index.js'
import {
  callMutationOptions,
  callQueryOptions,
  subscribeToQuery,
  useSubscriptionToQuery,
  wampCallKey,
} from '../../src/query/index.js'
import { useConnection } from '../../src/react/index.js'
import { CALL, CANCEL, gate, SUBSCRIBE, sleep, until, wirePerTest } from '../react/local-wire.js'

const suite = wirePerTest()
const { text } = suite
let queryClient = newClient()

function newClient() {
  return new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } })
}

afterEach(() => {
  queryClient.clear()
  queryClient = newClient()
})

/** Mounts under the QueryClientProvider inside an awaited act (React 19 holds back a tree that suspends in a sync act). */
async function mount(ui: ReactNode) {
  const withClient = (node: ReactNode) => <QueryClientProvider client={queryClient}>{node}</QueryClientProvider>
  let view!: ReturnType<typeof suite.mount>
  await act(async () => {
    view = suite.mount(withClient(ui))
  })
  return { ...view, update: (node: ReactNode) => view.update(withClient(node)) }
}

const first = (result: Result) => result.args[0] as number

async function adder() {
  const callee = await suite.wire().peer()
  await callee.register('t.add', ({ args }) => ({ args: [(args[0] as number) + (args[1] as number)] }))
  return callee
}

describe('react-wamp/query', () => {
  it('a query resolves through WAMP with one CALL under StrictMode', async () => {
    await adder()
    function Sum() {
      const query = useQuery({ ...callQueryOptions(useConnection(), 't.add', { args: [1, 2] }), select: first })
      return <p data-testid="sum">{query.data ?? query.status}</p>
    }
    const view = await mount(<Sum />)
    await until('the data', () => text(view, 'sum') === '3')
    expect(suite.wire().ofType(CALL)).toHaveLength(1)
    expect(suite.wire().ofType(CANCEL)).toHaveLength(0)
    expect(queryClient.getQueryData(wampCallKey('t.add', { args: [1, 2] }))).toMatchObject({ args: [3] })
  })

  it('unmount cancels the call on the wire and the callee is interrupted', async () => {
    const callee = await suite.wire().peer()
    let interrupted = 0
    await callee.register('t.slow', ({ signal }) => {
      return new Promise((_, reject) =>
        signal.addEventListener('abort', () => {
          interrupted += 1
          reject(signal.reason)
        }),
      )
    })
    function Slow() {
      const query = useQuery(callQueryOptions(useConnection(), 't.slow'))
      return <p data-testid="slow">{query.status}</p>
    }
    const view = await mount(<Slow />)
    await until('one CALL', () => suite.wire().ofType(CALL).length === 1)
    expect(text(view, 'slow')).toBe('pending')
    // The component goes, the provider (and its session) stays.
    view.update(<p>gone</p>)
    await until(
      'a CANCEL and the callee interrupted',
      () => suite.wire().ofType(CANCEL).length === 1 && interrupted === 1,
    )
    // StrictMode's remount made TanStack cancel and fetch again: the connection gave the same call back.
    expect(suite.wire().ofType(CALL)).toHaveLength(1)
    const [, request] = suite.wire().ofType(CALL)[0] ?? []
    expect(suite.wire().ofType(CANCEL)[0]).toEqual([CANCEL, request, { mode: 'killnowait' }])
  })

  it('a subscription event updates the cached data (useSubscriptionToQuery with update)', async () => {
    const peer = await suite.wire().peer()
    await peer.register('t.prices', () => ({ args: [[10]] }))
    function Prices() {
      const connection = useConnection()
      const options = callQueryOptions(connection, 't.prices')
      const query = useQuery(options)
      const status = useSubscriptionToQuery('t.price', {
        queryKey: options.queryKey,
        update: (data: Result | undefined, event) =>
          data && { ...data, args: [[...(data.args[0] as number[]), event.args[0] as number]] },
      })
      return (
        <p data-testid="prices">{`${status?.status}:${(query.data?.args[0] as number[] | undefined)?.join(',')}`}</p>
      )
    }
    const view = await mount(<Prices />)
    await until('subscribed, with the data', () => text(view, 'prices') === 'active:10')
    expect(suite.wire().ofType(SUBSCRIBE)).toHaveLength(1)
    await peer.publish('t.price', [11], {}, { acknowledge: true })
    await peer.publish('t.price', [12], {}, { acknowledge: true })
    await until('both events folded in', () => text(view, 'prices') === 'active:10,11,12')
    expect(suite.wire().ofType(CALL)).toHaveLength(1)
  })

  it('without update, an event invalidates the query and it refetches', async () => {
    const peer = await suite.wire().peer()
    let version = 0
    await peer.register('t.version', () => ({ args: [++version] }))
    function Version() {
      const connection = useConnection()
      const query = useQuery({ ...callQueryOptions(connection, 't.version'), select: first })
      useSubscriptionToQuery('t.changed', { queryKey: wampCallKey('t.version') })
      return <p data-testid="version">{query.data ?? query.status}</p>
    }
    const view = await mount(<Version />)
    await until('version 1', () => text(view, 'version') === '1')
    await until('subscribed', () => suite.wire().ofType(SUBSCRIBE).length === 1)
    await act(() => sleep(20))
    await peer.publish('t.changed', [], {}, { acknowledge: true })
    await until('version 2', () => text(view, 'version') === '2')
    expect(suite.wire().ofType(CALL)).toHaveLength(2)
  })

  it('an event during a refetch restarts it: a new CALL, not the one started before the change', async () => {
    const peer = await suite.wire().peer()
    let stored = 1
    let invocations = 0
    const secondAnswer = gate()
    await peer.register('t.version', async () => {
      invocations += 1
      const value = stored // read when the invocation starts, as a callee reads its store
      if (invocations === 2) await secondAnswer.promise
      return { args: [value] }
    })
    function Version() {
      const connection = useConnection()
      const query = useQuery({ ...callQueryOptions(connection, 't.version'), select: first })
      useSubscriptionToQuery('t.changed', { queryKey: wampCallKey('t.version') })
      return <p data-testid="version">{query.data ?? query.status}</p>
    }
    const view = await mount(<Version />)
    await until(
      'version 1, subscribed',
      () => text(view, 'version') === '1' && suite.wire().ofType(SUBSCRIBE).length === 1,
    )
    stored = 2
    await peer.publish('t.changed', [], {}, { acknowledge: true })
    await until('the refetch in flight', () => invocations === 2)
    stored = 3
    await peer.publish('t.changed', [], {}, { acknowledge: true })
    await until('a third CALL after the second change', () => suite.wire().ofType(CALL).length === 3)
    // The refetch started before the last change is cancelled (nobody waits for it any more).
    await until('the stale refetch cancelled', () => suite.wire().ofType(CANCEL).length === 1)
    secondAnswer.open()
    await until('the data after the last change', () => text(view, 'version') === '3')
    await act(() => sleep(20))
    expect(text(view, 'version')).toBe('3')
    expect(suite.wire().ofType(CANCEL)).toHaveLength(1)
    expect(suite.wire().ofType(CALL)).toHaveLength(3)
  })

  it('an event during the first fetch is not lost: the fetch starts again (update and invalidation)', async () => {
    const peer = await suite.wire().peer()
    let stored = [10]
    let invocations = 0
    let firstAnswer = gate()
    await peer.register('t.list', async () => {
      invocations += 1
      const value = stored // read when the invocation starts
      if (invocations === 1) await firstAnswer.promise
      return { args: [value] }
    })
    function List({ fold }: { fold: boolean }) {
      const connection = useConnection()
      const options = callQueryOptions(connection, 't.list')
      const query = useQuery(options)
      useSubscriptionToQuery('t.added', {
        queryKey: options.queryKey,
        update: fold
          ? (data: Result | undefined, event) =>
              data && { ...data, args: [[...(data.args[0] as number[]), event.args[0] as number]] }
          : undefined,
      })
      return <p data-testid="list">{(query.data?.args[0] as number[] | undefined)?.join(',') ?? query.status}</p>
    }
    for (const fold of [true, false]) {
      invocations = 0
      stored = [10]
      firstAnswer = gate()
      const view = await mount(<List fold={fold} />)
      await until(
        'the first CALL in flight, subscribed',
        () => invocations === 1 && suite.wire().ofType(SUBSCRIBE).length === 1,
      )
      stored = [10, 11]
      await peer.publish('t.added', [11], {}, { acknowledge: true })
      await until('a CALL after the event', () => invocations === 2)
      firstAnswer.open()
      await until(`the data with the event (fold: ${fold})`, () => text(view, 'list') === '10,11')
      await act(() => sleep(20))
      expect(text(view, 'list')).toBe('10,11')
      view.unmount()
      queryClient.clear()
      await act(() => sleep(20))
      suite.wire().sent.length = 0
    }
  })

  it('a throwing update goes to onError and invalidates the query; the subscription stays', async () => {
    const peer = await suite.wire().peer()
    let version = 0
    await peer.register('t.version', () => ({ args: [++version] }))
    const errors: string[] = []
    function Version() {
      const connection = useConnection()
      const options = callQueryOptions(connection, 't.version')
      const query = useQuery({ ...options, select: first })
      useSubscriptionToQuery('t.changed', {
        queryKey: options.queryKey,
        update: () => {
          throw new Error('bad update')
        },
        onError: (error) => errors.push(error.message),
      })
      return <p data-testid="version">{query.data ?? query.status}</p>
    }
    const view = await mount(<Version />)
    await until(
      'version 1 and subscribed',
      () => text(view, 'version') === '1' && suite.wire().ofType(SUBSCRIBE).length === 1,
    )
    await act(() => sleep(20))
    await peer.publish('t.changed', [], {}, { acknowledge: true })
    await until('refetched as version 2', () => text(view, 'version') === '2')
    expect(errors).toEqual(['bad update'])
  })

  it('a mutation calls with the arguments of the click', async () => {
    const peer = await suite.wire().peer()
    const seen: unknown[][] = []
    await peer.register('t.restart', ({ args }) => {
      seen.push(args)
      return { args: [`restarted ${args[0]}`] }
    })
    function Restart() {
      const restart = useMutation(callMutationOptions(useConnection(), 't.restart'))
      return (
        <>
          <button type="button" data-testid="db" onClick={() => restart.mutate({ args: ['db'] })} />
          <button type="button" data-testid="web" onClick={() => restart.mutate({ args: ['web'] })} />
          <p data-testid="outcome">{restart.data ? first(restart.data) : restart.status}</p>
        </>
      )
    }
    const view = await mount(<Restart />)
    expect(suite.wire().ofType(CALL)).toHaveLength(0)
    await act(async () => view.getByTestId('web').click())
    await until('restarted web', () => text(view, 'outcome') === 'restarted web')
    await act(async () => view.getByTestId('db').click())
    await until('restarted db', () => text(view, 'outcome') === 'restarted db')
    expect(seen).toEqual([['web'], ['db']])
    expect(
      suite
        .wire()
        .ofType(CALL)
        .map((message) => message[4]),
    ).toEqual([['web'], ['db']])
  })

  it('useSuspenseQuery suspends, then shows the data', async () => {
    const callee = await suite.wire().peer()
    const answer = gate()
    await callee.register('t.add', async ({ args }) => {
      await answer.promise
      return { args: [(args[0] as number) + (args[1] as number)] }
    })
    function Sum() {
      const { data } = useSuspenseQuery({
        ...callQueryOptions(useConnection(), 't.add', { args: [20, 22] }),
        select: first,
      })
      return <p data-testid="sum">{data}</p>
    }
    const view = await mount(
      <Suspense fallback={<p data-testid="fallback">loading</p>}>
        <Sum />
      </Suspense>,
    )
    await until('one CALL', () => suite.wire().ofType(CALL).length === 1)
    expect(text(view, 'fallback')).toBe('loading')
    answer.open()
    await until('the data', () => view.queryByTestId('sum')?.textContent === '42')
    expect(suite.wire().ofType(CALL)).toHaveLength(1)
  })

  it('without React: fetchQuery through a Client, cancelQueries cancels on the wire', async () => {
    const callee = await suite.wire().peer()
    let interrupted = 0
    let started = 0
    await callee.register('t.add', ({ args }) => ({ args: [(args[0] as number) + (args[1] as number)] }))
    await callee.register('t.slow', ({ signal }) => {
      started += 1
      return new Promise((_, reject) =>
        signal.addEventListener('abort', () => {
          interrupted += 1
          reject(signal.reason)
        }),
      )
    })
    const caller = await suite.wire().peer()
    const client = new QueryClient()
    const data = await client.fetchQuery(callQueryOptions(caller, 't.add', { args: [2, 2] }))
    expect(data.args).toEqual([4])
    const slow = client.fetchQuery(callQueryOptions(caller, 't.slow'))
    slow.catch(() => {})
    await until('the callee runs', () => started === 1)
    await client.cancelQueries({ queryKey: wampCallKey('t.slow') })
    await until('the callee is interrupted', () => interrupted === 1)
    await expect(slow).rejects.toThrow('CancelledError')
    client.clear()
  })

  it('subscribeToQuery without React updates the cache; release unsubscribes', async () => {
    const peer = await suite.wire().peer()
    const connection = (await import('../../src/connection/index.js')).createConnection({
      open: suite.wire().open,
      realm: 'realm1',
      liveness: false,
    })
    connection.start()
    const client = new QueryClient()
    const queryKey = ['counter']
    client.setQueryData(queryKey, 0)
    const lease = subscribeToQuery(connection, client, 't.tick', {
      queryKey,
      update: (count: number | undefined, event) => (count ?? 0) + (event.args[0] as number),
    })
    await until('active', () => lease.status.getSnapshot().status === 'active')
    await peer.publish('t.tick', [2], {}, { acknowledge: true })
    await peer.publish('t.tick', [3], {}, { acknowledge: true })
    await until('counted', () => client.getQueryData(queryKey) === 5)
    lease.release()
    await connection.close()
    client.clear()
  })
})

// Type-level checks (never rendered): `npx tsc -p tsconfig.json --noEmit` fails if these stop typing.
function TypedUsage() {
  const connection = useConnection()
  const options = callQueryOptions(connection, 't.add', { args: [1, 2] })
  const query = useQuery(options)
  expectTypeOf(query.data).toEqualTypeOf<Result | undefined>()
  expectTypeOf(queryClient.getQueryData(options.queryKey)).toEqualTypeOf<Result | undefined>()
  const mutation = useMutation(callMutationOptions(connection, 't.restart'))
  mutation.mutate()
  mutation.mutate({ args: ['db'] })
  // @ts-expect-error: variables are { args, kwargs }
  mutation.mutate(['db'])
  return null
}
void TypedUsage
