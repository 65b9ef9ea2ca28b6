import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { useCall, useRegister } from '../src/react/index.js'
import { Demo, panel } from './support/Demo.js'
import { ns } from './support/demo.js'

const GREET = `${ns}.browser.greet`

/** This component is the callee: the procedure lives in the browser while it is mounted. */
function BrowserCallee({ greeting }: { greeting: string }) {
  const [log, setLog] = useState<{ id: number; line: string }[]>([])
  const { status, invocationCount, error } = useRegister(GREET, async ({ args, signal }) => {
    const name = String(args[0] ?? 'stranger')
    setLog((lines) => [...lines.slice(-4), { id: Date.now() + Math.random(), line: `called with "${name}"` }])
    await new Promise((resolve) => setTimeout(resolve, 150))
    if (signal.aborted) throw signal.reason
    return { args: [`${greeting}, ${name}!`] }
  })
  return (
    <div style={panel}>
      <h3 style={{ margin: 0 }}>Callee (this browser)</h3>
      <p data-testid="callee-status">
        {GREET}: {status} · {invocationCount} invocations
      </p>
      {error && <p role="alert">{error.message}</p>}
      <ul style={{ fontSize: 12 }}>
        {log.map(({ id, line }) => (
          <li key={id}>{line}</li>
        ))}
      </ul>
    </div>
  )
}

/** Another panel calls the browser-side procedure, as any WAMP client could. */
function Caller() {
  const [name, setName] = useState('Ada')
  const { status, data, error, mutate } = useCall(GREET, {
    args: [name],
    enabled: false,
    select: (r) => r.args[0] as string,
  })
  return (
    <div style={panel}>
      <h3 style={{ margin: 0 }}>Caller</h3>
      <input value={name} onChange={(e) => setName(e.target.value)} aria-label="name" />{' '}
      <button type="button" onClick={() => mutate()}>
        Call {GREET}
      </button>
      <p data-testid="caller-result">
        {status}
        {data ? `: ${data}` : ''}
        {error ? `: ${error.message}` : ''}
      </p>
    </div>
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

The handler gets \`{ args, kwargs, details, procedure, signal, progress, inputs }\` and always sees the latest props (change \`greeting\`: no re-registration). Returns \`{ status, error, invocationCount }\`; a second registration of the same procedure in one app is reported as an error.`,
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
