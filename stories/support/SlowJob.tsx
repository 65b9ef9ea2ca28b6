import { useState } from 'react'
import { useCall, useRegister } from '../../src/react/index.js'
import { ns } from './demo.js'
import { describeError, plural } from './format.js'
import { Card, Note } from './ui.js'

const SLOW_JOB = `${ns}.browser.slow_job`

/**
 * A callee in this browser that runs until it is interrupted, and a button that calls it: a call
 * that stays in flight, for the devtools panel to show and cancel.
 */
export function SlowJob() {
  const [interrupts, setInterrupts] = useState(0)
  const callee = useRegister(SLOW_JOB, ({ signal }) => {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve({ args: ['finished'] }), 60_000)
      signal.addEventListener('abort', () => {
        clearTimeout(timer)
        setInterrupts((count) => count + 1)
        reject(signal.reason)
      })
    })
  })
  const job = useCall(SLOW_JOB, { enabled: false })
  return (
    <Card title="Slow job (callee in this browser)" status={job.status} statusTestId="slow-job-status">
      <div className="rw-row">
        <button
          type="button"
          className="rw-btn rw-btn--primary"
          onClick={() => job.mutate()}
          disabled={job.status === 'pending'}
        >
          Start slow job
        </button>
      </div>
      <p data-testid="slow-job-callee">
        <code>{SLOW_JOB}</code>: {callee.status} · {plural(interrupts, 'interrupt', 'interrupts')}
      </p>
      {job.status === 'idle' && <Note>Runs until cancelled: start it, then press Cancel in the devtools panel.</Note>}
      {job.status === 'pending' && <Note>Running: the panel lists it under Calls in flight.</Note>}
      {job.status === 'error' && job.error && (
        <p data-testid="slow-job-stopped" data-log>
          Stopped: {describeError(job.error)}
        </p>
      )}
    </Card>
  )
}
