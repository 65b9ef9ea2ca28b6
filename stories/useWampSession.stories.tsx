import type { Meta, StoryObj } from '@storybook/react-vite'
import { useConnection, useWampSession } from '../src/react/index.js'
import { Demo, panel } from './support/Demo.js'

export function ConnectionPanel() {
  const state = useWampSession()
  const connection = useConnection()
  return (
    <div style={panel}>
      <dl
        data-testid="connection-state"
        style={{ display: 'grid', gridTemplateColumns: 'max-content auto', gap: '2px 12px' }}
      >
        <dt>status</dt>
        <dd data-testid="connection-status">{state.status}</dd>
        <dt>session</dt>
        <dd>{state.sessionId ?? '–'}</dd>
        <dt>attempt</dt>
        <dd data-testid="connection-attempt">{state.attempt}</dd>
        <dt>next retry in</dt>
        <dd>{state.retryInMs === undefined ? '–' : `${state.retryInMs} ms`}</dd>
        <dt>last error</dt>
        <dd>{state.error?.message ?? '–'}</dd>
      </dl>
      <button type="button" onClick={() => connection.session?.terminate()} disabled={state.status !== 'open'}>
        Drop the connection
      </button>
    </div>
  )
}

const meta = {
  parameters: {
    docs: {
      description: {
        component: `\`useWampSession(select?)\` reads the connection's state machine: \`status\` (\`connecting\` → \`open\` → \`reconnecting\` → \`open\` …, or \`closed\`), \`sessionId\`, \`attempt\`, \`retryInMs\`, \`nextRetryAt\`, \`error\`, \`url\`. With a selector the component renders only when the selection changes.

**Drop the connection** kills the transport: watch the connection come back and every widget resubscribe.`,
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
