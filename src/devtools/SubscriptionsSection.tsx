import type { SubscriptionInspection } from '../connection/inspect.js'
import { Badge } from './Badge.js'
import type { EventRates } from './event-rates.js'
import { compactJson } from './format.js'

/** Held subscriptions: topic, options, holders, status, events per second. */
export function SubscriptionsSection({
  subscriptions,
  rates,
  now,
}: {
  subscriptions: readonly SubscriptionInspection[]
  rates: EventRates
  now: number
}) {
  return (
    <section data-testid="devtools-subscriptions">
      <h4>Subscriptions ({subscriptions.length})</h4>
      {subscriptions.length === 0 ? (
        <p className="rwd__note">None.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>topic</th>
              <th>options</th>
              <th>holders</th>
              <th>status</th>
              <th>events/s</th>
            </tr>
          </thead>
          <tbody>
            {subscriptions.map(({ topic, options, holders, status }) => (
              <tr key={`${topic} ${compactJson(options, 400)}`} data-topic={topic}>
                <td>
                  <code>{topic}</code>
                </td>
                <td>
                  <code>{compactJson(options)}</code>
                </td>
                <td>{holders}</td>
                <td>
                  <Badge status={status.status} />
                  {status.id !== undefined && ` #${status.id}`}
                </td>
                <td>{status.id === undefined ? '—' : rates.perSecond(status.id, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
