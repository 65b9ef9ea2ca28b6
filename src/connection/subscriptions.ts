import type { Client } from '../client/client.js'
import { allSucceeded, type HandlerOutcome, ReportedHandlerFailure, runHandler } from '../client/run-handler.js'
import type { Event, EventHandler, SubscribeOptions } from '../client/types.js'
import { type DurableEntry, DurableRegistry, type DurableStatus, type Grant } from './durable-registry.js'
import { stableKey } from './stable-key.js'
import type { ReadableStore } from './store.js'

/** Where a durable subscription stands (see DurableStatus for its machine). */
export type SubscriptionStatus = DurableStatus

/** A handler's hold on a durable subscription. */
export interface SubscriptionLease {
  readonly status: ReadableStore<SubscriptionStatus>
  /** Drops this holder (only this one, even if another passed the same handler); the router subscription ends a macrotask after the last one leaves. */
  release(): void
}

/** @internal */
export interface SubscriptionEntry extends DurableEntry<SubscriptionStatus> {
  topic: string
  options: SubscribeOptions
  /** One slot per lease: two holders with the same handler function are two holders. */
  holders: Set<{ handler: EventHandler }>
}

/**
 * Subscriptions that outlive sessions: one router subscription per (topic, options), shared by
 * its holders, subscribed again on every new session.
 */
export class SubscriptionRegistry extends DurableRegistry<SubscriptionStatus, SubscriptionEntry> {
  acquire(topic: string, handler: EventHandler, options: SubscribeOptions = {}): SubscriptionLease {
    const key = stableKey([topic, options])
    let entry = this.entries.get(key)
    if (!entry) {
      entry = {
        key,
        topic,
        options,
        holders: new Set(),
        status: this.newStatus({ status: 'pending' }, topic),
        generation: 0,
        refusals: 0,
      }
      this.entries.set(key, entry)
      this.attach(entry)
    }
    const slot = { handler }
    entry.holders.add(slot)
    const held = entry
    return this.lease(held, () => {
      held.holders.delete(slot)
    })
  }

  protected async grant(client: Client, entry: SubscriptionEntry): Promise<Grant> {
    const subscription = await client.subscribe(entry.topic, (event) => this.dispatch(entry, event), entry.options)
    return { id: subscription.id, end: () => subscription.unsubscribe(), onRevoked: subscription.onRevoked }
  }

  protected inUse(entry: SubscriptionEntry): boolean {
    return entry.holders.size > 0
  }

  /** Runs every holder; fails (for EVENT acknowledgement) when one of them failed, reported here. */
  private dispatch(entry: SubscriptionEntry, event: Event): undefined | Promise<void> {
    const report = (error: unknown) => this.host.logger().error(`an event handler of ${entry.topic} threw`, error)
    const outcomes: HandlerOutcome[] = []
    for (const { handler } of [...entry.holders]) outcomes.push(runHandler(handler, event, report))
    const outcome = allSucceeded(outcomes)
    if (outcome === false) throw new ReportedHandlerFailure()
    if (outcome === true) return undefined
    return outcome.then((ok) => {
      if (!ok) throw new ReportedHandlerFailure()
    })
  }
}
