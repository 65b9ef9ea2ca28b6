import type { Meta, StoryObj } from '@storybook/react-vite'
import { Component, type ReactNode, Suspense, useState } from 'react'
import { RPCError } from '../src/client/index.js'
import { useSuspenseCall, useSuspenseCallReset } from '../src/react/index.js'
import type { Backend } from './support/Demo.js'
import { Demo } from './support/Demo.js'
import { ns } from './support/demo.js'
import { describeError, formatMs } from './support/format.js'
import { Alert, Card, Note } from './support/ui.js'

const REPORT = `${ns}.report`
const regions = ['north', 'south', 'east', 'west'] as const

/** Backend: a report per region after `delay` ms; the region "atlantis" does not exist (an RPCError). */
export const backend: Backend = [
  'reports',
  (connection) => [
    connection.acquireRegistration(REPORT, async ({ args, signal }) => {
      const [region, delay] = args as [string, number]
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, delay)
        signal.addEventListener('abort', () => {
          clearTimeout(timer)
          reject(signal.reason)
        })
      })
      if (!(regions as readonly string[]).includes(region)) {
        throw new RPCError('demo.error.no_such_region', [`there is no region "${region}"`])
      }
      const seed = [...region].reduce((sum, char) => sum + char.charCodeAt(0), 0)
      return { args: [{ region, orders: (seed * 37) % 500, revenue: (seed * 911) % 100_000 }] }
    }),
  ],
]

interface Report {
  region: string
  orders: number
  revenue: number
}

/** One component that suspends until its report is there: no status, no undefined data. */
function RegionReport({ region, delay, label }: { region: string; delay: number; label: string }) {
  const { data } = useSuspenseCall(REPORT, { args: [region, delay], select: (result) => result.args[0] as Report })
  return (
    <dl className="rw-kv" data-testid={`report-${label}`}>
      <dt>{label}</dt>
      <dd>
        {data.region}: {data.orders} orders, {data.revenue.toLocaleString('en')} €
      </dd>
    </dl>
  )
}

/** A minimal error boundary (React has no hook for it); `onReset` runs before it shows its children again. */
class Boundary extends Component<{ children: ReactNode; onReset: () => void }, { caught?: Error }> {
  override state: { caught?: Error } = {}
  static getDerivedStateFromError(caught: Error) {
    return { caught }
  }
  override render() {
    const { caught } = this.state
    if (!caught) return this.props.children
    return (
      <>
        <Alert testId="suspense-caught">{describeError(caught)}</Alert>
        <button
          type="button"
          className="rw-btn"
          onClick={() => {
            this.props.onReset()
            this.setState({ caught: undefined })
          }}
        >
          Try again
        </button>
      </>
    )
  }
}

export function Reports({ initialDelay = 1200 }: { initialDelay?: number }) {
  const [region, setRegion] = useState('north')
  const [delay, setDelay] = useState(initialDelay)
  // Forgets the failed call, so "Try again" calls again instead of meeting the same outcome.
  const reset = useSuspenseCallReset()
  return (
    <Card title="Regional report (useSuspenseCall, Suspense, a boundary)">
      <div className="rw-row">
        <label className="rw-field">
          Region
          <select className="rw-input" value={region} onChange={(e) => setRegion(e.target.value)} aria-label="region">
            {[...regions, 'atlantis'].map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className="rw-field">
          Server delay
          <select
            className="rw-input"
            value={delay}
            onChange={(e) => setDelay(Number(e.target.value))}
            aria-label="delay"
          >
            {[100, 1200, 3000].map((ms) => (
              <option key={ms} value={ms}>
                {formatMs(ms)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Boundary key={`${region}:${delay}`} onReset={reset}>
        <Suspense
          fallback={
            <p className="rw-note" data-testid="suspense-fallback">
              Loading the {region} report… (the server takes {formatMs(delay)})
            </p>
          }
        >
          {/* Two readers of the same key: one CALL on the wire. */}
          <RegionReport region={region} delay={delay} label="summary" />
          <RegionReport region={region} delay={delay} label="detail" />
        </Suspense>
      </Boundary>
      <Note>Pick “atlantis” to see the boundary catch the callee's RPC failure.</Note>
    </Card>
  )
}

const backends = [backend]

const meta = {
  parameters: {
    docs: {
      description: {
        component: `\`useSuspenseCall(procedure, options)\` is useCall for Suspense: the component suspends until the call returns, then always has \`data\`; an RPC error, a lost connection or a throwing \`select\` goes to the nearest error boundary.

| option | meaning |
|---|---|
| \`args\`, \`kwargs\`, \`options\` | the call, keyed by value as in useCall |
| \`select\` | derives \`data\` from the result (in render) |

The calls are cached on the provider's connection: components asking for the same key make one CALL (here the summary and the detail share it), and share it with a useCall of that key. An entry goes a macrotask after the last component holding it unmounts. \`useSuspenseCallReset()\` gives the function to call in the boundary's reset, so a retry calls again.

Cancellation: none. A suspended render is not mounted, so it cannot unmount: a call it started ends with its result, its \`options.timeout\` or the connection, and a render that never commits lets go of it 5 s after it settles. Where leaving must cancel, use useCall. Pick **atlantis** to see the boundary catch the callee's RPCError, then **Try again**.`,
      },
    },
  },
  title: 'Hooks/useSuspenseCall',
  component: Reports,
  excludeStories: ['Reports', 'backend'],
  decorators: [(Story) => <Demo backends={backends}>{<Story />}</Demo>],
} satisfies Meta<typeof Reports>

export default meta
type Story = StoryObj<typeof meta>

export const LoadingThenReport: Story = { args: { initialDelay: 1200 } }
export const QuickReport: Story = { args: { initialDelay: 100 } }
