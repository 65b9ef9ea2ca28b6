import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { RPCError } from '../src/client/index.js'
import { useCall } from '../src/react/index.js'
import type { Backend } from './support/Demo.js'
import { Demo } from './support/Demo.js'
import { ns } from './support/demo.js'
import { describeError, formatMs, plural } from './support/format.js'
import { Alert, Card, Note, StatusBadge } from './support/ui.js'

const SEARCH = `${ns}.search`
const cities = ['Amsterdam', 'Berlin', 'Lisbon', 'London', 'Madrid', 'Paris', 'Prague', 'Rome', 'Vienna', 'Warsaw']

/** Backend: a search that takes `delay` ms, fails for "fail", and stops when cancelled. */
export const backend: Backend = [
  'search',
  (connection) => [
    connection.acquireRegistration(SEARCH, async ({ args, signal }) => {
      const [query, delay] = args as [string, number]
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, delay)
        signal.addEventListener('abort', () => {
          clearTimeout(timer)
          reject(signal.reason)
        })
      })
      if (query === 'fail') throw new RPCError('demo.error.search_failed', ['the search service refused "fail"'])
      // The query travels back with the result, so the page can say which search a list answers.
      return { args: [cities.filter((c) => c.toLowerCase().includes(query.toLowerCase()))], kwargs: { query } }
    }),
  ],
]

interface Found {
  query: string
  cities: string[]
}

export function Search({ initialDelay = 800 }: { initialDelay?: number }) {
  const [query, setQuery] = useState('a')
  const [delay, setDelay] = useState(initialDelay)
  const { status, data, error, cancel, mutate } = useCall(SEARCH, {
    args: [query, delay],
    select: (result): Found => ({ query: String(result.kwargs.query), cities: result.args[0] as string[] }),
  })
  // Only a `success` answers the current question; any other status leaves the last list stale.
  const fresh = status === 'success'
  return (
    <Card title="City search (useCall)" status={status} statusTestId="call-status">
      <div className="rw-row">
        <label className="rw-field">
          City contains
          <input className="rw-input" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="query" />
        </label>
        <label className="rw-field">
          <span>
            Server delay <span className="rw-num">{formatMs(delay)}</span>
          </span>
          <input
            type="range"
            min={0}
            max={5000}
            step={100}
            value={delay}
            onChange={(e) => setDelay(Number(e.target.value))}
            aria-label="delay"
          />
        </label>
      </div>
      <div className="rw-row">
        <button type="button" className="rw-btn" onClick={cancel} disabled={status !== 'pending'}>
          Cancel
        </button>
        <button type="button" className="rw-btn rw-btn--primary" onClick={() => mutate()}>
          Search again
        </button>
      </div>
      {status === 'pending' && (
        <Note>
          Searching for “{query}”… the server takes {formatMs(delay)}.
        </Note>
      )}
      {status === 'error' && error && <Alert testId="call-error">{describeError(error)}</Alert>}
      {data && (
        <div className={fresh ? undefined : 'rw-stale'} data-testid="call-data" data-stale={!fresh}>
          <p className="rw-note">
            {!fresh && <StatusBadge status="stale" />} {plural(data.cities.length, 'city contains', 'cities contain')} “
            {data.query}”
            {!fresh &&
              ` (the last answer; the current search ${status === 'pending' ? 'is still running' : 'did not answer'})`}
          </p>
          <ul className="rw-list">
            {data.cities.map((city) => (
              <li key={city}>{city}</li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  )
}

const backends = [backend]

const meta = {
  parameters: {
    docs: {
      description: {
        component: `\`useCall(procedure, options)\` calls a procedure while the session is open and keeps the outcome as state.

| option | meaning |
|---|---|
| \`args\`, \`kwargs\` | the call's payload; compared by value, so inline literals never re-call |
| \`options\` | WAMP call options (\`timeout\`, \`disclose_me\`, …) |
| \`enabled\` | call automatically (default \`true\`); \`false\` leaves it to \`mutate(variables)\` |
| \`cancelMode\` | how a call is cancelled on unmount, key change or \`cancel()\`: \`killnowait\` (default), \`kill\`, \`skip\` |
| \`select\` | derives \`data\` from the result |
| \`onSuccess\`, \`onError\` | called once per outcome |

Returns \`{ status, data, error, isPending, mutate, mutateAsync, execute, cancel, reset }\`; \`status\` is \`idle\`, \`pending\`, \`success\` or \`error\`, and \`data\` keeps the last success whatever follows.

In this demo typing re-calls (the previous call is cancelled). **Cancel** sends a CANCEL: the callee's AbortSignal fires and the hook ends in \`error\` with an \`AbortError\`. The query \`fail\` makes the callee throw an \`RPCError\`, shown with its URI and message. Whenever the status is not \`success\` the last list stays visible but faded and marked **stale**, so it is never mistaken for the answer to the current search.`,
      },
    },
  },
  title: 'Hooks/useCall',
  component: Search,
  excludeStories: ['Search', 'backend'],
  decorators: [(Story) => <Demo backends={backends}>{<Story />}</Demo>],
} satisfies Meta<typeof Search>

export default meta
type Story = StoryObj<typeof meta>

export const SlowSearch: Story = { args: { initialDelay: 3000 } }
export const QuickSearch: Story = { args: { initialDelay: 100 } }
