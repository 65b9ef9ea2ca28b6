import type { Meta, StoryObj } from '@storybook/react-vite'
import type { Event } from '../src/client/index.js'
import { createConnection, type StreamCompleteness } from '../src/connection/index.js'
import { useSubscription } from '../src/react/index.js'
import type { Backend } from './support/Demo.js'
import { Demo } from './support/Demo.js'
import { ns } from './support/demo.js'
import { INSTRUMENTS, openServerSession, pricesTopic, realm, realRouterUrl } from './support/demo-router.js'
import { describeError, formatChange, formatPrice, plural } from './support/format.js'
import { Alert, Card, Note, StatusBadge } from './support/ui.js'

const PRICES = `${ns}.prices.`

/**
 * Backend: a price feed of three instruments, a random-walk price each, published every 150 ms. It
 * is a server-side service on a session of its own, which the page's demo outage does not drop:
 * prices keep coming while the page is away, and the in-process router keeps each instrument's
 * last 300 (its `eventHistory`), so the page's charts fill the hole when they are back.
 */
export const backend: Backend = [
  'prices',
  () => {
    const feed = createConnection({ realm, url: realRouterUrl, open: openServerSession })
    feed.start()
    const prices: Record<string, number> = { acme: 100, globex: 50, initech: 20 }
    setInterval(() => {
      const session = feed.session
      if (!session) return
      for (const symbol of INSTRUMENTS) {
        prices[symbol] = Math.max(1, prices[symbol]! * (1 + (Math.random() - 0.5) * 0.02))
        void session
          .publish(pricesTopic(symbol), [Number(prices[symbol]!.toFixed(2))], { at: Date.now() })
          .catch(() => {})
      }
    }, 150)
    return []
  },
]

/** Says whether the chart has a hole (only with `history`). */
function completenessNote(completeness: StreamCompleteness | undefined): string | undefined {
  if (!completeness) return undefined
  if (completeness.filling) return 'filling from the router’s history…'
  switch (completeness.status) {
    case 'complete':
      return 'no gap: every price since the chart started'
    case 'partial':
      return `gap: ${completeness.missing === undefined ? 'some' : completeness.missing} prices lost (${completeness.reason})`
    case 'unfillable':
      return `may have gaps: ${completeness.reason}`
  }
}

interface Series {
  first: number | undefined
  last: number | undefined
  min: number
  max: number
  points: number[]
  /** The feed's number of the last tick, and how many ticks the chart skipped (its holes). */
  seq: number | undefined
  skipped: number
}

const emptySeries: Series = {
  first: undefined,
  last: undefined,
  min: Number.POSITIVE_INFINITY,
  max: 0,
  points: [],
  seq: undefined,
  skipped: 0,
}

const track = (series: Series, event: Event): Series => {
  const price = event.args[0] as number
  const seq = typeof event.kwargs.seq === 'number' ? event.kwargs.seq : undefined
  const skipped = seq !== undefined && series.seq !== undefined ? Math.max(0, seq - series.seq - 1) : 0
  return {
    first: series.first ?? price,
    last: price,
    min: Math.min(series.min, price),
    max: Math.max(series.max, price),
    points: [...series.points.slice(-59), price],
    seq: seq ?? series.seq,
    skipped: series.skipped + skipped,
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
  const { status, state, events, eventCount, error, completeness } = useSubscription(`${PRICES}${symbol}`, {
    reducer: track,
    initialValue: emptySeries,
    bufferSize,
    // Starts with the last 60 prices and fills the hole of every reconnect: the chart stays continuous.
    history: { last: 60, backfill: true },
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
      <p
        className="rw-note"
        data-testid="ticker-completeness"
        data-status={completeness?.status}
        data-filling={completeness?.filling}
        data-skipped={state.skipped}
      >
        {completenessNote(completeness)}
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
| \`history\` | \`{ last, retained, backfill }\`: start with the router's stored events and fill the gap of every reconnect; \`completeness\` says whether the stream has a hole |

Returns \`{ status, lastEvent, events, state, eventCount, error, nextRetryAt }\`; \`status\` is \`idle\` (disabled), \`pending\`, \`active\`, \`retrying\`, \`revoked\` or \`error\`. The ticker keeps first/last/min/max and the chart's points in its reducer. **Drop the connection**: while the subscription is not \`active\` the last price is faded and marked **stale**; it is live again once the subscription is back, and the chart has no hole: the price feed kept publishing, and the ticker (\`history: { last: 60, backfill: true }\`) fetched what it missed from the router's event history before the live prices.`,
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
