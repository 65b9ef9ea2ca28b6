import type { Args, Dict, Kwargs } from '../protocol/messages.js'
import {
  callMeta,
  defined,
  idArgument,
  isDict,
  isId,
  type MetaClient,
  type MetaReply,
  MetaReplyError,
} from './shared.js'

/**
 * Filters of `wamp.subscription.get_events`, sent as keyword arguments exactly as given (times as
 * RFC 3339 strings; a Date is converted).
 *
 * Router support differs, so send only what the router understands:
 * - nexus 3.3 honours `reverse`, `topic` and the `*_time` filters; it ignores `limit` sent over the
 *   wire, and refuses every `*_publication` filter with `wamp.error.invalid_argument` (it checks their
 *   type with a Go type assertion that no decoded number passes).
 * - Crossbar.io 26 honours only `limit` (default 10) and refuses any other keyword with
 *   `wamp.error.runtime_error`.
 */
export interface GetEventsOptions {
  /** At most this many events. */
  limit?: number
  /** Newest first (the spec's default is oldest first). */
  reverse?: boolean
  /** For pattern subscriptions: only events published to this topic. */
  topic?: string
  from_time?: string | Date
  after_time?: string | Date
  before_time?: string | Date
  until_time?: string | Date
  from_publication?: number
  after_publication?: number
  before_publication?: number
  until_publication?: number
}

/** One stored event, in one shape whatever the router. */
export interface HistoryEvent {
  /** The original publication ID. */
  publication: number
  /** The topic it was published to, where the router says (nexus: for pattern subscriptions only). */
  topic?: string
  /** The subscription it was stored for, where the router says. */
  subscription?: number
  /** When the broker received it (RFC 3339), where the router says (Crossbar.io). */
  timestamp?: string
  /**
   * The event's details. Crossbar.io stores no details: its record's other fields (`realm`,
   * `session_id`, `authid`, `authrole` of the publisher, `time_ns`) are given here instead.
   */
  details: Dict
  args: Args
  kwargs: Kwargs
}

/** The answer of `getEvents`. */
export interface EventHistory {
  /**
   * The events in the router's order: nexus oldest first (newest first with `reverse`),
   * Crossbar.io newest first.
   */
  events: HistoryEvent[]
  /** Whether the history reached its configured limit (older events were dropped), where the router says (nexus). */
  limitReached?: boolean
}

/**
 * The stored events of a subscription with event history. Wraps
 * `wamp.subscription.get_events(subscription, limit=, reverse=, …)`.
 *
 * Normalizes the three shapes routers answer with: the spec's (`[{timestamp, subscription,
 * publication, details, args, kwargs}…]` plus `{is_limit_reached}`), nexus's Go field names
 * (`Subscription`, `Publication`, `Details`, `Arguments`, `ArgumentsKw`) and Crossbar.io's (one
 * list argument of `{time_ns, realm, session_id, authid, authrole, publication, topic, args, kwargs}`).
 *
 * Which subscriptions have a history is router configuration. Get the ID with `lookupSubscription`
 * rather than by subscribing: on nexus, once the last subscriber of a history subscription leaves,
 * its history is gone for good. Crossbar.io, on the other hand, stores an event only while the
 * history subscription has at least one subscriber, and answers `wamp.error.history_unavailable`
 * for subscriptions without history (nexus: an empty list, also for unknown IDs).
 */
export async function getEvents(
  client: MetaClient,
  subscriptionId: number,
  options: GetEventsOptions = {},
): Promise<EventHistory> {
  const kwargs: Kwargs = {}
  for (const [key, value] of Object.entries(defined({ ...options }))) {
    kwargs[key] = value instanceof Date ? value.toISOString() : value
  }
  const reply = await callMeta(
    client,
    'wamp.subscription.get_events',
    [idArgument(subscriptionId, 'the subscription')],
    kwargs,
  )
  return parseEventHistory(reply)
}

/** Normalizes a `wamp.subscription.get_events` reply (exported for tests). */
export function parseEventHistory(reply: MetaReply): EventHistory {
  // Crossbar.io returns the list as its single positional argument; the spec and nexus spread it.
  const list = reply.args.length === 1 && Array.isArray(reply.args[0]) ? reply.args[0] : reply.args
  const events = list.map((record) => historyEvent(reply, record))
  const limitReached = reply.kwargs.is_limit_reached
  return typeof limitReached === 'boolean' ? { events, limitReached } : { events }
}

function historyEvent(reply: MetaReply, record: unknown): HistoryEvent {
  if (!isDict(record)) throw new MetaReplyError(reply.procedure, reply, 'expected a list of events')
  if ('Publication' in record) {
    // nexus: a Go struct serialized with its field names.
    return build(reply, {
      publication: record.Publication,
      subscription: record.Subscription,
      details: record.Details,
      args: record.Arguments,
      kwargs: record.ArgumentsKw,
    })
  }
  if ('time_ns' in record || 'session_id' in record) {
    // Crossbar.io: the stored record, without details.
    const { publication, topic, args, kwargs, ...rest } = record
    return build(reply, {
      publication,
      topic,
      timestamp: nanosToIso(rest.time_ns),
      details: rest,
      args,
      kwargs,
    })
  }
  return build(reply, record)
}

function build(reply: MetaReply, raw: Dict): HistoryEvent {
  const { publication, subscription, timestamp, args, kwargs } = raw
  const details = raw.details ?? {}
  if (!isId(publication) || !isDict(details)) {
    throw new MetaReplyError(reply.procedure, reply, 'expected events with a publication ID')
  }
  const event: HistoryEvent = {
    publication,
    details,
    args: Array.isArray(args) ? args : [],
    kwargs: isDict(kwargs) ? kwargs : {},
  }
  const topic = typeof raw.topic === 'string' ? raw.topic : details.topic
  if (typeof topic === 'string') event.topic = topic
  if (isId(subscription)) event.subscription = subscription
  if (typeof timestamp === 'string') event.timestamp = timestamp
  return event
}

function nanosToIso(value: unknown): string | undefined {
  const nanos = typeof value === 'bigint' ? Number(value) : value
  if (typeof nanos !== 'number' || !Number.isFinite(nanos)) return undefined
  return new Date(nanos / 1e6).toISOString()
}

/**
 * The events oldest first, whatever order the router answered in: Crossbar.io answers newest
 * first (its records carry `time_ns`, kept in `details`), nexus and the spec oldest first.
 */
export function inPublicationOrder(history: EventHistory): HistoryEvent[] {
  const { events } = history
  const first = nanos(events[0])
  const last = nanos(events[events.length - 1])
  return first !== undefined && last !== undefined && first > last ? [...events].reverse() : events
}

function nanos(event: HistoryEvent | undefined): number | undefined {
  const value = event?.details.time_ns
  if (typeof value === 'bigint') return Number(value)
  return typeof value === 'number' ? value : undefined
}
