// @vitest-environment happy-dom
/**
 * <WampDevtools /> under <StrictMode> on the in-process router: it lists what the app holds and
 * runs, cancels a call on the wire, logs a publish, and leaves no tap behind when unmounted.
 */
import { act, fireEvent, render, within } from '@testing-library/react'
import { useState } from 'react'
import { describe, expect, it } from 'vitest'
import { ConnectionLostError } from '../../src/client/index.js'
import { createConnection } from '../../src/connection/index.js'
import { WampDevtools } from '../../src/devtools/index.js'
import { useCall, usePublish, useRegister, useSubscription } from '../../src/react/index.js'
import { CANCEL, until, wirePerTest } from '../react/local-wire.js'

const suite = wirePerTest()
const { mount } = suite

const INTERRUPT = 69
const PUBLISH = 16

function App({ devtools = true }: { devtools?: boolean }) {
  const ticks = useSubscription('com.example.ticks')
  const slow = useRegister('com.example.slow', ({ signal }) => {
    return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
  })
  const call = useCall('com.example.slow', { args: ['job', 1], enabled: false })
  const publish = usePublish('com.example.chat')
  return (
    <>
      <p data-testid="statuses">
        {ticks.status} {slow.status} {call.status} {call.error?.name}
      </p>
      <button type="button" onClick={() => call.mutate()}>
        start
      </button>
      <button type="button" onClick={() => void publish(['hello'])}>
        publish
      </button>
      {devtools && <WampDevtools initialIsOpen position="inline" refreshMs={20} />}
    </>
  )
}

describe('<WampDevtools />', () => {
  it('lists the subscription, the registration and a call in flight; Cancel sends CANCEL and interrupts the callee', async () => {
    const view = mount(<App />)
    const statuses = () => view.getByTestId('statuses').textContent
    await until('both leases active', () => statuses()?.startsWith('active active idle') ?? false)
    const panel = () => within(view.getByTestId('wamp-devtools'))
    await until('listed', () => panel().queryByText('com.example.ticks') !== null)
    expect(panel().getByTestId('devtools-connection').textContent).toContain('open')
    expect(within(panel().getByTestId('devtools-registrations')).getByText('com.example.slow')).toBeTruthy()
    fireEvent.click(view.getByText('start'))
    await until(
      'the call is in flight',
      () => panel().queryByRole('button', { name: 'Cancel com.example.slow' }) !== null,
    )
    const calls = panel().getByTestId('devtools-calls').textContent ?? ''
    expect(calls).toContain('["job",1]')
    await until('the invocation is in flight', () => panel().getByTestId('devtools-in-flight').textContent === '1')
    fireEvent.click(panel().getByRole('button', { name: 'Cancel com.example.slow' }))
    await until('the call ends in an AbortError', () => statuses()?.includes('error AbortError') ?? false)
    const wire = suite.wire()
    expect(wire.ofType(CANCEL)).toHaveLength(1)
    await until('the callee got INTERRUPT', () => wire.received.some((m) => m[0] === INTERRUPT))
    await until('nothing in flight', () => panel().getByTestId('devtools-in-flight').textContent === '0')
    expect(panel().getByTestId('devtools-calls').textContent).toContain('None')
  })

  it('shows the messages of a publish; filter, pause, clear and the inspector work', async () => {
    const view = mount(<App />)
    await until('open', () => view.getByTestId('statuses').textContent?.startsWith('active active') ?? false)
    const panel = within(view.getByTestId('wamp-devtools'))
    fireEvent.click(view.getByText('publish'))
    await until('the PUBLISH is logged', () =>
      panel.queryAllByRole('button').some((b) => b.getAttribute('data-name') === 'PUBLISH'),
    )
    const row = panel.getAllByRole('button').find((b) => b.getAttribute('data-name') === 'PUBLISH')!
    expect(row.getAttribute('data-direction')).toBe('out')
    expect(row.textContent).toContain('com.example.chat')
    fireEvent.click(row)
    expect(panel.getByTestId('devtools-inspector').textContent).toContain('"hello"')
    fireEvent.change(panel.getByLabelText('filter messages'), { target: { value: 'REGISTERED' } })
    await until('filtered', () => panel.getAllByRole('button').every((b) => b.getAttribute('data-name') !== 'PUBLISH'))
    expect(panel.getAllByRole('button').some((b) => b.getAttribute('data-name') === 'REGISTERED')).toBe(true)
    fireEvent.change(panel.getByLabelText('filter messages'), { target: { value: '' } })
    fireEvent.click(panel.getByRole('button', { name: 'Pause' }))
    fireEvent.click(view.getByText('publish'))
    await until('skipped while paused', () =>
      (panel.getByTestId('devtools-message-count').textContent ?? '').includes('1 skipped while paused'),
    )
    fireEvent.click(panel.getByRole('button', { name: 'Resume' }))
    fireEvent.click(panel.getByRole('button', { name: 'Clear' }))
    await until('cleared', () => panel.getByTestId('devtools-message-count').textContent?.startsWith('0 of 0') ?? false)
  })

  it('records only while mounted: under StrictMode one observer, none once unmounted', async () => {
    const Toggle = () => {
      const [shown, setShown] = useState(true)
      return (
        <>
          <button type="button" onClick={() => setShown((s) => !s)}>
            toggle
          </button>
          <App devtools={shown} />
        </>
      )
    }
    const view = mount(<Toggle />)
    await until('open', () => view.getByTestId('statuses').textContent?.startsWith('active active') ?? false)
    const session = suite.wire().sessions[0]!
    expect(session.tap).toBeTypeOf('function')
    // One observer: each message is logged once although StrictMode mounted the panel twice.
    const before = suite.wire().sent.filter((m) => m[0] === PUBLISH).length
    fireEvent.click(view.getByText('publish'))
    await until('logged', () => (view.getByTestId('devtools-message-count').textContent ?? '').length > 0)
    await until('the PUBLISH is logged once', () => {
      const rows = within(view.getByTestId('wamp-devtools'))
        .queryAllByRole('button')
        .filter((b) => b.getAttribute('data-name') === 'PUBLISH')
      return rows.length === before + 1
    })
    fireEvent.click(view.getByText('toggle'))
    await act(async () => {})
    expect(view.queryByTestId('wamp-devtools')).toBeNull()
    expect(session.tap).toBeUndefined()
  })

  it('starts as a button (docked at the bottom); it opens the panel, and Hide closes it', async () => {
    const view = mount(<WampDevtools />)
    expect(view.queryByTestId('wamp-devtools')).toBeNull()
    fireEvent.click(view.getByRole('button', { name: 'WAMP devtools' }))
    const panel = view.getByTestId('wamp-devtools')
    expect(panel.className).toContain('rwd--fixed')
    await until('open', () => panel.textContent?.includes('open') ?? false)
    fireEvent.click(within(panel).getByRole('button', { name: 'Hide' }))
    expect(view.queryByTestId('wamp-devtools')).toBeNull()
  })

  it('hides the secrets of the URL (password, query values, fragment) in the state, the last error and the changes', async () => {
    const url = 'wss://alice:pw-s3cret@example.test:8443/ws?token=t0k3n-s3cret&realm=r1#frag-s3cret'
    const connection = createConnection({
      url,
      realm: 'realm1',
      reconnect: false,
      open: async (tried) => {
        throw new ConnectionLostError(`could not connect to ${tried}: refused`)
      },
    })
    connection.start()
    const view = mount(<WampDevtools connection={connection} initialIsOpen position="inline" />)
    const panel = view.getByTestId('wamp-devtools')
    await until('closed with an error', () => panel.textContent?.includes('refused') ?? false)
    await act(async () => {})
    const shown = panel.textContent ?? ''
    expect(shown).not.toContain('s3cret')
    expect(shown).toContain('wss://alice:<redacted>@example.test:8443/ws?token=<redacted>&realm=<redacted>#<redacted>')
    expect(shown).toContain('could not connect to wss://alice:<redacted>@example.test:8443/ws?token=<redacted>')
    await connection.close()
  })

  it('outside a WampProvider and without `connection`, it says what it needs', () => {
    const quiet = console.error
    console.error = () => {}
    try {
      expect(() => render(<WampDevtools />)).toThrow(/inside a <WampProvider> or pass `connection`/)
    } finally {
      console.error = quiet
    }
  })
})
