import type { RegistrationInspection } from '../connection/inspect.js'
import { Badge } from './Badge.js'
import { compactJson } from './format.js'
import type { InvocationsInFlight } from './invocations.js'

/** Held registrations: procedure, options, status, invocations so far and running now. */
export function RegistrationsSection({
  registrations,
  invocations,
}: {
  registrations: readonly RegistrationInspection[]
  invocations: InvocationsInFlight | undefined
}) {
  return (
    <section data-testid="devtools-registrations">
      <h4>Registrations ({registrations.length})</h4>
      {registrations.length === 0 ? (
        <p className="rwd__note">None.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>procedure</th>
              <th>options</th>
              <th>status</th>
              <th>invocations</th>
              <th>in flight</th>
            </tr>
          </thead>
          <tbody>
            {registrations.map(({ procedure, options, status }) => (
              <tr key={procedure} data-procedure={procedure}>
                <td>
                  <code>{procedure}</code>
                </td>
                <td>
                  <code>{compactJson(options)}</code>
                </td>
                <td>
                  <Badge status={status.status} />
                  {status.id !== undefined && ` #${status.id}`}
                </td>
                <td>{status.invocationCount}</td>
                <td data-testid="devtools-in-flight">
                  {status.id === undefined || !invocations ? 0 : invocations.of(status.id)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
