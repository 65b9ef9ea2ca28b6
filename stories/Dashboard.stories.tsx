import type { Meta, StoryObj } from '@storybook/react-vite'
import { Demo } from './support/Demo.js'
import { Search, backend as searchBackend } from './useCall.stories.js'
import { ExportJob, backend as exportBackend } from './useProgressCall.stories.js'
import { Chat } from './usePublish.stories.js'
import { backend as pricesBackend, Ticker } from './useSubscription.stories.js'
import { ConnectionPanel } from './useWampSession.stories.js'

/** Every demo backend at once (each is set up once per page, whichever story started it). */
const backends = [searchBackend, exportBackend, pricesBackend]

function Dashboard() {
  return (
    <div className="rw-grid" data-testid="dashboard">
      <ConnectionPanel />
      <Ticker symbol="acme" bufferSize={5} />
      <Ticker symbol="globex" bufferSize={5} />
      <Search initialDelay={500} />
      <ExportJob steps={10} stepMs={150} />
      <Chat author="dashboard" />
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
