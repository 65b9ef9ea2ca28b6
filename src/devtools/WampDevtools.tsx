import { useContext, useReducer, useState, useSyncExternalStore } from 'react'
import type { Connection } from '../connection/connection.js'
import { inspectConnection } from '../connection/inspect.js'
import { WampContext } from '../react/context.js'
import { Badge } from './Badge.js'
import { CallsSection } from './CallsSection.js'
import { ConnectionSection } from './ConnectionSection.js'
import { MessagesSection } from './MessagesSection.js'
import { RegistrationsSection } from './RegistrationsSection.js'
import { SubscriptionsSection } from './SubscriptionsSection.js'
import { devtoolsCss } from './styles.js'
import { useRecorder } from './use-recorder.js'
import { useTick } from './use-tick.js'

export interface WampDevtoolsProps {
  /** The connection to show; default: the one of the enclosing `<WampProvider>`. */
  connection?: Connection
  /** Start with the panel open (default `false`: a small toggle button). */
  initialIsOpen?: boolean
  /** `fixed` (default): a panel docked at the bottom of the window; `inline`: in the page's flow. */
  position?: 'fixed' | 'inline'
  /** Messages kept in the log (default 500; the oldest go first). */
  capacity?: number
  /** How often the open panel refreshes, in ms (default 250). */
  refreshMs?: number
}

/**
 * A panel showing a WAMP connection from the inside: its state and recent changes, subscriptions
 * (holders, events per second), registrations (invocations, in flight), calls in flight (with a
 * Cancel button) and a live message log with secrets redacted. It records only while mounted:
 * unmounted, the connection keeps no log and does no work per message.
 *
 * @example
 * import { WampDevtools } from 'react-wamp/devtools'
 * <WampProvider url="wss://…" realm="realm1">
 *   <App />
 *   {import.meta.env.DEV && <WampDevtools />}
 * </WampProvider>
 */
export function WampDevtools(props: WampDevtoolsProps) {
  const fromProvider = useContext(WampContext)
  const connection = props.connection ?? fromProvider
  if (!connection)
    throw new Error('<WampDevtools> needs a connection: render it inside a <WampProvider> or pass `connection`')
  // A tab sharing a session (shareAcrossTabs) holds no Connection of its own: the session is in a worker or another tab.
  // Checked by shape, not instanceof: importing the class would put the whole client in this entry.
  if ('sharedVia' in connection) {
    return (
      <p className="rwd" data-testid="wamp-devtools-shared">
        <style>{devtoolsCss}</style>
        WAMP devtools: this tab shares a session held by a SharedWorker or another tab (shareAcrossTabs); there is no
        connection here to inspect.
      </p>
    )
  }
  return <Inspector {...props} connection={connection as Connection} />
}

function Inspector({
  connection,
  initialIsOpen = false,
  position = 'fixed',
  capacity,
  refreshMs = 250,
}: WampDevtoolsProps & { connection: Connection }) {
  const [open, setOpen] = useState(initialIsOpen)
  const recorder = useRecorder(connection, capacity)
  const now = useTick(open, refreshMs)
  // A change of the connection's state shows at once; the rest refreshes every `refreshMs`.
  useSyncExternalStore(connection.subscribe, connection.getSnapshot, connection.getSnapshot)
  const [, refresh] = useReducer((n: number) => n + 1, 0)
  const fixed = position === 'fixed'
  if (!open) {
    return (
      <>
        <style>{devtoolsCss}</style>
        <button
          type="button"
          className={`rwd rwd__btn${fixed ? ' rwd__toggle' : ''}`}
          onClick={() => setOpen(true)}
          aria-expanded={false}
        >
          WAMP devtools
        </button>
      </>
    )
  }
  const inspection = inspectConnection(connection)
  return (
    <section className={fixed ? 'rwd rwd--fixed' : 'rwd'} data-testid="wamp-devtools" aria-label="WAMP devtools">
      <style>{devtoolsCss}</style>
      <div className="rwd__head">
        <span className="rwd__title">WAMP devtools</span>
        <Badge status={inspection.state.status} />
        <button type="button" className="rwd__btn" onClick={() => setOpen(false)} aria-expanded={true}>
          Hide
        </button>
      </div>
      <div className="rwd__body">
        <ConnectionSection inspection={inspection} transitions={recorder?.transitions ?? []} now={now} />
        {recorder && <SubscriptionsSection subscriptions={inspection.subscriptions} rates={recorder.rates} now={now} />}
        <RegistrationsSection registrations={inspection.registrations} invocations={recorder?.invocations} />
        <CallsSection calls={inspection.calls} now={now} />
        {recorder && <MessagesSection recorder={recorder} onChange={refresh} />}
      </div>
    </section>
  )
}
