import './demo.css'
import { type ReactNode, useEffect, useState, useSyncExternalStore } from 'react'
import { useWampSession, WampProvider } from '../../src/react/index.js'
import { type Backend, backendConnection, startBackend } from './backend.js'
import { providerOptions, realRouterUrl } from './demo.js'
import { dropConnection, outage } from './demo-router.js'
import { formatMs } from './format.js'
import { Card, Note, StatusBadge } from './ui.js'
import { useNow } from './use-now.js'

export type { Backend } from './backend.js'

/** How long "Drop the connection" keeps the router away. */
export const OUTAGE_MS = 3000

/** Runs a story inside one WampProvider once its demo backends hold all their registrations. */
export function Demo({
  backends,
  wide,
  children,
}: {
  backends?: readonly Backend[]
  wide?: boolean
  children: ReactNode
}) {
  const [ready, setReady] = useState(!backends?.length)
  useEffect(() => {
    if (!backends?.length) return undefined
    let live = true
    void Promise.all(backends.map(startBackend)).then(() => live && setReady(true))
    return () => {
      live = false
    }
  }, [backends])
  return (
    <div className={wide ? 'rw-demo rw-demo--wide' : 'rw-demo'}>
      {ready ? (
        <WampProvider {...providerOptions()}>
          <SessionBar />
          {children}
        </WampProvider>
      ) : (
        <BackendWaiting />
      )}
    </div>
  )
}

/** Shown until the demo backend is registered: on a real router that is down, its retries. */
function BackendWaiting() {
  const connection = backendConnection()
  const state = useSyncExternalStore(connection.subscribe, connection.getSnapshot)
  const now = useNow(state.nextRetryAt !== undefined)
  return (
    <Card title="Starting the demo backend…" status={state.status}>
      <Note>
        The demo's callees and publishers register on{' '}
        {realRouterUrl ? `the router at ${realRouterUrl}` : 'the in-process router'} before the story starts.
        {state.status === 'reconnecting' &&
          ` The router is not answering (attempt ${state.attempt}${
            state.nextRetryAt ? `, next in ${formatMs(Math.max(0, state.nextRetryAt - now))}` : ''
          }): ${state.error?.message ?? ''}`}
      </Note>
    </Card>
  )
}

/** The bar above every demo: where it runs, how the session is, and the outage control. */
export function SessionBar() {
  const { status, sessionId, attempt } = useWampSession()
  const { downUntil } = useSyncExternalStore(outage.subscribe, outage.getSnapshot)
  const now = useNow(downUntil !== undefined)
  const where = realRouterUrl ? `router ${realRouterUrl}` : 'in-process router'
  return (
    <div className="rw-bar">
      <StatusBadge status={status} />
      <span className="rw-bar__text" data-testid="session">
        {status}
        {sessionId ? ` · session ${sessionId}` : ''}
        {attempt > 0 ? ` · attempt ${attempt}` : ''} · {where}
        {downUntil !== undefined && ` · router back in ${formatMs(Math.max(0, downUntil - now))}`}
      </span>
      <button
        type="button"
        className="rw-btn rw-btn--danger"
        onClick={() => dropConnection(OUTAGE_MS)}
        disabled={downUntil !== undefined}
      >
        Drop the connection for {formatMs(OUTAGE_MS)}
      </button>
    </div>
  )
}
