import { messageName } from '../protocol/message-types.js'
import { messageSize, summarizeMessage } from './describe.js'
import { defaultPreviewLimits, type PreviewLimits, redactMessage } from './redact.js'

/** One message as the devtools keep it: redacted and cut, with what the list shows. */
export interface LoggedMessage {
  /** Increases by one per message logged (the list's key). */
  seq: number
  /** When it was sent or received (epoch ms). */
  at: number
  direction: 'in' | 'out'
  /** The WAMP message code, e.g. 48. */
  type: number
  /** Its name, e.g. `CALL`. */
  name: string
  /** About how many bytes it takes as JSON (see `messageSize`). */
  size: number
  /** Its request ID and URI, in one line. */
  summary: string
  /** The message with secrets redacted and payloads cut. */
  message: unknown
}

/**
 * The last `capacity` messages, oldest dropped first (a ring buffer): memory stays bounded
 * however long the devtools stay open. Only redacted, cut copies are kept.
 */
export class MessageLog {
  private readonly slots: (LoggedMessage | undefined)[]
  private seq = 0
  private start = 0

  constructor(
    readonly capacity = 500,
    private readonly limits: PreviewLimits = defaultPreviewLimits,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`MessageLog: capacity must be a whole number ≥ 1, not ${capacity}`)
    }
    this.slots = new Array(capacity)
  }

  /** Messages logged since the start or the last clear, including those dropped for room. */
  get total(): number {
    return this.seq - this.start
  }

  /** Messages held now (at most `capacity`). */
  get size(): number {
    return Math.min(this.total, this.capacity)
  }

  /** Logs a message; the oldest one goes when the log is full. */
  push(direction: 'in' | 'out', message: unknown, at: number = Date.now()): LoggedMessage {
    const type = Array.isArray(message) && typeof message[0] === 'number' ? message[0] : Number.NaN
    const entry: LoggedMessage = {
      seq: this.seq,
      at,
      direction,
      type,
      name: Number.isNaN(type) ? 'not WAMP' : messageName(type),
      size: messageSize(message),
      summary: summarizeMessage(message),
      message: redactMessage(message, this.limits),
    }
    this.slots[this.seq % this.capacity] = entry
    this.seq += 1
    return entry
  }

  /** The messages held, oldest first. */
  entries(): LoggedMessage[] {
    const first = this.seq - this.size
    const out: LoggedMessage[] = []
    for (let seq = first; seq < this.seq; seq++) out.push(this.slots[seq % this.capacity] as LoggedMessage)
    return out
  }

  /** Forgets every message (sequence numbers keep increasing). */
  clear(): void {
    this.slots.fill(undefined)
    this.start = this.seq
  }
}

/** The entries whose name, summary or direction contain `text` (case-insensitive); all when empty. */
export function filterMessages(entries: readonly LoggedMessage[], text: string): LoggedMessage[] {
  const wanted = text.trim().toLowerCase()
  if (wanted === '') return [...entries]
  return entries.filter((entry) =>
    `${entry.direction === 'in' ? '← in' : '→ out'} ${entry.name} ${entry.summary}`.toLowerCase().includes(wanted),
  )
}
