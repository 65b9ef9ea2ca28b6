import type { Connection, ConnectionState } from '../connection/connection.js'
import { observeConnection } from '../connection/inspect.js'
import { MessageType } from '../protocol/message-types.js'
import { EventRates } from './event-rates.js'
import { InvocationsInFlight } from './invocations.js'
import { MessageLog } from './message-log.js'
import { type PreviewLimits, redactUrlsIn } from './redact.js'

/** One change of the connection's state. */
export interface Transition {
  at: number
  status: ConnectionState['status']
  attempt: number
  sessionId?: number
  /** Why, when the change came from an error (URLs in it redacted). */
  error?: string
}

export interface RecorderOptions {
  /** Messages kept (default 500). */
  capacity?: number
  /** State changes kept (default 20). */
  transitions?: number
  limits?: PreviewLimits
}

/**
 * What the devtools record while they are mounted: the message log, events per second per
 * subscription, and the state's recent changes. It exists only between `createRecorder` and
 * `stop()`: before and after, the connection keeps nothing and does nothing per message.
 */
export interface Recorder {
  readonly log: MessageLog
  readonly rates: EventRates
  /** Invocations of this client's registrations running now (since the recorder started). */
  readonly invocations: InvocationsInFlight
  /** Recent state changes, oldest first. */
  readonly transitions: readonly Transition[]
  /** While paused, messages are not logged (rates still count). */
  paused: boolean
  /** Messages not logged because of a pause. */
  readonly skipped: number
  stop(): void
}

export function createRecorder(connection: Connection, options: RecorderOptions = {}): Recorder {
  const log = new MessageLog(options.capacity ?? 500, options.limits)
  const rates = new EventRates()
  const invocations = new InvocationsInFlight()
  const transitions: Transition[] = []
  const keep = options.transitions ?? 20
  let skipped = 0
  const recordState = () => {
    const { status, attempt, sessionId, error } = connection.getSnapshot()
    // A session's invocations end with it.
    if (status !== 'open') invocations.clear()
    const last = transitions.at(-1)
    if (last && last.status === status && last.attempt === attempt && last.sessionId === sessionId) return
    // The copy kept shows no URL's secrets (a connection error names its URL).
    transitions.push({ at: Date.now(), status, attempt, sessionId, error: error && redactUrlsIn(error.message) })
    if (transitions.length > keep) transitions.shift()
  }
  recordState()
  const stopState = connection.subscribe(recordState)
  const recorder: Recorder = {
    log,
    rates,
    invocations,
    transitions,
    paused: false,
    get skipped() {
      return skipped
    },
    stop: () => {
      stopMessages()
      stopState()
    },
  }
  const stopMessages = observeConnection(connection, (direction, message) => {
    if (!recordMessage(recorder, direction, message)) skipped += 1
  })
  return recorder
}

/**
 * What a recorder does with each message it sees: counts an EVENT for its subscription's rate,
 * follows invocations, and logs the message unless paused. Returns whether it was logged.
 */
export function recordMessage(
  recorder: Pick<Recorder, 'log' | 'rates' | 'invocations' | 'paused'>,
  direction: 'in' | 'out',
  message: unknown,
  at: number = Date.now(),
): boolean {
  if (Array.isArray(message)) {
    if (message[0] === MessageType.EVENT && typeof message[1] === 'number') recorder.rates.count(message[1], at)
    else recorder.invocations.see(direction, message)
  }
  if (recorder.paused) return false
  recorder.log.push(direction, message, at)
  return true
}
