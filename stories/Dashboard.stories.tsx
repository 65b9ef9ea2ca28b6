import type { Meta, StoryObj } from '@storybook/react-vite'
import type { ReactNode } from 'react'
import { WampDevtools } from '../src/devtools/index.js'
import { Demo } from './support/Demo.js'
import { SlowJob } from './support/SlowJob.js'
import { Search, backend as searchBackend } from './useCall.stories.js'
import { ExportJob, backend as exportBackend } from './useProgressCall.stories.js'
import { Chat } from './usePublish.stories.js'
import { backend as pricesBackend, Ticker } from './useSubscription.stories.js'
import { ConnectionPanel } from './useWampSession.stories.js'

/** Every demo backend at once (each is set up once per page, whichever story started it). */
const backends = [searchBackend, exportBackend, pricesBackend]

function Dashboard({ children }: { children?: ReactNode }) {
  return (
    <div className="rw-grid" data-testid="dashboard">
      <ConnectionPanel />
      <Ticker symbol="acme" bufferSize={5} />
      <Ticker symbol="globex" bufferSize={5} />
      <Search initialDelay={500} />
      <ExportJob steps={10} stepMs={150} />
      <Chat author="dashboard" />
      {children}
    </div>
  )
}

const meta = {
  title: 'Examples/Dashboard',
  component: Dashboard,
  decorators: [
    (Story) => (
      <Demo backends={backends} wide>
        {<Story />}
      </Demo>
    ),
  ],
  parameters: {
    layout: 'fullscreen',
    docs: {
      description: {
        component: `A dashboard composing the widgets over one \`WampProvider\`: one session, one SUBSCRIBE per topic however many widgets show it. **Drop the connection for 3 s**: the connection card shows \`reconnecting\` and its backoff, the tickers mark their prices stale, a running export stops with the reason, and everything comes back by itself once the router answers again.`,
      },
    },
  },
} satisfies Meta<typeof Dashboard>

export default meta
export const Overview: StoryObj<typeof meta> = {}

/**
 * The dashboard with `<WampDevtools />` open below it, and a slow job whose call stays in flight
 * until the panel cancels it. (`data-log`: the panel is a record of messages and states, whose
 * words are not the demo's own error text.)
 */
export const WithDevtools: StoryObj<{ docked: boolean }> = {
  args: { docked: false },
  argTypes: { docked: { control: 'boolean', description: 'dock the panel at the bottom of the window' } },
  render: ({ docked }) => (
    <>
      <Dashboard>
        <SlowJob />
      </Dashboard>
      <div data-log>
        <WampDevtools initialIsOpen position={docked ? 'fixed' : 'inline'} />
      </div>
    </>
  ),
  parameters: {
    docs: {
      description: {
        story: `\`<WampDevtools />\` from \`react-wamp/devtools\`, open: the connection's state and its changes, the tickers' subscriptions with their events per second, the browser callee's registration, calls in flight and the live message log (filter, pause, clear; click a message to inspect it; authentication secrets are redacted). **Start slow job**, then **Cancel** it in the panel: CANCEL goes out and the callee is interrupted.`,
      },
    },
  },
}
