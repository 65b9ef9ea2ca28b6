// @vitest-environment happy-dom
import { act, cleanup, render, waitFor } from '@testing-library/react'
import { version as reactVersion, StrictMode, useEffect, useState } from 'react'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it } from 'vitest'
import { connect, type Event } from '../../src/client/index.js'
import {
  useCall,
  useProgressCall,
  usePublish,
  useRegister,
  useSubscription,
  useWampSession,
  WampProvider,
} from '../../src/react/index.js'
import { wireSpy } from '../support/wire-spy.js'
import { sessions, sleep, targets, uniqueUri } from './targets.js'

const SUBSCRIBE = 32
const UNSUBSCRIBE = 34
const CALL = 48
const CANCEL = 49
const REGISTER = 64

/** React tests run over WebSocket with JSON, where the spy can read the wire. */
describe.each(targets({ transports: ['ws'] }).filter((t) => t.serialization === 'json'))(
  `React ${reactVersion} hooks: $label`,
  (target) => {
    const pool = sessions(target)
    afterEach(async () => {
      cleanup()
      await pool.closeAll()
    })

    function Provider({ spy, children }: { spy: ReturnType<typeof wireSpy>; children: React.ReactNode }) {
      return (
        <WampProvider url={target.url} realm="realm1" createWebSocket={spy.createWebSocket} liveness={false}>
          {children}
        </WampProvider>
      )
    }

    function Status() {
      const status = useWampSession((s) => s.status)
      return <p data-testid="status">{status}</p>
    }

    it('StrictMode: one SUBSCRIBE per (topic, options) for several components, inline options, re-renders; one UNSUBSCRIBE at the end', async () => {
      const spy = wireSpy()
      const topic = uniqueUri('react.sub')
      const received: unknown[][] = []
      function Ticker({ id }: { id: string }) {
        const { lastEvent, eventCount, status } = useSubscription(topic, {
          options: {}, // inline: a new object each render
          onEvent: (e) => received.push([id, e.args[0]]),
        })
        return (
          <p data-testid={id}>
            {status}:{eventCount}:{String(lastEvent?.args[0] ?? '')}
          </p>
        )
      }
      function App() {
        const [n, setN] = useState(0)
        const [shown, setShown] = useState(true)
        return (
          <Provider spy={spy}>
            <button type="button" onClick={() => setN(n + 1)}>
              rerender {n}
            </button>
            <button type="button" onClick={() => setShown(false)}>
              hide
            </button>
            {shown && <Ticker id="a" />}
            {shown && <Ticker id="b" />}
          </Provider>
        )
      }
      const view = render(
        <StrictMode>
          <App />
        </StrictMode>,
      )
      await waitFor(() => expect(view.getByTestId('a').textContent).toBe('active:0:'))
      await waitFor(() => expect(view.getByTestId('b').textContent).toBe('active:0:'))
      act(() => view.getByText(/rerender/).click())
      act(() => view.getByText(/rerender/).click())
      const publisher = await pool.join()
      await publisher.publish(topic, ['one'], {}, { acknowledge: true })
      await waitFor(() => expect(view.getByTestId('a').textContent).toBe('active:1:one'))
      expect(view.getByTestId('b').textContent).toBe('active:1:one')
      expect(spy.ofType(SUBSCRIBE)).toHaveLength(1)
      expect(received.sort()).toEqual([
        ['a', 'one'],
        ['b', 'one'],
      ])
      // The last component leaves: exactly one UNSUBSCRIBE, for the one subscription.
      act(() => view.getByText('hide').click())
      await waitFor(() => expect(spy.ofType(UNSUBSCRIBE)).toHaveLength(1))
      await sleep(50)
      expect(spy.ofType(UNSUBSCRIBE)).toHaveLength(1)
      expect(spy.ofType(SUBSCRIBE)).toHaveLength(1)
    })

    it('StrictMode: one REGISTER; the browser-side callee answers calls and counts them', async () => {
      const spy = wireSpy()
      const procedure = uniqueUri('react.callee')
      function Callee({ greeting }: { greeting: string }) {
        const { status, invocationCount } = useRegister(procedure, ({ args }) => ({
          args: [`${greeting}, ${args[0]}`],
        }))
        return (
          <p data-testid="callee">
            {status}:{invocationCount}
          </p>
        )
      }
      function App() {
        const [greeting, setGreeting] = useState('Hello')
        return (
          <Provider spy={spy}>
            <button type="button" onClick={() => setGreeting('Hi')}>
              change
            </button>
            <Callee greeting={greeting} />
          </Provider>
        )
      }
      const view = render(
        <StrictMode>
          <App />
        </StrictMode>,
      )
      await waitFor(() => expect(view.getByTestId('callee').textContent).toBe('active:0'))
      const caller = await pool.join()
      expect((await caller.call(procedure, ['Ada'])).args).toEqual(['Hello, Ada'])
      act(() => view.getByText('change').click())
      // The handler is read from a ref: the new greeting applies without a new REGISTER.
      expect((await caller.call(procedure, ['Bob'])).args).toEqual(['Hi, Bob'])
      await waitFor(() => expect(view.getByTestId('callee').textContent).toBe('active:2'))
      expect(spy.ofType(REGISTER)).toHaveLength(1)
    })

    it('StrictMode: useCall sends one CALL, shows the result, and a CANCEL goes out on unmount of a pending call', async () => {
      const spy = wireSpy()
      const callee = await pool.join()
      const quick = uniqueUri('react.quick')
      const slow = uniqueUri('react.slow')
      await callee.register(quick, ({ args }) => ({ args: [(args[0] as number) + (args[1] as number)] }))
      let interrupted: unknown
      await callee.register(slow, ({ signal }) => {
        return new Promise((_, reject) =>
          signal.addEventListener('abort', () => {
            interrupted = signal.reason
            reject(signal.reason)
          }),
        )
      })
      function Sum() {
        const { status, data } = useCall(quick, { args: [2, 3], select: (r) => r.args[0] as number })
        return (
          <p data-testid="sum">
            {status}:{String(data ?? '')}
          </p>
        )
      }
      function Slow() {
        const { status } = useCall(slow, { args: [] })
        return <p data-testid="slow">{status}</p>
      }
      function App() {
        const [showSlow, setShowSlow] = useState(true)
        return (
          <Provider spy={spy}>
            <button type="button" onClick={() => setShowSlow(false)}>
              hide
            </button>
            <Sum />
            {showSlow && <Slow />}
          </Provider>
        )
      }
      const view = render(
        <StrictMode>
          <App />
        </StrictMode>,
      )
      await waitFor(() => expect(view.getByTestId('sum').textContent).toBe('success:5'))
      await waitFor(() => expect(spy.ofType(CALL).filter((m) => m[3] === slow)).toHaveLength(1))
      expect(view.getByTestId('slow').textContent).toBe('pending')
      expect(spy.ofType(CALL).filter((m) => m[3] === quick)).toHaveLength(1)
      expect(spy.ofType(CANCEL)).toHaveLength(0)
      act(() => view.getByText('hide').click())
      await waitFor(() => expect(spy.ofType(CANCEL)).toHaveLength(1))
      const slowCall = spy.ofType(CALL).find((m) => m[3] === slow)!
      expect(spy.ofType(CANCEL)[0]).toEqual([CANCEL, slowCall[1], { mode: 'killnowait' }])
      await waitFor(() => expect(interrupted).toBeDefined())
    })

    it('useCall re-calls when the args change by value, not by identity', async () => {
      const spy = wireSpy()
      const callee = await pool.join()
      const procedure = uniqueUri('react.double')
      await callee.register(procedure, ({ args }) => ({ args: [(args[0] as number) * 2] }))
      function Double({ n }: { n: number }) {
        const { data } = useCall(procedure, { args: [n], select: (r) => r.args[0] as number })
        return <p data-testid="double">{String(data ?? '')}</p>
      }
      function App() {
        const [n, setN] = useState(1)
        const [, force] = useState(0)
        return (
          <Provider spy={spy}>
            <button type="button" onClick={() => setN(n + 1)}>
              inc
            </button>
            <button type="button" onClick={() => force((x) => x + 1)}>
              rerender
            </button>
            <Double n={n} />
          </Provider>
        )
      }
      const view = render(
        <StrictMode>
          <App />
        </StrictMode>,
      )
      await waitFor(() => expect(view.getByTestId('double').textContent).toBe('2'))
      act(() => view.getByText('rerender').click())
      act(() => view.getByText('inc').click())
      await waitFor(() => expect(view.getByTestId('double').textContent).toBe('4'))
      expect(
        spy
          .ofType(CALL)
          .filter((m) => m[3] === procedure)
          .map((m) => m[4]),
      ).toEqual([[1], [2]])
    })

    it('useProgressCall folds progressive results with the reducer and reaches 100', async () => {
      const spy = wireSpy()
      const callee = await pool.join()
      const procedure = uniqueUri('react.progress')
      await callee.register(procedure, async ({ progress }) => {
        for (const percent of [25, 50, 75]) {
          progress([percent])
          await sleep(5)
        }
        return { args: [100] }
      })
      function Bar() {
        const { progress, chunkCount, data, status } = useProgressCall(procedure, {
          reducer: (_p: number, chunk) => chunk.args[0] as number,
          initialValue: 0,
          select: (r) => r.args[0] as number,
        })
        return (
          <p data-testid="bar">
            {status}:{progress}:{chunkCount}:{String(data ?? '')}
          </p>
        )
      }
      const view = render(
        <StrictMode>
          <Provider spy={spy}>
            <Bar />
          </Provider>
        </StrictMode>,
      )
      await waitFor(() => expect(view.getByTestId('bar').textContent).toBe('success:75:3:100'))
      expect(spy.ofType(CALL)).toHaveLength(1)
      expect((spy.ofType(CALL)[0]![2] as Record<string, unknown>).receive_progress).toBe(true)
    })

    it('no event is lost at 1,000 events per second: onEvent and the reducer see every one', async () => {
      const spy = wireSpy()
      const topic = uniqueUri('react.burst')
      let onEventCount = 0
      function Counter() {
        const { state, eventCount } = useSubscription(topic, {
          reducer: (sum: number, e: Event) => sum + (e.args[0] as number),
          initialValue: 0,
          bufferSize: 10,
          onEvent: () => {
            onEventCount += 1
          },
        })
        return (
          <p data-testid="counter">
            {eventCount}:{state}
          </p>
        )
      }
      const view = render(
        <StrictMode>
          <Provider spy={spy}>
            <Counter />
          </Provider>
        </StrictMode>,
      )
      await waitFor(() => expect(spy.ofType(SUBSCRIBE)).toHaveLength(1))
      await sleep(100)
      const publisher = await pool.join()
      const started = Date.now()
      for (let i = 1; i <= 1000; i++) {
        void publisher.publish(topic, [i])
        if (i % 100 === 0) await sleep(Math.max(0, started + i - Date.now()))
      }
      await publisher.publish(topic, [0], {}, { acknowledge: true })
      await waitFor(() => expect(view.getByTestId('counter').textContent).toBe(`1001:${(1000 * 1001) / 2}`), {
        timeout: 10_000,
      })
      expect(onEventCount).toBe(1001)
    })

    it('usePublish is stable and publishes; useWampSession shows the status', async () => {
      const spy = wireSpy()
      const topic = uniqueUri('react.publish')
      const subscriber = await pool.join()
      const got: unknown[] = []
      await subscriber.subscribe(topic, (e) => got.push(e.args[0]))
      const identities = new Set<unknown>()
      function Form() {
        const publish = usePublish(topic, { acknowledge: true })
        // Committed renders only: React 18's StrictMode discards the first render's memos.
        useEffect(() => {
          identities.add(publish)
        })
        return (
          <button type="button" onClick={() => void publish(['clicked'])}>
            send
          </button>
        )
      }
      const view = render(
        <StrictMode>
          <Provider spy={spy}>
            <Status />
            <Form />
          </Provider>
        </StrictMode>,
      )
      await waitFor(() => expect(view.getByTestId('status').textContent).toBe('open'))
      act(() => view.getByText('send').click())
      await waitFor(() => expect(got).toEqual(['clicked']))
      // Status changes re-rendered the form several times: still one function.
      expect(identities.size).toBe(1)
    })

    it('renderToString opens no socket and renders the idle state', () => {
      const spy = wireSpy()
      const html = renderToString(
        <Provider spy={spy}>
          <Status />
        </Provider>,
      )
      expect(html).toContain('idle')
      expect(spy.sockets).toHaveLength(0)
    })

    it('a duplicate registration of one procedure in the same app is reported clearly', async () => {
      const spy = wireSpy()
      const procedure = uniqueUri('react.dup')
      function Callee({ id }: { id: string }) {
        const { status, error } = useRegister(procedure, () => ({ args: [id] }))
        return (
          <p data-testid={id}>
            {status}
            {error ? `:${error.message}` : ''}
          </p>
        )
      }
      const view = render(
        <StrictMode>
          <Provider spy={spy}>
            <Callee id="first" />
            <Callee id="second" />
          </Provider>
        </StrictMode>,
      )
      await waitFor(() => expect(view.getByTestId('first').textContent).toBe('active'))
      expect(view.getByTestId('second').textContent).toMatch(/error:.*already registered by another part of this app/)
      expect(spy.ofType(REGISTER)).toHaveLength(1)
      const caller = await connect(target.url, { realm: 'realm1' })
      expect((await caller.call(procedure)).args).toEqual(['first'])
      await caller.close()
    })
  },
)
