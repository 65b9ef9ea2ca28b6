import type { Meta, StoryObj } from '@storybook/react-vite'
import type { Client } from '../src/client/index.js'
import { useProgressCall } from '../src/react/index.js'
import { Demo, panel } from './support/Demo.js'
import { ns } from './support/demo.js'

const EXPORT = `${ns}.export`

/** Backend: an "export" reporting its percentage as progressive results. */
export const backend = [
  'export',
  async (session: Client) => {
    await session.register(EXPORT, async ({ args, progress, signal }) => {
      const [steps, stepMs] = args as [number, number]
      for (let step = 1; step <= steps; step++) {
        await new Promise((resolve) => setTimeout(resolve, stepMs))
        if (signal.aborted) throw signal.reason
        progress([Math.round((step / steps) * 100)])
      }
      return { args: [`export-${Date.now()}.csv`] }
    })
  },
] as const

export function ExportJob({ steps = 20, stepMs = 100 }: { steps?: number; stepMs?: number }) {
  const { progress, chunkCount, data, status, mutate, cancel } = useProgressCall(EXPORT, {
    args: [steps, stepMs],
    enabled: false,
    reducer: (_percent: number, chunk) => chunk.args[0] as number,
    initialValue: 0,
    select: (result) => result.args[0] as string,
  })
  return (
    <div style={panel}>
      <p>
        <button type="button" onClick={() => mutate()} disabled={status === 'pending'}>
          Start export
        </button>{' '}
        <button type="button" onClick={cancel} disabled={status !== 'pending'}>
          Cancel
        </button>
      </p>
      <progress data-testid="progress" max={100} value={progress ?? 0} style={{ width: '100%' }} />
      <p data-testid="progress-text">
        {progress ?? 0}% · {chunkCount} progress messages · {status}
      </p>
      {data && <p data-testid="progress-result">Done: {data}</p>}
    </div>
  )
}

const backends = [backend]

const meta = {
  parameters: {
    docs: {
      description: {
        component: `\`useProgressCall(procedure, options)\` is \`useCall\` with progressive results.

| option | meaning |
|---|---|
| every \`useCall\` option | |
| \`reducer(progress, chunk)\` | folds each progressive result into \`progress\`, once per chunk, outside render |
| \`initialValue\` | \`progress\` before the first chunk |
| \`onProgress(chunk)\` | called for every chunk |

Returns useCall's state plus \`{ progress, lastChunk, chunkCount }\`. Here the callee reports its percentage; the bar reaches 100% and then the result arrives.`,
      },
    },
  },
  title: 'Hooks/useProgressCall',
  component: ExportJob,
  excludeStories: ['ExportJob', 'backend'],
  decorators: [(Story) => <Demo backends={backends}>{<Story />}</Demo>],
} satisfies Meta<typeof ExportJob>

export default meta
export const ProgressBar: StoryObj<typeof meta> = { args: { steps: 20, stepMs: 100 } }
