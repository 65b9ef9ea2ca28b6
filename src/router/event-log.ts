import type { Args, Dict, Kwargs, Payload } from '../protocol/messages.js'

/** Which subscription keeps a history, and how long it is (a realm's `eventHistory` entry). */
export interface EventHistoryConfig {
  /** The subscription's topic (a pattern for `prefix` and `wildcard`). */
  topic: string
  /** Default `exact`. */
  match?: 'exact' | 'prefix' | 'wildcard'
  /** How many events it keeps; the oldest goes when a new one would exceed it. */
  limit: number
}

/** One stored event, in the spec's `wamp.subscription.get_events` shape. */
export interface StoredEvent {
  timestamp: string
  subscription: number
  publication: number
  details: Dict
  args?: Payload
  kwargs?: Kwargs
}

/**
 * The history of one subscription: a ring of its last `limit` events, oldest first. Kept like
 * nexus's `event_history`, except that the history (and its subscription) outlives its last
 * subscriber, so events published while nobody listens are kept for the next reader.
 */
export class EventLog {
  private readonly events: StoredEvent[] = []
  /** Whether an event was ever dropped to make room. */
  private overflowed = false

  constructor(readonly limit: number) {}

  add(event: StoredEvent): void {
    if (this.events.length >= this.limit) {
      this.events.shift()
      this.overflowed = true
    }
    this.events.push(event)
  }

  /**
   * `wamp.subscription.get_events`: the last `limit` events (all without it), oldest first
   * (newest first with `reverse`), optionally only those published to `topic`.
   */
  read(options: { limit?: number; reverse?: boolean; topic?: string }): { args: Args; kwargs: Kwargs } {
    const { limit, reverse, topic } = options
    let events = topic === undefined ? this.events : this.events.filter((event) => event.details.topic === topic)
    if (limit !== undefined) events = events.slice(Math.max(0, events.length - limit))
    const ordered = reverse ? [...events].reverse() : [...events]
    return { args: ordered.map(toRecord), kwargs: { is_limit_reached: this.overflowed } }
  }
}

function toRecord(event: StoredEvent): Dict {
  const record: Dict = {
    timestamp: event.timestamp,
    subscription: event.subscription,
    publication: event.publication,
    details: event.details,
  }
  if (event.args !== undefined) record.args = event.args
  if (event.kwargs !== undefined) record.kwargs = event.kwargs
  return record
}

/** What is wrong with a realm's `eventHistory` entry, in words (undefined when nothing is). */
export function eventHistoryProblem(config: EventHistoryConfig): string | undefined {
  if (typeof config.topic !== 'string' || config.topic === '') return 'eventHistory: topic must be a non-empty string'
  const match = config.match ?? 'exact'
  if (match !== 'exact' && match !== 'prefix' && match !== 'wildcard') {
    return `eventHistory ${config.topic}: match must be exact, prefix or wildcard`
  }
  if (!Number.isSafeInteger(config.limit) || config.limit < 1) {
    return `eventHistory ${config.topic}: limit must be a positive integer`
  }
  return undefined
}
