import type { Meta, StoryObj } from '@storybook/react-vite'
import { useEffect, useState } from 'react'
import { useConnection, useWampSession } from '../src/react/index.js'
import { Demo, OUTAGE_MS } from './support/Demo.js'
import { formatCount, formatMs } from './support/format.js'
import { Card, Note } from './support/ui.js'
import { useNow } from './support/use-now.js'

interface Wait {
  attempt: number
  delay: number
  why: string
}

/** The connection's state machine as it runs, with the backoff waits it chose. */
export function ConnectionPanel() {
  const state = useWampSession()
  const now = useNow(state.nextRetryAt !== undefined)
  const connection = useConnection()
  const [waits, setWaits] = useState<Wait[]>([])
  // One line per scheduled retry (each new `nextRetryAt`): the backoff, as it grows and resets.
  useEffect(() => {
    let seen: number | undefined
    return connection.subscribe(() => {
      const { nextRetryAt, retryInMs, attempt, error } = connection.getSnapshot()
      if (nextRetryAt === undefined || retryInMs === undefined || nextRetryAt === seen) return
      seen = nextRetryAt
      setWaits((list) => [...list.slice(-5), { attempt, delay: retryInMs, why: error?.message ?? 'unknown' }])
    })
  }, [connection])
  return (
    <Card title="Connection (useWampSession)" status={state.status} statusTestId="connection-status">
      <dl className="rw-kv rw-num" data-testid="connection-state">
        <dt>status</dt>
        <dd>{state.status}</dd>
        <dt>session</dt>
        <dd>{state.sessionId ?? '–'}</dd>
        <dt>attempt</dt>
        <dd data-testid="connection-attempt">{formatCount(state.attempt)}</dd>
        <dt>next retry</dt>
        <dd data-testid="connection-retry">
          {state.nextRetryAt === undefined || state.retryInMs === undefined
            ? '–'
            : `in ${formatMs(Math.max(0, state.nextRetryAt - now))} (waits ${formatMs(state.retryInMs)})`}
        </dd>
        <dt>last error</dt>
        <dd data-testid="connection-error" data-log>
          {state.error?.message ?? '–'}
        </dd>
      </dl>
      {waits.length > 0 ? (
        <ol className="rw-list rw-list--compact rw-num" data-testid="connection-backoff" data-log>
          {waits.map((wait) => (
            <li key={`${wait.attempt}-${wait.delay}-${wait.why}`}>
              after failure {formatCount(wait.attempt)}: waits {formatMs(wait.delay)} · {wait.why}
            </li>
          ))}
        </ol>
      ) : (
        <Note>
          Press <b>Drop the connection for {formatMs(OUTAGE_MS)}</b>: the session ends, the router turns every attempt
          away for {formatMs(OUTAGE_MS)}, and each wait is listed here as the backoff grows.
        </Note>
      )}
    </Card>
  )
}

const meta = {
  parameters: {
    docs: {
      description: {
        component: `\`useWampSession(select?)\` reads the connection's state machine: \`status\` (\`connecting\` → \`open\` → \`reconnecting\` → \`open\` …, or \`closed\`), \`sessionId\`, \`attempt\`, \`retryInMs\`, \`nextRetryAt\`, \`error\`, \`url\`. With a selector the component renders only when the selection changes.

**Drop the connection for 3 s** ends every session of the page and makes the router refuse new ones for three seconds: the status goes \`reconnecting\`, each refused attempt counts up with its error, and the waits between attempts grow (exponential backoff with full jitter: a random delay up to 250 ms × 2ⁿ, at most 5 s). Then the connection is \`open\` again and every subscription and registration comes back by itself.`,
      },
    },
  },
  title: 'Hooks/useWampSession',
  component: ConnectionPanel,
  excludeStories: ['ConnectionPanel'],
  decorators: [(Story) => <Demo>{<Story />}</Demo>],
} satisfies Meta<typeof ConnectionPanel>

export default meta
export const ConnectionStatus: StoryObj<typeof meta> = {}
