/**
 * The page the shared-session browser tests open in several tabs. Query: `url`, `realm`,
 * `mode` (`worker`, `leader`, or `direct` for a session of the tab's own), `name` (this tab's name), `callee=1` (answer `tabs.browser.who`)
 * and `historyTopic` (also subscribe to it with `history: { last: 3, backfill: true }`; its numbers go to `window.historyEvents`).
 * It shows the session's state and exposes the tab's connection as `window.wamp` for the test.
 */
import { createElement, StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { useConnection, useRegister, useSubscription, useWampSession, WampProvider } from '../../../src/index.js'
import { acrossTabs } from '../../../src/tabs/index.js'

const query = new URLSearchParams(location.search)
const name = query.get('name') ?? 'tab'
const events: number[] = []
const historyEvents: number[] = []
Object.assign(window, { events, historyEvents })

// The pattern bundlers look for: the worker's URL written in app code.
const mode = query.get('mode')
const sharing =
  mode === 'worker'
    ? acrossTabs({
        worker: () =>
          new SharedWorker(new URL('react-wamp/shared-worker', import.meta.url), {
            type: 'module',
            name: 'react-wamp',
          }),
      })
    : mode === 'leader'
      ? acrossTabs({})
      : undefined // `direct`: a session of this tab's own, for comparison

function Tab() {
  const state = useWampSession()
  const connection = useConnection()
  Object.assign(window, { wamp: connection })
  const { eventCount } = useSubscription('tabs.browser.tick', {
    onEvent: (event: { publication: number }) => events.push(event.publication),
  })
  const reg = useRegister('tabs.browser.who', () => ({ args: [name] }), { enabled: query.get('callee') === '1' })
  return createElement(
    'dl',
    null,
    createElement('dt', null, 'session'),
    createElement('dd', { 'data-testid': 'session' }, `${state.status}:${state.sessionId ?? '-'}`),
    createElement('dt', null, 'events'),
    createElement('dd', { 'data-testid': 'events' }, String(eventCount)),
    createElement('dt', null, 'registration'),
    createElement('dd', { 'data-testid': 'registration' }, reg.status),
    historyTopic ? createElement(History, { topic: historyTopic }) : null,
  )
}

const historyTopic = query.get('historyTopic')

function History({ topic }: { topic: string }) {
  const { status, completeness } = useSubscription(topic, {
    history: { last: 3, backfill: true },
    onEvent: (event: { args: unknown[] }) => historyEvents.push(event.args[0] as number),
  })
  const filled = completeness ? `${completeness.status}${completeness.filling ? '…' : ''}` : 'none'
  return createElement('dd', { 'data-testid': 'history' }, `${status} ${filled}`)
}

const root = document.getElementById('root') as HTMLElement
createRoot(root).render(
  createElement(
    StrictMode,
    null,
    createElement(
      WampProvider,
      {
        url: query.get('url') ?? '',
        realm: query.get('realm') ?? 'realm1',
        reconnect: { initialDelay: 50, maxDelay: 300 },
        shareAcrossTabs: sharing,
      },
      createElement(Tab),
    ),
  ),
)
