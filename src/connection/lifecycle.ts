import type { Client } from '../client/client.js'
import { WampError } from '../protocol/errors.js'

/**
 * The connection's lifecycle as one pure state machine. `step` takes the machine and an event and
 * returns the next machine and the effects to run; `Connection` runs them. Nothing else changes
 * the phase, so every case below is the whole story.
 *
 * | phase \ event   | start        | attempt settled (t)                 | session lost (t)        | timer (t)    | wake          | close         |
 * |-----------------|--------------|-------------------------------------|-------------------------|--------------|---------------|---------------|
 * | idle            | → connecting | discard its session                 | –                       | –            | –             | → closed      |
 * | connecting (t)  | –            | ok → open; failed → fail()          | –                       | –            | – (in flight) | → closed      |
 * | open (t)        | –            | discard its session (stale)         | → fail(), session gone  | –            | probe now     | → closed, end |
 * | waiting (t)     | –            | discard its session (stale)         | –                       | → connecting | → connecting  | → closed      |
 * | closed          | –            | discard its session                 | –                       | –            | –             | –             |
 *
 * `fail()` counts a failure (a failed attempt, or a session lost before it was stable) and either
 * arms the backoff timer (→ waiting) or gives up (→ closed). A session that stayed open for
 * `stableAfter` resets the count: its loss is no failure, and the retry waits a first-retry
 * delay, with jitter like every other.
 * Every attempt and session carries a token; an outcome whose token is not the current one is stale.
 */
export type Phase = 'idle' | 'connecting' | 'open' | 'waiting' | 'closed'

export interface Machine {
  readonly phase: Phase
  /** Of the attempt in flight, the open session, or the armed timer. */
  readonly token: number
  /** Failures since the last stable session. */
  readonly failures: number
  /** A session has opened before: later attempts are reconnects. */
  readonly everOpen: boolean
  /** When the current session opened (while open). */
  readonly openedAt: number
  /** The delay of the armed timer (while waiting). */
  readonly delay?: number
  /** Why the last attempt failed or the last session ended. */
  readonly error?: Error
}

export type LifecycleEvent =
  | { type: 'start' }
  | { type: 'attempt-opened'; token: number; client: Client; at: number }
  | { type: 'attempt-failed'; token: number; error: Error }
  | { type: 'session-lost'; token: number; error: Error; at: number }
  | { type: 'timer'; token: number }
  | { type: 'wake' }
  | { type: 'close' }

export type Effect =
  | { type: 'open-attempt'; token: number }
  | { type: 'adopt'; client: Client }
  | { type: 'discard'; client: Client }
  | { type: 'end-session' }
  | { type: 'arm-timer'; token: number; delay: number }
  | { type: 'clear-timer' }
  | { type: 'probe' }

/** What `fail()` needs to know. */
export interface RetryPolicy {
  /** `false`: never reconnect. */
  reconnect: boolean
  maxAttempts: number
  retryOnAuthFailure: boolean
  /** How long a session must stay open before its loss no longer counts as a failure, in ms. */
  stableAfter: number
  /** The backoff delay before retry number `failures` (≥ 1), jitter included. */
  delay(failures: number): number
}

export const initialMachine: Machine = { phase: 'idle', token: 0, failures: 0, everOpen: false, openedAt: 0 }

export interface Step {
  machine: Machine
  effects: Effect[]
}

export function step(machine: Machine, event: LifecycleEvent, policy: RetryPolicy): Step {
  const stay: Step = { machine, effects: [] }
  const current = 'token' in event && event.token === machine.token
  switch (event.type) {
    case 'start':
      return machine.phase === 'idle' ? attempt(machine) : stay
    case 'attempt-opened':
      if (machine.phase !== 'connecting' || !current)
        return { machine, effects: [{ type: 'discard', client: event.client }] }
      return {
        machine: { ...machine, phase: 'open', everOpen: true, openedAt: event.at, delay: undefined, error: undefined },
        effects: [{ type: 'adopt', client: event.client }],
      }
    case 'attempt-failed':
      return machine.phase === 'connecting' && current ? fail(machine, event.error, policy, machine.failures + 1) : stay
    case 'session-lost': {
      if (machine.phase !== 'open' || !current) return stay
      const stable = event.at - machine.openedAt >= policy.stableAfter
      // A stable session's loss is no failure (the retry still waits a jittered first delay).
      const next = fail(machine, event.error, policy, stable ? 0 : machine.failures + 1)
      return { machine: next.machine, effects: [{ type: 'end-session' }, ...next.effects] }
    }
    case 'timer':
      return machine.phase === 'waiting' && current ? attempt(machine) : stay
    case 'wake':
      if (machine.phase === 'waiting') {
        const next = attempt(machine)
        return { machine: next.machine, effects: [{ type: 'clear-timer' }, ...next.effects] }
      }
      return machine.phase === 'open' ? { machine, effects: [{ type: 'probe' }] } : stay
    case 'close': {
      if (machine.phase === 'closed') return stay
      const effects: Effect[] = [{ type: 'clear-timer' }]
      if (machine.phase === 'open') effects.push({ type: 'end-session' })
      // A new token: the outcome of an attempt still in flight is stale and its session is discarded.
      const closed: Machine = {
        ...machine,
        phase: 'closed',
        token: machine.token + 1,
        delay: undefined,
        error: undefined,
      }
      return { machine: closed, effects }
    }
  }
}

function attempt(machine: Machine): Step {
  const token = machine.token + 1
  return {
    machine: { ...machine, phase: 'connecting', token, delay: undefined },
    effects: [{ type: 'open-attempt', token }],
  }
}

/** Counts a failure, then retries after a backoff or gives up. */
function fail(machine: Machine, error: Error, policy: RetryPolicy, failures: number): Step {
  const authRefused = error instanceof WampError && error.code === 'authentication'
  if (!policy.reconnect || (authRefused && !policy.retryOnAuthFailure) || failures >= policy.maxAttempts) {
    const closed: Machine = { ...machine, phase: 'closed', token: machine.token + 1, failures, error, delay: undefined }
    return { machine: closed, effects: [{ type: 'clear-timer' }] }
  }
  const token = machine.token + 1
  const delay = policy.delay(Math.max(1, failures))
  return {
    machine: { ...machine, phase: 'waiting', token, failures, error, delay },
    effects: [{ type: 'arm-timer', token, delay }],
  }
}
