import type { Event } from '../client/types.js'
import type { HistoryOptions, StreamCompleteness } from '../connection/backfill.js'
import { RecentIds } from '../connection/recent-ids.js'
import { InvalidArgumentError } from '../protocol/errors.js'
import type { WireHistory } from './messages.js'

/**
 * The tab's side of one history subscription shared across tabs. The hub's Connection does the
 * real work (history reads, backfill, completeness); the tab keeps what outlives a hub: the
 * publications it delivered (a new hub starts its stream afresh, its `last` would repeat them) and
 * the gap a hub change leaves, so completeness never gets better by moving hubs.
 */
export class TabHistory {
  private readonly delivered: RecentIds
  /** A hub granted this subscription once: what a later hub starts from is not where this one stood. */
  private served = false
  /** The worst this tab itself saw (a hub change); merged with each hub's report. */
  private note: StreamCompleteness | undefined

  constructor(readonly wire: WireHistory) {
    this.delivered = new RecentIds(Math.max(1024, wire.limit ?? 1000, wire.last ?? 0))
  }

  /** True when the event is new to this tab (and remembers it). */
  admit(event: Event): boolean {
    if (this.delivered.has(event.publication)) return false
    this.delivered.add(event.publication)
    return true
  }

  /** The hub's completeness, made no better than what this tab saw. */
  merge(status: string, hub: StreamCompleteness | undefined): StreamCompleteness | undefined {
    if (status === 'active') this.served = true
    if (!hub || !this.note || rank(this.note.status) <= rank(hub.status)) return hub
    return { ...this.note, filling: hub.filling }
  }

  /** A new hub: a stream it starts afresh does not read back what was published during the move. */
  moved(current: StreamCompleteness | undefined): StreamCompleteness | undefined {
    if (!this.served) return current
    const gap: StreamCompleteness = {
      status: 'partial',
      reason: 'the shared session moved to another tab: what was published meanwhile was not read back',
      filling: true,
    }
    this.note = this.note && rank(this.note.status) > rank(gap.status) ? this.note : gap
    return current && rank(current.status) > rank(this.note.status) ? { ...current, filling: true } : this.note
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
