import type { ConnectionInspection } from '../connection/inspect.js'
import { Badge } from './Badge.js'
import { clockTime, duration } from './format.js'
import type { Transition } from './recorder.js'
import { redactUrl, redactUrlsIn } from './redact.js'

/** The connection's state now and its recent changes. */
export function ConnectionSection({
  inspection,
  transitions,
  now,
}: {
  inspection: ConnectionInspection
  transitions: readonly Transition[]
  now: number
}) {
  const { state, phase } = inspection
  return (
    <section data-testid="devtools-connection">
      <h4>Connection</h4>
      <p className="rwd__row">
        <Badge status={state.status} />
        <span>phase {phase}</span>
        {state.sessionId !== undefined && <span>session {state.sessionId}</span>}
        {state.attempt > 0 && <span>attempt {state.attempt}</span>}
        {state.nextRetryAt !== undefined && <span>next try in {duration(state.nextRetryAt - now)}</span>}
        {state.url && <code>{redactUrl(state.url)}</code>}
      </p>
      {state.error && <p className="rwd__note">last error: {redactUrlsIn(state.error.message)}</p>}
      <table>
        <thead>
          <tr>
            <th>time</th>
            <th>became</th>
            <th>attempt</th>
            <th>why</th>
          </tr>
        </thead>
        <tbody>
          {[...transitions].reverse().map((t) => (
            <tr key={`${t.at}-${t.status}-${t.attempt}-${t.sessionId}`}>
              <td>{clockTime(t.at)}</td>
              <td>
                {t.status}
                {t.sessionId !== undefined ? ` · session ${t.sessionId}` : ''}
              </td>
              <td>{t.attempt}</td>
              <td>{t.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
