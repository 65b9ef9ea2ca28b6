import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { useCall, useRegister } from '../src/react/index.js'
import { Demo } from './support/Demo.js'
import { ns } from './support/demo.js'
import { describeError, formatMs, plural } from './support/format.js'
import { Alert, Card, Note, StatusBadge } from './support/ui.js'

const GREET = `${ns}.browser.greet`

/** This component is the callee: the procedure lives in the browser while it is mounted. */
function BrowserCallee({ greeting }: { greeting: string }) {
  const [log, setLog] = useState<{ id: number; line: string }[]>([])
  const { status, invocationCount, error, nextRetryAt } = useRegister(GREET, async ({ args, signal }) => {
    const name = String(args[0] ?? 'stranger')
    setLog((lines) => [...lines.slice(-4), { id: Date.now() + Math.random(), line: `called with “${name}”` }])
    await new Promise((resolve) => setTimeout(resolve, 150))
    if (signal.aborted) throw signal.reason
    return { args: [`${greeting}, ${name}!`] }
  })
  return (
    <Card title="Callee (this browser)" status={status}>
      <p data-testid="callee-status">
        <code>{GREET}</code>: {status} · {plural(invocationCount, 'invocation', 'invocations')}
      </p>
      {status === 'pending' && <Note>Registering: waits for the session and the router's REGISTERED.</Note>}
      {status === 'retrying' && nextRetryAt && (
        <Note>The router refused; asking again at {new Date(nextRetryAt).toLocaleTimeString()}.</Note>
      )}
      {error && <Alert testId="callee-error">{describeError(error)}</Alert>}
      {log.length > 0 ? (
        <ul className="rw-list rw-list--compact">
          {log.map(({ id, line }) => (
            <li key={id}>{line}</li>
          ))}
        </ul>
      ) : (
        <Note>No invocations yet: call it from the card below, or from any WAMP client.</Note>
      )}
    </Card>
  )
}

/** Another card calls the browser-side procedure, as any WAMP client could. */
function Caller() {
  const [name, setName] = useState('Ada')
  const { status, data, error, mutateAsync } = useCall(GREET, {
    args: [name],
    enabled: false,
    select: (r) => r.args[0] as string,
  })
  const [roundTrip, setRoundTrip] = useState<number>()
  // mutateAsync resolves with this call's data (and rejects with its error, shown from the state).
  const call = () => {
    const started = performance.now()
    setRoundTrip(undefined)
    mutateAsync().then(
      () => setRoundTrip(performance.now() - started),
      () => {},
    )
  }
  const fresh = status === 'success'
  return (
    <Card title="Caller" status={status} statusTestId="caller-status">
      <div className="rw-row">
        <input className="rw-input" value={name} onChange={(e) => setName(e.target.value)} aria-label="name" />
        <button type="button" className="rw-btn rw-btn--primary" onClick={call}>
          Call {GREET}
        </button>
      </div>
      {status === 'idle' && <Note>Not called yet.</Note>}
      {status === 'pending' && <Note>Calling… the browser-side callee answers after 150 ms.</Note>}
      {status === 'error' && error && <Alert testId="caller-error">{describeError(error)}</Alert>}
      {data !== undefined && (
        <p data-testid="caller-result" className={fresh ? undefined : 'rw-stale'}>
          {!fresh && <StatusBadge status="stale" />} {data}
          {fresh && roundTrip !== undefined && <span className="rw-note"> · answered in {formatMs(roundTrip)}</span>}
        </p>
      )}
    </Card>
  )
}

export function CalleeAndCaller({ greeting = 'Hello' }: { greeting?: string }) {
  return (
    <>
      <BrowserCallee greeting={greeting} />
      <Caller />
    </>
  )
}

const meta = {
  parameters: {
    docs: {
      description: {
        component: `\`useRegister(procedure, handler, options)\` makes the browser a callee while mounted, registered again after every reconnect.

| option | meaning |
|---|---|
| \`match\` | \`exact\`, \`prefix\` or \`wildcard\` registration |
| \`invoke\` | shared registration policy: \`single\`, \`roundrobin\`, \`random\`, \`first\`, \`last\` |
| \`enabled\` | register while true (default \`true\`) |
| \`options\` | other REGISTER options (\`disclose_caller\`, \`forward_timeout\`) |

The handler gets \`{ args, kwargs, details, procedure, signal, progress, inputs }\` and always sees the latest props (change \`greeting\`: no re-registration). Returns \`{ status, error, nextRetryAt, invocationCount }\`: \`idle\` while disabled, else \`pending\` → \`active\`, \`retrying\` while the router refuses (another tab holds the procedure), \`revoked\`, or \`error\`. A second registration of the same procedure in one app is reported as an error. **Drop the connection**: the badge goes \`pending\` and back to \`active\` on the new session.`,
      },
    },
  },
  title: 'Hooks/useRegister',
  component: CalleeAndCaller,
  excludeStories: ['CalleeAndCaller'],
  decorators: [(Story) => <Demo>{<Story />}</Demo>],
} satisfies Meta<typeof CalleeAndCaller>

export default meta
export const BrowserSideCallee: StoryObj<typeof meta> = { args: { greeting: 'Hello' } }
