// @vitest-environment happy-dom
/**
 * The hooks unchanged in shared mode: two "tabs" (two React roots under <StrictMode>, each with its
 * own WampProvider and `shareAcrossTabs`) on one hub over MessageChannel pairs; the wire shows one
 * session and one SUBSCRIBE.
 */
import { act, cleanup, render } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { WampDevtools } from '../../src/devtools/index.js'
import { useCall, useRegister, useSubscription, useWampSession, WampProvider } from '../../src/react/index.js'
import { until } from '../support/wait.js'
import { createHarness, type Harness } from './harness.js'

let harness: Harness
afterEach(async () => {
  cleanup()
  await harness?.close()
})

function Tab({ name, callee }: { name: string; callee?: boolean }) {
  const status = useWampSession((s) => `${s.status}:${s.sessionId ?? '-'}`)
  const { eventCount, lastEvent } = useSubscription('tabs.react.tick')
  const reg = useRegister('tabs.react.who', () => ({ args: [name] }), { enabled: callee === true })
  const who = useCall('tabs.react.who', { enabled: reg.status === 'idle' && eventCount > 0 })
  return (
    <p data-testid={name}>
      {`${status} events=${eventCount} last=${String(lastEvent?.args[0])} reg=${reg.status} who=${String(who.data?.args[0])}`}
    </p>
  )
}

describe('WampProvider shareAcrossTabs', () => {
  it('two tabs: one session, one SUBSCRIBE, each event once per tab, a call answered by the other tab', async () => {
    harness = createHarness()
    const sharing = harness.sharing()
    const mount = (name: string, callee: boolean) =>
      render(
        <StrictMode>
          <WampProvider realm="realm1" shareAcrossTabs={sharing}>
            <Tab name={name} callee={callee} />
          </WampProvider>
        </StrictMode>,
      )
    const a = mount('a', true)
    const b = mount('b', false)
    const text = (view: ReturnType<typeof render>, name: string) => view.getByTestId(name).textContent ?? ''
    await until('both open, a registered', () => text(a, 'a').includes('reg=active') && text(b, 'b').startsWith('open'))
    expect(harness.sessions).toHaveLength(1)
    const sessionId = harness.sessions[0]?.id
    expect(text(a, 'a')).toContain(`open:${sessionId}`)
    expect(text(b, 'b')).toContain(`open:${sessionId}`)
    await until('subscribed', () => harness.routerSubscriptions() === 1)
    await act(async () => {
      await harness.tabs[0]?.publish('tabs.react.tick', [7], {}, { acknowledge: true, exclude_me: false })
    })
    await until('b asked a', () => text(b, 'b').includes('who=a'))
    expect(text(a, 'a')).toContain('events=1 last=7')
    expect(text(b, 'b')).toContain('events=1 last=7')
    expect(harness.routerSubscribes()).toBe(1)
  })

  it('the devtools say the session is held elsewhere instead of inspecting a connection this tab does not have', async () => {
    harness = createHarness()
    const view = render(
      <StrictMode>
        <WampProvider realm="realm1" shareAcrossTabs={harness.sharing()}>
          <WampDevtools initialIsOpen />
        </WampProvider>
      </StrictMode>,
    )
    expect(view.getByTestId('wamp-devtools-shared').textContent).toContain('shares a session')
  })
})
