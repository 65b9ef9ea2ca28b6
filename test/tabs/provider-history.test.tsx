// @vitest-environment happy-dom
/**
 * `useSubscription({ history })` in shared mode, under <StrictMode>: two "tabs" (two React roots,
 * each with its own WampProvider and `shareAcrossTabs`) on one hub. The wire shows one SUBSCRIBE and
 * one history read; the first tab starts with the last 3 events, the later one shares the stream.
 */
import { act, cleanup, render } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { useSubscription, WampProvider } from '../../src/react/index.js'
import { createWorld } from '../connection/world.js'
import { until } from '../support/wait.js'
import { createHarness, type Harness } from './harness.js'

const TOPIC = 'tabs.react.price'

let harness: Harness
afterEach(async () => {
  cleanup()
  await harness?.close()
})

function Prices({ name }: { name: string }) {
  const { status, state, completeness } = useSubscription(TOPIC, {
    reducer: (prices: number[], event) => [...prices, event.args[0] as number],
    initialValue: [],
    history: { last: 3 },
  })
  const filled = completeness ? `${completeness.status}${completeness.filling ? '…' : ''}` : 'none'
  return <p data-testid={name}>{`${status} ${filled} [${state.join(',')}]`}</p>
}

describe('useSubscription({ history }) across tabs', () => {
  it('starts with the last 3 events in the first tab, shares the stream with a later tab, one SUBSCRIBE, one read', async () => {
    harness = createHarness({ world: createWorld({ eventHistory: [{ topic: TOPIC, limit: 100 }] }) })
    const admin = await harness.world?.admin()
    for (const n of [1, 2, 3, 4, 5]) await admin?.publish(TOPIC, [n], {}, { acknowledge: true })
    const sharing = harness.sharing()
    const mount = (name: string) =>
      render(
        <StrictMode>
          <WampProvider realm="realm1" shareAcrossTabs={sharing}>
            <Prices name={name} />
          </WampProvider>
        </StrictMode>,
      )
    const text = (view: ReturnType<typeof render>, name: string) => view.getByTestId(name).textContent ?? ''
    const a = mount('a')
    await until('a filled', () => text(a, 'a') === 'active complete [3,4,5]')
    const b = mount('b')
    await until('b active', () => text(b, 'b') === 'active complete []')
    await act(async () => {
      await admin?.publish(TOPIC, [6], {}, { acknowledge: true })
    })
    await until('6 in both', () => text(a, 'a').endsWith('[3,4,5,6]') && text(b, 'b').endsWith('[6]'))
    expect(text(a, 'a')).toBe('active complete [3,4,5,6]')
    expect(text(b, 'b')).toBe('active complete [6]')
    expect(harness.sessions).toHaveLength(1)
    expect(harness.routerSubscribes()).toBe(1)
    expect(harness.routerCalls.filter((procedure) => procedure === 'wamp.subscription.get_events')).toHaveLength(1)
  })

  it('`sequenceOf` in shared mode: the hook shows the error naming it, and nothing goes on the wire', async () => {
    harness = createHarness({ world: createWorld({ eventHistory: [{ topic: TOPIC, limit: 100 }] }) })
    function Numbered() {
      const { status, error } = useSubscription(TOPIC, {
        history: { backfill: true, sequenceOf: (event) => event.args[0] as number },
      })
      return <p data-testid="n">{`${status} ${error?.name ?? ''}: ${error?.message ?? ''}`}</p>
    }
    const view = render(
      <StrictMode>
        <WampProvider realm="realm1" shareAcrossTabs={harness.sharing()}>
          <Numbered />
        </WampProvider>
      </StrictMode>,
    )
    await until('refused', () => view.getByTestId('n').textContent?.startsWith('error InvalidArgumentError') === true)
    expect(view.getByTestId('n').textContent).toContain('history.sequenceOf')
    await until('the tab is open', () => harness.tabs[0]?.getSnapshot().status === 'open')
    expect(harness.routerSubscribes()).toBe(0)
  })
})
