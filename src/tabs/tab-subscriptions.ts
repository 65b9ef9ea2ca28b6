import type { Logger } from '../client/logger.js'
import { runHandler } from '../client/run-handler.js'
import type { Event, EventHandler, SubscribeOptions } from '../client/types.js'
import { releaseLater } from '../connection/release-later.js'
import { stableKey } from '../connection/stable-key.js'
import { Store } from '../connection/store.js'
import type { SubscriptionLease, SubscriptionStatus } from '../connection/subscriptions.js'
import type { WireLeaseStatus } from './messages.js'
import { fromWireError } from './wire-error.js'

interface Entry {
  lease: number
  topic: string
  options: SubscribeOptions
  holders: Set<{ handler: EventHandler }>
  status: Store<SubscriptionStatus>
  removal?: { cancel(): void }
}

/** What the tab registries need from their tab. */
export interface TabSide {
  post(message: unknown): void
  nextLease(): number
  logger(): Logger
}

/**
 * A tab's subscriptions: one hub lease per (topic, options) however many components hold it,
 * each event run once for each holder; given back a macrotask after the last holder leaves.
 */
export class TabSubscriptions {
  private readonly byKey = new Map<string, Entry>()
  private readonly byLease = new Map<number, Entry>()

  constructor(private readonly tab: TabSide) {}

  get size(): number {
    return this.byKey.size
  }

  acquire(topic: string, handler: EventHandler, options: SubscribeOptions = {}): SubscriptionLease {
    const key = stableKey([topic, options])
    let entry = this.byKey.get(key)
    if (!entry) {
      const lease = this.tab.nextLease()
      const created: Entry = { lease, topic, options, holders: new Set(), status: this.newStatus(topic) }
      entry = created
      this.byKey.set(key, created)
      this.byLease.set(lease, created)
      this.tab.post({ t: 'sub', lease, topic, options })
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
          this.tab.post({ t: 'unsub', lease: held.lease })
        })
      },
    }
  }

  /** A new hub: ask it for everything again. */
  replay(): void {
    for (const entry of this.byKey.values()) {
      entry.status.set({ status: 'pending' })
      this.tab.post({ t: 'sub', lease: entry.lease, topic: entry.topic, options: entry.options })
    }
  }

  onStatus(lease: number, status: WireLeaseStatus): boolean {
    const entry = this.byLease.get(lease)
    if (!entry) return false
    entry.status.set(toStatus(status))
    return true
  }

  onEvent(lease: number, event: Event): boolean {
    const entry = this.byLease.get(lease)
    if (!entry) return false
    const report = (error: unknown) => this.tab.logger().error(`an event handler of ${entry.topic} threw`, error)
    for (const { handler } of [...entry.holders]) runHandler(handler, event, report)
    return true
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
