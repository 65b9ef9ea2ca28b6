import type { CallInspection } from '../connection/inspect.js'
import { compactJson, duration } from './format.js'
import { preview } from './redact.js'

/** Calls in flight, each with a Cancel button (CANCEL on the wire; the callee is interrupted). */
export function CallsSection({ calls, now }: { calls: readonly CallInspection[]; now: number }) {
  return (
    <section data-testid="devtools-calls">
      <h4>Calls in flight ({calls.length})</h4>
      {calls.length === 0 ? (
        <p className="rwd__note">None.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>procedure</th>
              <th>arguments</th>
              <th>elapsed</th>
              <th>progress</th>
              <th>holders</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {calls.map((call) => (
              <tr key={call.key} data-procedure={call.procedure}>
                <td>
                  <code>{call.procedure}</code>
                </td>
                <td>
                  <code>{compactJson(preview(call.args))}</code>
                  {call.kwargs && Object.keys(call.kwargs).length > 0 && (
                    <code> {compactJson(preview(call.kwargs))}</code>
                  )}
                </td>
                <td>{duration(now - call.startedAt)}</td>
                <td>{Number.isNaN(call.progressCount) ? 'over 1000' : call.progressCount}</td>
                <td>{call.holders}</td>
                <td>
                  <button
                    type="button"
                    className="rwd__btn rwd__btn--bad"
                    aria-label={`Cancel ${call.procedure}`}
                    onClick={() => call.cancel()}
                  >
                    Cancel
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
