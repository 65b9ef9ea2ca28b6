import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import type { SessionSharing } from '../src/connection/index.js'
import { useCall, usePublish, useRegister, useSubscription, WampProvider } from '../src/react/index.js'
import { type MessagePortLike, messagePortLink, portLink, TabConnection, TabHubs } from '../src/tabs/index.js'
import { SessionBar } from './support/Demo.js'
import { ns, providerOptions } from './support/demo.js'
import { plural } from './support/format.js'
import { Card, Note } from './support/ui.js'

const TICK = `${ns}.tabs.tick`
const GREET = `${ns}.tabs.greet`

/**
 * Two "tabs" in one page: each is a WampProvider with `shareAcrossTabs`, reaching one hub over a
 * MessageChannel, as real tabs reach the SharedWorker (`acrossTabs({ worker })` in an app).
 */
const hubs = new TabHubs({ open: providerOptions().open })
const simulatedTabs: SessionSharing = {
  connect(options) {
    const { port1, port2 } = new MessageChannel()
    hubs.serve(messagePortLink(port2 as unknown as MessagePortLike))
    return new TabConnection(options, portLink(messagePortLink(port1 as unknown as MessagePortLike)))
  },
}

function TabContent({ name }: { name: string }) {
  const { eventCount, lastEvent } = useSubscription(TICK)
  const publish = usePublish(TICK, { exclude_me: false })
  const callee = useRegister(GREET, ({ args }) => ({ args: [`${name} answers ${String(args[0])}`] }))
  const greet = useCall(GREET, { args: [name], enabled: false, select: (r) => String(r.args[0]) })
  return (
    <>
      <Card title="Subscription" status="active">
        <p data-testid={`events-${name}`}>
          {plural(eventCount, 'event', 'events')}
          {lastEvent ? `, last from ${String(lastEvent.args[0])}` : ''}
        </p>
        <button type="button" className="rw-btn" onClick={() => void publish([name]).catch(() => {})}>
          Publish from {name}
        </button>
      </Card>
      <Card title={`Callee ${GREET}`} status={callee.status}>
        <Note>
          {callee.status === 'active'
            ? 'This tab answers; close it and the other tab takes over.'
            : 'The other tab answers; this one takes over when it closes.'}
        </Note>
      </Card>
      <Card title="Caller" status={greet.status}>
        <button
          type="button"
          className="rw-btn rw-btn--primary"
          onClick={() => void greet.mutateAsync().catch(() => {})}
        >
          Call {GREET}
        </button>
        {greet.data && <p data-testid={`answer-${name}`}>{greet.data}</p>}
      </Card>
    </>
  )
}

function SimulatedTab({ name }: { name: string }) {
  const [open, setOpen] = useState(true)
  return (
    <div className="rw-demo">
      <h3>{name}</h3>
      {open ? (
        <WampProvider {...providerOptions()} shareAcrossTabs={simulatedTabs}>
          <SessionBar />
          <TabContent name={name} />
          <button type="button" className="rw-btn" onClick={() => setOpen(false)}>
            Close {name}
          </button>
        </WampProvider>
      ) : (
        <>
          <div className="rw-bar">
            <span className="rw-bar__text" data-testid="session">
              open elsewhere · {name} is closed
            </span>
          </div>
          <button type="button" className="rw-btn rw-btn--primary" onClick={() => setOpen(true)}>
            Open {name} again
          </button>
        </>
      )}
    </div>
  )
}

export function TwoTabs() {
  return (
    <div className="rw-row">
      <SimulatedTab name="tab A" />
      <SimulatedTab name="tab B" />
    </div>
  )
}

const meta = {
  parameters: {
    docs: {
      description: {
        component: `\`<WampProvider shareAcrossTabs={acrossTabs({ worker })}>\` (from \`react-wamp/tabs\`): every tab of the site that asks for the same router, realm and identity uses one session, held by a SharedWorker (or, without one, by a tab elected with the Web Locks API). Here two providers in one page stand for two tabs, each on its own MessageChannel to one hub: the session bar shows the same session in both, a publish reaches each tab once, the procedure is answered by the tab that registered first and handed to the other when it closes. See README, "One session for all tabs".`,
      },
    },
  },
  title: 'Examples/Shared across tabs',
  component: TwoTabs,
  excludeStories: ['TwoTabs'],
} satisfies Meta<typeof TwoTabs>

export default meta
export const OneSessionForTwoTabs: StoryObj<typeof meta> = {}
