import { type ReactNode, useEffect, useState } from 'react'
import { useWampSession, WampProvider } from '../../src/react/index.js'
import { providerOptions, realRouterUrl, startBackend } from './demo.js'

/** A demo backend: a name (set up once per page) and what it registers or publishes. */
export type Backend = readonly [name: string, setup: Parameters<typeof startBackend>[1]]

/** Runs a story inside one WampProvider once its backends are ready. */
export function Demo({ backends, children }: { backends?: readonly Backend[]; children: ReactNode }) {
  const [ready, setReady] = useState(!backends)
  const [error, setError] = useState<Error>()
  useEffect(() => {
    if (!backends) return
    Promise.all(backends.map(([name, setup]) => startBackend(name, setup))).then(
      () => setReady(true),
      (e: Error) => setError(e),
    )
  }, [backends])
  if (error) return <p role="alert">Demo backend failed: {error.message}</p>
  if (!ready) return <p>Starting the demo backend…</p>
  return (
    <WampProvider {...providerOptions()}>
      <div style={{ fontFamily: 'system-ui, sans-serif', display: 'grid', gap: 12, maxWidth: 640 }}>
        <SessionBadge />
        {children}
      </div>
    </WampProvider>
  )
}

/** A small line saying where the demo runs and how the session is doing. */
export function SessionBadge() {
  const { status, sessionId, attempt } = useWampSession()
  const color = status === 'open' ? '#16a34a' : status === 'closed' ? '#dc2626' : '#d97706'
  return (
    <p data-testid="session" style={{ margin: 0, fontSize: 13, color: '#555' }}>
      <span style={{ color }}>●</span> {status}
      {sessionId ? ` · session ${sessionId}` : ''}
      {attempt > 0 ? ` · attempt ${attempt}` : ''} · {realRouterUrl ? `router ${realRouterUrl}` : 'in-process router'}
    </p>
  )
}

export const panel = { border: '1px solid #ddd', borderRadius: 8, padding: 12 } as const
