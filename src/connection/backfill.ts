import type { Client } from '../client/client.js'
import type { Event } from '../client/types.js'
import { type EventHistory, getEvents, inPublicationOrder } from '../meta/event-history.js'
import {
  CallTimeoutError,
  ClientClosedError,
  ConnectionLostError,
  RPCError,
  SessionClosedError,
} from '../protocol/errors.js'
import { RecentIds } from './recent-ids.js'

/** What a durable subscription takes from the router's event history (see README, "Gap-free subscriptions"). */
export interface HistoryOptions {
  /** Start with the last `last` events of the router's history, before any live event. */
  last?: number
  /**
   * Start with the topic's retained event (SUBSCRIBE `get_retained` on the first subscribe only: after
   * a reconnect an old retained event would come again, out of order; `backfill` fills what was missed).
   */
  retained?: boolean
  /** After every reconnect, fetch what was published while away and deliver it before live events. */
  backfill?: boolean
  /** How many events one history read asks for (Crossbar.io answers at most this many). Default 1000. */
  limit?: number
  /**
   * The publisher's own numbering of an event, if it has one: then `missing` of a partial fill is
   * known. Read from the first holder; not part of the subscription's key. Not with a session shared
   * across tabs (a function cannot reach it): refused there with an InvalidArgumentError naming it.
   */
  sequenceOf?: (event: Event) => number | undefined
}

/**
 * How complete the delivered stream is, since the subscription was first asked for. Worst wins and
 * stays: `complete` < `partial` < `unfillable`.
 * - `complete`: no gap known.
 * - `partial`: the history did not reach back far enough (its limit cut it, a reconnect without
 *   `backfill`, or the read failed); `missing` counts the lost events where that can be known (`sequenceOf`).
 * - `unfillable`: the router keeps no history for this subscription (or lost it), so what was
 *   published while away cannot be known.
 */
export interface StreamCompleteness {
  status: 'complete' | 'partial' | 'unfillable'
  /** Events known to be lost (partial only, when known). */
  missing?: number
  /** Why partial or unfillable. */
  reason?: string
  /** A history read is in flight: live events are held back until it is merged. */
  filling: boolean
}

/** Where the stream stands in the router's history. */
type Position =
  | { at: 'unknown' } // nothing read or seen yet
  | { at: 'start' } // the history was empty when read: all of it is new to us
  | { at: 'after'; publication: number; sequence: number | undefined }

/**
 * The backfill of one subscription, an explicit machine:
 *
 * | phase     | on                                   | next      | effects                                                  |
 * |-----------|--------------------------------------|-----------|----------------------------------------------------------|
 * | `live`    | event                                | `live`    | deliver unless its publication was delivered already     |
 * | `live`    | `begin` (about to subscribe), a fill is due | `filling` | new token; live events are held from now on        |
 * | `filling` | event                                | `filling` | hold it (unless delivered already)                       |
 * | `filling` | `begin` (a new session)              | `filling` | new token: the old read's answer is stale; held events stay |
 * | `filling` | history read answers, token current  | `live`    | deliver the history after our position, then the held events, each once; note completeness |
 * | `filling` | read refused (an RPCError) / failed (a timeout…), token current | `live` | note `unfillable` / `partial`; deliver the held events |
 * | `filling` | read lost with its session           | `filling` | nothing: the next session's `begin` reads again          |
 * | any       | an answer with a stale token         | same      | dropped                                                  |
 *
 * A fill is due on the first subscribe with `last` or `backfill` (it also fixes our position in the
 * history) and, with `backfill`, on every later one.
 */
export class Backfill {
  /** While filling: live events held back; the first `carried` came on earlier sessions. */
  private phase: { name: 'live' } | { name: 'filling'; token: number; held: Event[]; carried: number } = {
    name: 'live',
  }
  private position: Position = { at: 'unknown' }
  private token = 0
  /** Sessions on which the router granted the subscription. */
  private grants = 0
  private readonly delivered: RecentIds
  private completeness: StreamCompleteness

  constructor(
    /** The subscription's topic: stored events of an exact subscription may not name theirs (nexus). */
    private readonly topic: string,
    private readonly options: HistoryOptions,
    private readonly deliver: (event: Event) => void,
    private readonly report: (completeness: StreamCompleteness) => void,
  ) {
    this.delivered = new RecentIds(Math.max(1024, this.limit()))
    // A first read is due from the start: `filling` until it answered, so nobody takes the quiet before it for the stream.
    this.completeness = { status: 'complete', filling: this.fillDue() }
  }

  get current(): StreamCompleteness {
    return this.completeness
  }

  /** The history read (`wamp.subscription.get_events`), here so that it loads with this machine. */
  read(client: Client, subscription: number, limit: number): Promise<EventHistory> {
    return getEvents(client, subscription, { limit })
  }

  /** About to subscribe on a session: the token of the fill to run once granted, if one is due. */
  begin(): number | undefined {
    if (!this.fillDue()) return undefined
    this.token += 1
    const held = this.phase.name === 'filling' ? this.phase.held : []
    this.phase = { name: 'filling', token: this.token, held, carried: held.length }
    this.publish()
    return this.token
  }

  /** The router granted the subscription: runs the fill of `token` (if any) with `read`. */
  granted(token: number | undefined, subscription: number, read: (limit: number) => Promise<EventHistory>): void {
    const again = this.grants > 0
    this.grants += 1
    if (token === undefined) {
      if (again) {
        this.note({ status: 'partial', reason: 'subscribed again without backfill' })
        this.publish()
      }
      return
    }
    const limit = again || this.options.backfill ? this.limit() : (this.options.last ?? this.limit())
    read(limit).then(
      (history) => this.answered(token, subscription, history),
      (error: Error) => this.refused(token, error),
    )
  }

  /** A live event of the current subscription. */
  receive(event: Event): void {
    if (this.phase.name === 'filling') {
      if (!this.delivered.has(event.publication)) this.phase.held.push(event)
      return
    }
    this.deliverOnce(event)
  }

  private answered(token: number, subscription: number, history: EventHistory): void {
    if (this.phase.name !== 'filling' || this.phase.token !== token) return
    const stored = inPublicationOrder(history).map(
      (stored): Event => ({
        args: stored.args,
        kwargs: stored.kwargs,
        details: stored.details,
        topic: stored.topic ?? this.topic,
        subscription,
        publication: stored.publication,
      }),
    )
    const { held, carried } = this.phase
    // Every stored event published after this session subscribed also came live, before this
    // answer (one channel, in order). So held events before the first one the history still has
    // were evicted meanwhile: older than all of it, they go first; and when it has none of them,
    // only those carried from earlier sessions are older (this session's are newer).
    const storedIds = new Set(stored.map((event) => event.publication))
    const firstStored = held.findIndex((event) => storedIds.has(event.publication))
    const older = held.slice(0, firstStored >= 0 ? firstStored : carried)
    const from = this.position
    // Stored events that also came live were published after we subscribed: not part of `last`.
    const heldIds = new Set(held.map((event) => event.publication))
    const firstLive = stored.findIndex((event) => heldIds.has(event.publication))
    const beforeLive = firstLive >= 0 ? stored.slice(0, firstLive) : stored
    const { fresh, cut } = this.freshPart(stored, beforeLive, history.limitReached === true, older.length > 0)
    this.phase = { name: 'live' }
    // The numbering of what this fill delivers, to count the events lost between them.
    const sequences: (number | undefined)[] = []
    for (const event of [...older, ...fresh, ...held]) {
      if (this.deliverOnce(event)) sequences.push(this.position.at === 'after' ? this.position.sequence : undefined)
    }
    // Our position is gone from the history; with a numbering that shows nothing lost, nothing was.
    const counted = missingBetween(from, sequences)
    if (cut && counted.missing !== 0) this.note({ status: 'partial', reason: cut, ...counted })
    this.publish()
  }

  /**
   * The part of the (oldest-first) history we have not delivered, noting how complete it is; `cut`
   * says why our position is not in it (the gap is counted once the fill is delivered).
   */
  private freshPart(
    stored: Event[],
    beforeLive: Event[],
    limitReached: boolean,
    olderHeld: boolean,
  ): { fresh: Event[]; cut?: string } {
    const position = this.position
    if (position.at === 'unknown') {
      // The first read: start with the last `last` events published before we subscribed, then
      // all stored since (they came live, or were lost on the dead link of an earlier session).
      const last = this.options.last ?? 0
      // The first read was lost with its session: what came while subscribed there is not known.
      if (this.grants > 1) this.note({ status: 'partial', reason: 'the first history read was lost with its session' })
      this.position = this.anchor(beforeLive[beforeLive.length - 1])
      const start = last > 0 ? beforeLive.slice(Math.max(0, beforeLive.length - last)) : []
      return { fresh: [...start, ...stored.slice(beforeLive.length)] }
    }
    if (position.at === 'start') {
      if (limitReached) this.note({ status: 'partial', reason: 'the history reached its limit while away' })
      return { fresh: stored }
    }
    const index = stored.findIndex((event) => event.publication === position.publication)
    if (index >= 0) return { fresh: stored.slice(index + 1) }
    if (stored.length === 0 && !olderHeld) {
      this.note({ status: 'unfillable', reason: 'the router kept no history of this subscription' })
      return { fresh: stored }
    }
    return { fresh: stored, cut: 'the history is shorter than the time away' }
  }

  private refused(token: number, error: Error): void {
    if (this.phase.name !== 'filling' || this.phase.token !== token) return
    // A read lost with its session is read again on the next one.
    if (
      error instanceof ConnectionLostError ||
      error instanceof SessionClosedError ||
      error instanceof ClientClosedError
    ) {
      return
    }
    const held = this.phase.held
    this.phase = { name: 'live' }
    // The router said no (no history here); anything else (a timeout, an answer we cannot read)
    // leaves a gap we cannot measure.
    const refusal = error instanceof RPCError && !(error instanceof CallTimeoutError)
    this.note(
      refusal
        ? { status: 'unfillable', reason: `the router keeps no history here (${error.uri})` }
        : { status: 'partial', reason: `the history read failed: ${error.message}` },
    )
    for (const event of held) this.deliverOnce(event)
    this.publish()
  }

  /** Delivers the event unless it was already; true when it did. */
  private deliverOnce(event: Event): boolean {
    if (this.delivered.has(event.publication)) return false
    this.delivered.add(event.publication)
    this.position = {
      at: 'after',
      publication: event.publication,
      sequence: this.sequence(event),
    }
    this.deliver(event)
    return true
  }

  private note(outcome: Omit<StreamCompleteness, 'filling'>): void {
    const now = this.completeness
    if (rank(outcome.status) < rank(now.status)) return
    const both = outcome.status === 'partial' && now.status === 'partial'
    const missing = both
      ? now.missing !== undefined && outcome.missing !== undefined
        ? now.missing + outcome.missing
        : undefined
      : outcome.missing
    this.completeness = {
      status: outcome.status,
      ...(missing === undefined ? {} : { missing }),
      ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
      filling: now.filling,
    }
  }

  private publish(): void {
    const filling = this.phase.name === 'filling'
    this.completeness = { ...this.completeness, filling }
    this.report(this.completeness)
  }

  /** Our position after a first read: after its newest event, or at the start of an empty history. */
  private anchor(newest: Event | undefined): Position {
    if (!newest) return { at: 'start' }
    return { at: 'after', publication: newest.publication, sequence: this.sequence(newest) }
  }

  private fillDue(): boolean {
    return (
      this.phase.name === 'filling' ||
      this.options.backfill === true ||
      (this.position.at === 'unknown' && (this.options.last ?? 0) > 0)
    )
  }

  /** The user's numbering of an event; a throw or a non-integer counts as unknown. */
  private sequence(event: Event): number | undefined {
    if (!this.options.sequenceOf) return undefined
    try {
      const value = this.options.sequenceOf(event)
      return Number.isSafeInteger(value) ? value : undefined
    } catch {
      return undefined
    }
  }

  private limit(): number {
    return Math.max(this.options.limit ?? 1000, this.options.last ?? 0)
  }
}

/** The events lost between `from` and what a fill delivered, by their numbering; {} when not knowable. */
function missingBetween(from: Position, sequences: (number | undefined)[]): { missing?: number } {
  if (from.at !== 'after' || from.sequence === undefined) return {}
  let previous = from.sequence
  let missing = 0
  for (const sequence of sequences) {
    if (sequence === undefined) return {}
    missing += Math.max(0, sequence - previous - 1)
    previous = sequence
  }
  return { missing }
}

function rank(status: StreamCompleteness['status']): number {
  return status === 'complete' ? 0 : status === 'partial' ? 1 : 2
}
