import type { Meta, StoryObj } from '@storybook/react-vite'
import { useProgressCall } from '../src/react/index.js'
import type { Backend } from './support/Demo.js'
import { Demo } from './support/Demo.js'
import { ns } from './support/demo.js'
import { describeError, formatCount, formatPercent, plural } from './support/format.js'
import { Alert, Card, Note, StatusBadge } from './support/ui.js'

const EXPORT = `${ns}.export`
const ROWS_PER_STEP = 1_234

/** Backend: an "export" reporting its percentage and rows so far as progressive results. */
export const backend: Backend = [
  'export',
  (connection) => [
    connection.acquireRegistration(EXPORT, async ({ args, progress, signal }) => {
      const [steps, stepMs] = args as [number, number]
      for (let step = 1; step <= steps; step++) {
        await new Promise((resolve) => setTimeout(resolve, stepMs))
        if (signal.aborted) throw signal.reason
        progress([Math.round((step / steps) * 100)], { rows: step * ROWS_PER_STEP })
      }
      return { args: [`export-${Date.now()}.csv`], kwargs: { rows: steps * ROWS_PER_STEP } }
    }),
  ],
]

interface Progress {
  percent: number
  rows: number
}

export function ExportJob({ steps = 20, stepMs = 100 }: { steps?: number; stepMs?: number }) {
  const { progress, chunkCount, data, error, status, mutate, cancel } = useProgressCall(EXPORT, {
    args: [steps, stepMs],
    enabled: false,
    reducer: (_last: Progress, chunk): Progress => ({
      percent: chunk.args[0] as number,
      rows: Number(chunk.kwargs.rows),
    }),
    initialValue: { percent: 0, rows: 0 },
    select: (result) => ({ file: String(result.args[0]), rows: Number(result.kwargs.rows) }),
  })
  // The bar and the file belong to different runs once a new one starts or this one fails.
  const running = status === 'pending'
  const fresh = status === 'success'
  return (
    <Card title="Export (useProgressCall)" status={status} statusTestId="progress-status">
      <div className="rw-row">
        <button type="button" className="rw-btn rw-btn--primary" onClick={() => mutate()} disabled={running}>
          Start export
        </button>
        <button type="button" className="rw-btn" onClick={cancel} disabled={!running}>
          Cancel
        </button>
      </div>
      <div className={status === 'error' ? 'rw-stale' : undefined}>
        <progress className="rw-progress" data-testid="progress" max={100} value={progress.percent} />
        <p className="rw-note rw-num" data-testid="progress-text">
          {formatPercent(progress.percent)} · {plural(progress.rows, 'row', 'rows')} ·{' '}
          {plural(chunkCount, 'progress message', 'progress messages')}
        </p>
      </div>
      {status === 'idle' && <Note>Press Start export: the callee reports its progress as it goes.</Note>}
      {status === 'error' && error && (
        <Alert testId="progress-error">
          Stopped at {formatPercent(progress.percent)}: {describeError(error)}
        </Alert>
      )}
      {data && fresh && (
        <p data-testid="progress-result">
          Done: <b>{data.file}</b> ({formatCount(data.rows)} rows)
        </p>
      )}
      {data && !fresh && (
        <p className="rw-stale" data-testid="progress-stale">
          <StatusBadge status="stale" /> Previous export: {data.file} ({formatCount(data.rows)} rows), not this run's
        </p>
      )}
    </Card>
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

Returns useCall's state plus \`{ progress, lastChunk, chunkCount }\`. Here the callee reports its percentage and the rows so far; the bar reaches 100 % and then the result arrives. **Cancel** or **Drop the connection** stop the run: the card says where it stopped and why (\`AbortError\` or \`ConnectionLostError\`), and the file of an earlier run stays visible, marked **stale**.`,
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
