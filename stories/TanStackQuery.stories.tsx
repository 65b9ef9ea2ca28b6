import type { Meta, StoryObj } from '@storybook/react-vite'
import { QueryClient, QueryClientProvider, useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import type { Result } from '../src/client/index.js'
import { callMutationOptions, callQueryOptions, useSubscriptionToQuery } from '../src/query/index.js'
import { useConnection } from '../src/react/index.js'
import type { Backend } from './support/Demo.js'
import { Demo } from './support/Demo.js'
import { ns } from './support/demo.js'
import { describeError, formatCount } from './support/format.js'
import { Alert, Card, Note, StatusBadge } from './support/ui.js'

const LIST = `${ns}.inventory.list`
const RESTOCK = `${ns}.inventory.restock`
const CHANGED = `${ns}.inventory.changed`

interface Item {
  sku: string
  name: string
  stock: number
}

/** Backend: a small inventory; one item sells every 700 ms, `restock` adds to one; each change is published. */
export const backend: Backend = [
  'inventory',
  (connection) => {
    const items: Item[] = [
      { sku: 'b-12', name: 'Bolts', stock: 120 },
      { sku: 'n-08', name: 'Nuts', stock: 80 },
      { sku: 'w-30', name: 'Washers', stock: 45 },
    ]
    const changed = (item: Item) => {
      void connection.session?.publish(CHANGED, [item.sku, item.stock]).catch(() => {})
    }
    setInterval(() => {
      if (!connection.session) return
      const item = items[Math.floor(Math.random() * items.length)]!
      if (item.stock === 0) return
      item.stock -= 1
      changed(item)
    }, 700)
    return [
      connection.acquireRegistration(LIST, () => ({ args: [items.map((item) => ({ ...item }))] })),
      connection.acquireRegistration(RESTOCK, ({ args }) => {
        const [sku, amount] = args as [string, number]
        const item = items.find((candidate) => candidate.sku === sku)
        if (!item) return { args: [] }
        item.stock += amount
        changed(item)
        return { args: [item.stock] }
      }),
    ]
  },
]

/** Folds a published change into the cached list result (the cache holds the WAMP Result). */
const applyChange = (data: Result | undefined, sku: string, stock: number): Result | undefined =>
  data && {
    ...data,
    args: [(data.args[0] as Item[]).map((item) => (item.sku === sku ? { ...item, stock } : item))],
  }

function Inventory() {
  const connection = useConnection()
  const list = callQueryOptions(connection, LIST)
  const query = useQuery({ ...list, select: (result) => result.args[0] as Item[] })
  // Each published change updates the query's cached data: no refetch, no second store.
  const subscription = useSubscriptionToQuery(CHANGED, {
    queryKey: list.queryKey,
    update: (data: Result | undefined, event) => applyChange(data, event.args[0] as string, event.args[1] as number),
  })
  const restock = useMutation(callMutationOptions(connection, RESTOCK))
  return (
    <Card
      title="Inventory (useQuery, useMutation, a subscription into the cache)"
      status={query.status}
      statusTestId="query-status"
    >
      <Note>
        Subscription to changes: <StatusBadge status={subscription?.status ?? 'idle'} testId="query-subscription" /> ·
        the list is {query.isFetching ? 'fetching…' : 'cached, updated by events'}
      </Note>
      {query.error && <Alert testId="query-error">{describeError(query.error)}</Alert>}
      {query.data && (
        <ul className="rw-list" data-testid="query-data">
          {query.data.map((item) => (
            <li key={item.sku}>
              {item.name}:{' '}
              <span className="rw-num" data-testid={`stock-${item.sku}`}>
                {formatCount(item.stock)}
              </span>{' '}
              <button
                type="button"
                className="rw-btn"
                onClick={() => restock.mutate({ args: [item.sku, 10] })}
                aria-label={`restock ${item.name}`}
              >
                Restock +10
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="rw-row">
        <button type="button" className="rw-btn" onClick={() => void query.refetch()}>
          Refetch
        </button>
        <span className="rw-note" data-testid="mutation-status">
          restock: {restock.status}
          {restock.data ? ` (now ${formatCount(restock.data.args[0] as number)})` : ''}
        </span>
      </div>
      {restock.error && <Alert testId="mutation-error">{describeError(restock.error)}</Alert>}
    </Card>
  )
}

/** A QueryClient per story, as an app has one per page. */
export function WithQueryClient() {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 60_000 } } }))
  return (
    <QueryClientProvider client={client}>
      <Inventory />
    </QueryClientProvider>
  )
}

const backends = [backend]

const meta = {
  parameters: {
    docs: {
      description: {
        component: `\`react-wamp/query\` plugs WAMP into TanStack Query 5 (\`@tanstack/react-query\`, an optional peer dependency).

| helper | for |
|---|---|
| \`callQueryOptions(connection, procedure, { args, kwargs, options, cancelMode })\` | \`useQuery\`, \`useSuspenseQuery\`, \`prefetchQuery\`: \`{ queryKey, queryFn }\`; the query's AbortSignal cancels the call on the wire |
| \`callMutationOptions(connection, procedure, defaults)\` | \`useMutation\`: \`mutate({ args, kwargs })\` calls with the arguments of the click |
| \`useSubscriptionToQuery(topic, { queryKey, update })\` | folds each event into the cached data; without \`update\`, invalidates the queries under \`queryKey\` |
| \`subscribeToQuery(connection, queryClient, topic, config)\` | the same without React |
| \`wampCallKey(procedure, input?)\` | the query key, or with the procedure alone the prefix of all its calls |

Here the list is one query; every sale the backend publishes updates its cached data in place, and **Restock +10** is a mutation whose arguments are chosen at the click.`,
      },
    },
  },
  title: 'Integrations/TanStack Query',
  component: WithQueryClient,
  excludeStories: ['WithQueryClient', 'backend'],
  decorators: [(Story) => <Demo backends={backends}>{<Story />}</Demo>],
} satisfies Meta<typeof WithQueryClient>

export default meta
type Story = StoryObj<typeof meta>

export const LiveInventory: Story = {}
