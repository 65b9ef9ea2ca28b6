import type { Logger } from '../client/logger.js'
import { runHandler } from '../client/run-handler.js'
import type { Event, EventHandler, SubscribeOptions } from '../client/types.js'
import type { HistoryOptions } from '../connection/backfill.js'
import { releaseLater } from '../connection/release-later.js'
import { subscriptionKey } from '../connection/stable-key.js'
import { Store } from '../connection/store.js'
import type { SubscriptionLease, SubscriptionStatus } from '../connection/subscriptions.js'
import type { WireLeaseStatus } from './messages.js'
import type { TabHistory } from './tab-history.js'
import { fromWireError } from './wire-error.js'

interface Entry {
  lease: number
  topic: string
  options: SubscribeOptions
  holders: Set<{ handler: EventHandler }>
  status: Store<SubscriptionStatus>
  removal?: { cancel(): void }
  /** With history options only (a plain subscription's event path stays as it was). */
  history?: TabHistory
  /** Asked of the hub: not while its history part loads, nor when refused in the tab. */
  asked?: boolean
}

/** What the tab registries need from their tab. */
export interface TabSide {
  post(message: unknown): void
  nextLease(): number
  logger(): Logger
}

/**
 * A tab's subscriptions: one hub lease per (topic, options, history) however many components hold
 * it, each event run once for each holder; given back a macrotask after the last holder leaves.
 */
export class TabSubscriptions {
  private readonly byKey = new Map<string, Entry>()
  private readonly byLease = new Map<number, Entry>()

  constructor(private readonly tab: TabSide) {}

  get size(): number {
    return this.byKey.size
  }

  acquire(
    topic: string,
    handler: EventHandler,
    options: SubscribeOptions = {},
    history?: HistoryOptions,
  ): SubscriptionLease {
    // Keyed as the Connection keys it.
    const key = subscriptionKey(topic, options, history)
    let entry = this.byKey.get(key)
    if (!entry) {
      const lease = this.tab.nextLease()
      const created: Entry = { lease, topic, options, holders: new Set(), status: this.newStatus(topic) }
      entry = created
      this.byKey.set(key, created)
      this.byLease.set(lease, created)
      if (history) this.askWithHistory(created, history)
      else this.ask(created)
    }
    entry.removal?.cancel()
    entry.removal = undefined
    const slot = { handler }
    entry.holders.add(slot)
    const held = entry
    let released = false
    return {
      status: held.status,
      release: () => {
        if (released) return
        released = true
        held.holders.delete(slot)
        if (held.holders.size > 0) return
        held.removal = releaseLater(() => {
          if (held.holders.size > 0 || this.byKey.get(key) !== held) return
          this.byKey.delete(key)
          this.byLease.delete(held.lease)
          if (held.asked) this.tab.post({ t: 'unsub', lease: held.lease })
        })
      },
    }
  }

  /** A new hub: ask it for everything again. */
  replay(): void {
    for (const entry of this.byKey.values()) {
      // One still loading its history part asks once loaded, of whichever hub is there then.
      if (!entry.asked) continue
      const completeness = entry.history?.moved(entry.status.getSnapshot().completeness)
      entry.status.set(completeness ? { status: 'pending', completeness } : { status: 'pending' })
      this.ask(entry)
    }
  }

  onStatus(lease: number, wire: WireLeaseStatus): boolean {
    const entry = this.byLease.get(lease)
    if (!entry) return false
    const status = toStatus<SubscriptionStatus>(wire)
    if (entry.history) {
      const completeness = entry.history.merge(status.completeness)
      if (completeness) status.completeness = completeness
    }
    entry.status.set(status)
    return true
  }

  onEvent(lease: number, event: Event): boolean {
    const entry = this.byLease.get(lease)
    if (!entry) return false
    // Through the history part: a new hub starts its stream afresh, which this tab lines up with its own.
    if (entry.history) entry.history.receive(event)
    else this.run(entry, event)
    return true
  }

  private run(entry: Entry, event: Event): void {
    const report = (error: unknown) => this.tab.logger().error(`an event handler of ${entry.topic} threw`, error)
    for (const { handler } of [...entry.holders]) runHandler(handler, event, report)
  }

  /**
   * Loads the history part (a chunk of its own, as the Connection's backfill is), then asks the hub;
   * history options that cannot cross (`sequenceOf`) are refused here with an error naming them.
   */
  private askWithHistory(entry: Entry, history: HistoryOptions): void {
    // As the Connection does: a first read is due from the start, `filling` until it answered.
    const filling = history.backfill === true || (history.last ?? 0) > 0
    entry.status.set({ status: 'pending', completeness: { status: 'complete', filling } })
    import('./tab-history.js').then(
      ({ TabHistory, wireHistory }) => {
        if (this.byLease.get(entry.lease) !== entry) return
        const wire = wireHistory(history)
        if (wire instanceof Error) {
          entry.status.set({ status: 'error', error: wire })
          return
        }
        entry.history = new TabHistory(wire, (event) => this.run(entry, event))
        this.ask(entry)
      },
      (error: Error) => entry.status.set({ status: 'error', error }),
    )
  }

  private ask(entry: Entry): void {
    entry.asked = true
    const { lease, topic, options, history } = entry
    this.tab.post({ t: 'sub', lease, topic, options, ...(history ? { history: history.wire } : {}) })
  }

  private newStatus(what: string): Store<SubscriptionStatus> {
    return new Store<SubscriptionStatus>({ status: 'pending' }, (error) =>
      this.tab.logger().error(`a status listener of ${what} threw`, error),
    )
  }
}

/** A lease status from the hub, with its error rebuilt and no undefined fields. */
export function toStatus<S extends SubscriptionStatus>(wire: WireLeaseStatus): S {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(wire)) if (value !== undefined) out[key] = value
  if (wire.error) out.error = fromWireError(wire.error)
  return out as unknown as S
}
