import type { Meta, StoryObj } from '@storybook/react-vite'
import type { Event } from '../src/client/index.js'
import { useSubscription } from '../src/react/index.js'
import type { Backend } from './support/Demo.js'
import { Demo } from './support/Demo.js'
import { ns } from './support/demo.js'
import { describeError, formatChange, formatPrice, plural } from './support/format.js'
import { Alert, Card, Note, StatusBadge } from './support/ui.js'

const PRICES = `${ns}.prices.`

/** Backend: three instruments, a random-walk price each, published every 150 ms while connected. */
export const backend: Backend = [
  'prices',
  (connection) => {
    const prices: Record<string, number> = { acme: 100, globex: 50, initech: 20 }
    setInterval(() => {
      // No session (the demo outage): skip the tick rather than queue stale prices for later.
      const session = connection.session
      if (!session) return
      for (const symbol of Object.keys(prices)) {
        prices[symbol] = Math.max(1, prices[symbol]! * (1 + (Math.random() - 0.5) * 0.02))
        void session
          .publish(`${PRICES}${symbol}`, [Number(prices[symbol]!.toFixed(2))], { at: Date.now() })
          .catch(() => {})
      }
    }, 150)
    return []
  },
]

interface Series {
  first: number | undefined
  last: number | undefined
  min: number
  max: number
  points: number[]
}

const emptySeries: Series = { first: undefined, last: undefined, min: Number.POSITIVE_INFINITY, max: 0, points: [] }

const track = (series: Series, event: Event): Series => {
  const price = event.args[0] as number
  return {
    first: series.first ?? price,
    last: price,
    min: Math.min(series.min, price),
    max: Math.max(series.max, price),
    points: [...series.points.slice(-59), price],
  }
}

/** A price line that scales to its card's width. */
function Sparkline({ points, stale }: { points: number[]; stale: boolean }) {
  if (points.length < 2) return <svg className="rw-spark" aria-hidden />
  const min = Math.min(...points)
  const span = Math.max(...points) - min || 1
  const d = points.map((p, i) => `${(i / (points.length - 1)) * 240},${46 - ((p - min) / span) * 44}`).join(' ')
  return (
    <svg className="rw-spark" viewBox="0 0 240 48" preserveAspectRatio="none" aria-label="price chart">
      <polyline
        points={d}
        fill="none"
        stroke={stale ? '#9ca3af' : '#2563eb'}
        strokeWidth={2}
        vectorEffect="non-scaling-stroke"
      />
    </svg>
  )
}

export function Ticker({ symbol = 'acme', bufferSize = 8 }: { symbol?: string; bufferSize?: number }) {
  const { status, state, events, eventCount, error } = useSubscription(`${PRICES}${symbol}`, {
    reducer: track,
    initialValue: emptySeries,
    bufferSize,
  })
  // Between sessions no event arrives: the last price is history, not the market.
  const stale = status !== 'active' && state.last !== undefined
  const change = state.last !== undefined && state.first ? (state.last - state.first) / state.first : 0
  return (
    <Card title={`${symbol.toUpperCase()} (useSubscription)`} status={status} statusTestId="ticker-status">
      <div className={stale ? 'rw-row rw-stale' : 'rw-row'}>
        <span className="rw-big rw-num" data-testid="ticker-price">
          {formatPrice(state.last)}
        </span>
        {state.last !== undefined && (
          <span className="rw-num" style={{ color: change >= 0 ? 'var(--rw-ok)' : 'var(--rw-bad)' }}>
            {change >= 0 ? '▲' : '▼'} {formatChange(change)}
          </span>
        )}
        {stale && <StatusBadge status="stale" />}
      </div>
      <Sparkline points={state.points} stale={stale} />
      <p className="rw-note rw-num" data-testid="ticker-count" data-count={eventCount}>
        {plural(eventCount, 'event', 'events')} · low {formatPrice(Number.isFinite(state.min) ? state.min : undefined)}{' '}
        · high {formatPrice(state.last === undefined ? undefined : state.max)}
      </p>
      {status === 'pending' && <Note>Subscribing: waits for the session and the router's SUBSCRIBED.</Note>}
      {error && <Alert>{describeError(error)}</Alert>}
      {bufferSize > 0 && (
        <ol className="rw-list rw-list--compact rw-num" data-testid="ticker-events">
          {[...events].reverse().map((e) => (
            <li key={e.publication}>{formatPrice(e.args[0] as number)}</li>
          ))}
        </ol>
      )}
    </Card>
  )
}

/** A pattern subscription: every instrument at once (`match: 'prefix'`); `event.topic` tells which. */
function AllInstruments() {
  const { status, state, eventCount } = useSubscription(PRICES, {
    match: 'prefix',
    bufferSize: 0,
    reducer: (last: Record<string, number>, event) => ({
      ...last,
      [event.topic.slice(PRICES.length)]: event.args[0] as number,
    }),
    initialValue: {},
  })
  return (
    <Card title={`Every instrument: ${PRICES}*`} status={status}>
      <dl className="rw-kv rw-num" data-testid="prefix-last" data-count={eventCount}>
        {Object.entries(state).map(([symbol, price]) => (
          <div key={symbol} style={{ display: 'contents' }}>
            <dt>{symbol.toUpperCase()}</dt>
            <dd>{formatPrice(price)}</dd>
          </div>
        ))}
      </dl>
      <Note>{plural(eventCount, 'event', 'events')} on one prefix subscription.</Note>
    </Card>
  )
}

const backends = [backend]

const meta = {
  parameters: {
    docs: {
      description: {
        component: `\`useSubscription(topic, options)\` subscribes while mounted. Components with the same topic and options share one router subscription, which comes back after every reconnect.

| option | meaning |
|---|---|
| \`match\` | \`exact\` (default), \`prefix\` or \`wildcard\`; \`event.topic\` names the real topic |
| \`options\` | other SUBSCRIBE options |
| \`enabled\` | subscribe while true (default \`true\`) |
| \`onEvent(event)\` | sees every event, in order, with the latest props |
| \`reducer(state, event)\`, \`initialValue\` | folds every event into \`state\`, once per event |
| \`bufferSize\` | how many recent events \`events\` keeps (default 50) |

Returns \`{ status, lastEvent, events, state, eventCount, error, nextRetryAt }\`; \`status\` is \`idle\` (disabled), \`pending\`, \`active\`, \`retrying\`, \`revoked\` or \`error\`. The ticker keeps first/last/min/max and the chart's points in its reducer. **Drop the connection**: while the subscription is not \`active\` the last price is faded and marked **stale**; it is live again once the subscription is back.`,
      },
    },
  },
  title: 'Hooks/useSubscription',
  component: Ticker,
  excludeStories: ['Ticker', 'backend'],
  decorators: [(Story) => <Demo backends={backends}>{<Story />}</Demo>],
} satisfies Meta<typeof Ticker>

export default meta
type Story = StoryObj<typeof meta>

export const LiveTicker: Story = { args: { symbol: 'acme', bufferSize: 8 } }
export const PrefixSubscription: Story = { render: () => <AllInstruments /> }
