import type { Event } from '../client/types.js'
import type { HistoryOptions, StreamCompleteness } from '../connection/backfill.js'
import { RecentIds } from '../connection/recent-ids.js'
import { InvalidArgumentError } from '../protocol/errors.js'
import type { WireHistory } from './messages.js'

/**
 * The tab's side of one history subscription shared across tabs. The hub's Connection does the
 * real work (history reads, backfill, completeness); the tab keeps what outlives a hub: where it
 * stands in the stream and what it delivered (a new hub starts the stream afresh: its `last` would
 * repeat events, or bring older ones this tab never had), and the gap a hub change leaves, so
 * completeness never gets better by moving hubs. Its machine:
 *
 * | phase    | on                                        | next     | effects                                         |
 * |----------|-------------------------------------------|----------|-------------------------------------------------|
 * | `live`   | event                                     | `live`   | deliver unless delivered already                |
 * | any      | a new hub (it was asked of the old one)   | `resync` | note `partial`; hold events if it has delivered any |
 * | `resync` | the event this tab delivered last         | `live`   | drop what was held (older than it)              |
 * | `resync` | another event                             | `resync` | hold it                                         |
 * | `resync` | a status that is not filling              | `live`   | deliver what was held (all newer), each once    |
 */
export class TabHistory {
  private readonly delivered: RecentIds
  private phase: { name: 'live' } | { name: 'resync'; held: Event[] } = { name: 'live' }
  /** The publication this tab delivered last. */
  private position: number | undefined
  /** The worst this tab itself saw (a hub change); merged with each hub's report. */
  private note: StreamCompleteness | undefined

  constructor(
    readonly wire: WireHistory,
    private readonly deliver: (event: Event) => void,
  ) {
    this.delivered = new RecentIds(Math.max(1024, wire.limit ?? 1000, wire.last ?? 0))
  }

  /** An event from the hub. */
  receive(event: Event): void {
    if (this.phase.name === 'live') {
      this.deliverOnce(event)
      return
    }
    // The new stream's fill comes oldest first: everything up to our position is behind us.
    if (event.publication === this.position) this.phase = { name: 'live' }
    else this.phase.held.push(event)
  }

  /** A status from the hub: its completeness, made no better than what this tab saw. */
  merge(hub: StreamCompleteness | undefined): StreamCompleteness | undefined {
    if (this.phase.name === 'resync' && !hub?.filling) {
      // The fill is over without our position in it: it is older than all of them.
      const { held } = this.phase
      this.phase = { name: 'live' }
      for (const event of held) this.deliverOnce(event)
    }
    if (!hub || !this.note || rank(this.note.status) <= rank(hub.status)) return hub
    return { ...this.note, filling: hub.filling }
  }

  /**
   * A new hub (this subscription was asked of the old one): a stream it starts afresh does not read
   * back what was published during the move, nor since this tab asked if the old hub had not granted it yet.
   */
  moved(current: StreamCompleteness | undefined): StreamCompleteness | undefined {
    if (this.position !== undefined) this.phase = { name: 'resync', held: [] }
    const gap: StreamCompleteness = {
      status: 'partial',
      reason: 'the shared session moved to another tab: what was published meanwhile was not read back',
      filling: true,
    }
    this.note = this.note && rank(this.note.status) > rank(gap.status) ? this.note : gap
    return current && rank(current.status) > rank(this.note.status) ? { ...current, filling: true } : this.note
  }

  private deliverOnce(event: Event): void {
    if (this.delivered.has(event.publication)) return
    this.delivered.add(event.publication)
    this.position = event.publication
    this.deliver(event)
  }
}

/**
 * The history options that cross to the hub, or why they cannot: `sequenceOf` is a function,
 * which cannot be cloned to the SharedWorker or the leader tab.
 */
export function wireHistory(history: HistoryOptions): WireHistory | InvalidArgumentError {
  const { sequenceOf, last, retained, backfill, limit } = history
  if (sequenceOf !== undefined) {
    return new InvalidArgumentError(
      'history.sequenceOf is a function and cannot reach a session shared across tabs: leave it out in shared mode ' +
        '(a partial completeness then comes without `missing`)',
    )
  }
  // Checked here too: a message the hub's check drops would leave the lease pending for ever.
  for (const [name, value, type] of [
    ['last', last, 'number'],
    ['limit', limit, 'number'],
    ['retained', retained, 'boolean'],
    ['backfill', backfill, 'boolean'],
  ] as const) {
    const fits = typeof value === type && (type !== 'number' || Number.isFinite(value))
    if (value !== undefined && !fits)
      return new InvalidArgumentError(`history.${name} must be a ${type === 'number' ? 'finite number' : type}`)
  }
  const out: WireHistory = {}
  if (last !== undefined) out.last = last
  if (retained !== undefined) out.retained = retained
  if (backfill !== undefined) out.backfill = backfill
  if (limit !== undefined) out.limit = limit
  return out
}

function rank(status: StreamCompleteness['status']): number {
  return status === 'complete' ? 0 : status === 'partial' ? 1 : 2
}
