import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import type { Client } from '../src/client/index.js'
import { RPCError } from '../src/client/index.js'
import { useCall } from '../src/react/index.js'
import { Demo, panel } from './support/Demo.js'
import { ns } from './support/demo.js'

const SEARCH = `${ns}.search`

/** Backend: a search that takes `delay` ms, fails for "fail", and stops when cancelled. */
export const backend = [
  'search',
  async (session: Client) => {
    const cities = ['Amsterdam', 'Berlin', 'Lisbon', 'London', 'Madrid', 'Paris', 'Prague', 'Rome', 'Vienna', 'Warsaw']
    await session.register(SEARCH, async ({ args, signal }) => {
      const [query, delay] = args as [string, number]
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, delay)
        signal.addEventListener('abort', () => {
          clearTimeout(timer)
          reject(signal.reason)
        })
      })
      if (query === 'fail') throw new RPCError('demo.error.search_failed', ['the search service refused "fail"'])
      return { args: [cities.filter((c) => c.toLowerCase().includes(query.toLowerCase()))] }
    })
  },
] as const

export function Search({ initialDelay = 800 }: { initialDelay?: number }) {
  const [query, setQuery] = useState('a')
  const [delay, setDelay] = useState(initialDelay)
  const { status, data, error, cancel, mutate } = useCall(SEARCH, {
    args: [query, delay],
    select: (result) => result.args[0] as string[],
  })
  return (
    <div style={panel}>
      <label>
        City contains <input value={query} onChange={(e) => setQuery(e.target.value)} aria-label="query" />
      </label>{' '}
      <label>
        server delay{' '}
        <input
          type="range"
          min={0}
          max={5000}
          step={100}
          value={delay}
          onChange={(e) => setDelay(Number(e.target.value))}
          aria-label="delay"
        />{' '}
        {delay} ms
      </label>
      <p>
        <button type="button" onClick={cancel} disabled={status !== 'pending'}>
          Cancel
        </button>{' '}
        <button type="button" onClick={() => mutate()}>
          Search again
        </button>
      </p>
      <p data-testid="call-status">status: {status}</p>
      {status === 'pending' && <p>Searching…</p>}
      {error && (
        <p role="alert" data-testid="call-error" style={{ color: '#b91c1c' }}>
          {error.name === 'AbortError' ? 'Cancelled' : error.message}
        </p>
      )}
      {data && (
        <ul data-testid="call-data">
          {data.map((city) => (
            <li key={city}>{city}</li>
          ))}
        </ul>
      )}
    </div>
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

Returns \`{ status, data, error, isPending, mutate, mutateAsync, execute, cancel, reset }\`. In this demo typing re-calls (the previous call is cancelled), **Cancel** sends a CANCEL and the callee's AbortSignal fires, and the query \`fail\` shows an RPCError.`,
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
