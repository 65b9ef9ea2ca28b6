import type { Meta, StoryObj } from '@storybook/react-vite'
import type { Client, Event } from '../src/client/index.js'
import { useSubscription } from '../src/react/index.js'
import { Demo, panel } from './support/Demo.js'
import { ns } from './support/demo.js'

const PRICES = `${ns}.prices.`

/** Backend: three instruments, a random-walk price each, published every 150 ms. */
export const backend = [
  'prices',
  (session: Client) => {
    const prices: Record<string, number> = { acme: 100, globex: 50, initech: 20 }
    setInterval(() => {
      for (const symbol of Object.keys(prices)) {
        prices[symbol] = Math.max(1, prices[symbol]! * (1 + (Math.random() - 0.5) * 0.02))
        void session
          .publish(`${PRICES}${symbol}`, [Number(prices[symbol]!.toFixed(2))], { at: Date.now() })
          .catch(() => {})
      }
    }, 150)
  },
] as const

interface Series {
  last: number
  min: number
  max: number
  points: number[]
}

const track = (series: Series, event: Event): Series => {
  const price = event.args[0] as number
  return {
    last: price,
    min: Math.min(series.min, price),
    max: Math.max(series.max, price),
    points: [...series.points.slice(-59), price],
  }
}

function Sparkline({ points }: { points: number[] }) {
  if (points.length < 2) return <svg width={240} height={48} aria-hidden />
  const min = Math.min(...points)
  const span = Math.max(...points) - min || 1
  const d = points.map((p, i) => `${(i / (points.length - 1)) * 240},${46 - ((p - min) / span) * 44}`).join(' ')
  return (
    <svg width={240} height={48} aria-label="price chart">
      <polyline points={d} fill="none" stroke="#2563eb" strokeWidth={2} />
    </svg>
  )
}

export function Ticker({ symbol = 'acme', bufferSize = 8 }: { symbol?: string; bufferSize?: number }) {
  const { status, state, events, eventCount } = useSubscription(`${PRICES}${symbol}`, {
    reducer: track,
    initialValue: { last: 0, min: Number.POSITIVE_INFINITY, max: 0, points: [] },
    bufferSize,
  })
  return (
    <div style={panel}>
      <h3 style={{ margin: 0 }}>
        {symbol.toUpperCase()} <span data-testid="ticker-price">{state?.last.toFixed(2)}</span>
      </h3>
      <Sparkline points={state?.points ?? []} />
      <p data-testid="ticker-count" style={{ fontSize: 13 }}>
        {status} · {eventCount} events · low {Number.isFinite(state?.min) ? state?.min.toFixed(2) : '–'} · high{' '}
        {state?.max.toFixed(2)}
      </p>
      <ol data-testid="ticker-events" style={{ fontSize: 12, color: '#555' }}>
        {[...events].reverse().map((e) => (
          <li key={e.publication}>{String(e.args[0])}</li>
        ))}
      </ol>
    </div>
  )
}

/** A pattern subscription: every instrument at once (`match: 'prefix'`); `event.topic` tells which. */
function AllInstruments() {
  const { lastEvent, eventCount } = useSubscription(PRICES, { match: 'prefix', bufferSize: 0 })
  return (
    <p style={panel} data-testid="prefix-last">
      {eventCount} events on {PRICES}* · last:{' '}
      {lastEvent ? `${lastEvent.topic.slice(PRICES.length)} ${lastEvent.args[0]}` : '–'}
    </p>
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

Returns \`{ status, lastEvent, events, state, eventCount, error }\`. The ticker keeps last/min/max and the chart's points in its reducer.`,
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
