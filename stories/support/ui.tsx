import type { ReactNode } from 'react'
import type { ConnectionState } from '../../src/connection/index.js'
import type { CallStatus, RegisterHookStatus, SubscriptionHookStatus } from '../../src/react/index.js'

type Tone = 'ok' | 'warn' | 'bad' | 'idle'

/** Every status the hooks and the connection report (their typed unions), plus the demos' own. */
export type ShownStatus = CallStatus | SubscriptionHookStatus | RegisterHookStatus | ConnectionState['status'] | 'stale'

// Exhaustive by type: a status added to a hook's union fails here until it has a colour.
const tones: Record<ShownStatus, Tone> = {
  idle: 'idle',
  open: 'ok',
  active: 'ok',
  success: 'ok',
  pending: 'warn',
  connecting: 'warn',
  reconnecting: 'warn',
  retrying: 'warn',
  stale: 'warn',
  error: 'bad',
  revoked: 'bad',
  closed: 'bad',
}

/** A status as a coloured pill: green live/done, amber on its way, red failed, grey idle. */
export function StatusBadge({ status, testId }: { status: ShownStatus; testId?: string }) {
  const tone = tones[status]
  return (
    <span className={`rw-badge rw-badge--${tone}`} data-testid={testId}>
      {status}
    </span>
  )
}

/** A titled card; `status` shows as a badge on the right of the title. */
export function Card({
  title,
  status,
  statusTestId,
  testId,
  children,
}: {
  title: ReactNode
  status?: ShownStatus
  statusTestId?: string
  testId?: string
  children: ReactNode
}) {
  return (
    <section className="rw-card" data-testid={testId}>
      <header className="rw-card__head">
        <h3 className="rw-card__title">{title}</h3>
        {status && <StatusBadge status={status} testId={statusTestId} />}
      </header>
      {children}
    </section>
  )
}

/** An error the demo expects to show (role=alert); `warn` for the milder ones. */
export function Alert({ children, testId, warn }: { children: ReactNode; testId?: string; warn?: boolean }) {
  return (
    <p role="alert" className={warn ? 'rw-alert rw-alert--warn' : 'rw-alert'} data-testid={testId}>
      {children}
    </p>
  )
}

export function Note({ children }: { children: ReactNode }) {
  return <p className="rw-note">{children}</p>
}
