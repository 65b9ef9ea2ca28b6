import type { Client } from '../client/client.js'
import { runHandler } from '../client/run-handler.js'
import type { Event, EventHandler, SubscribeOptions } from '../client/types.js'
import { type DurableEntry, DurableRegistry, type DurableStatus, type Grant } from './durable-registry.js'
import { stableKey } from './stable-key.js'
import { type ReadableStore, Store } from './store.js'

/** Where a durable subscription stands on the current session. */
export type SubscriptionStatus = DurableStatus

/** A handler's hold on a durable subscription. */
export interface SubscriptionLease {
  readonly status: ReadableStore<SubscriptionStatus>
  /** Drops this handler; the router subscription ends a macrotask after the last one leaves. */
  release(): void
}

interface Entry extends DurableEntry<SubscriptionStatus> {
  topic: string
  options: SubscribeOptions
  handlers: Set<EventHandler>
}

/**
 * Subscriptions that outlive sessions: one router subscription per (topic, options), shared by
 * reference-counted local handlers, subscribed again on every new session.
 */
export class SubscriptionRegistry extends DurableRegistry<SubscriptionStatus, Entry> {
  acquire(topic: string, handler: EventHandler, options: SubscribeOptions = {}): SubscriptionLease {
    const key = stableKey([topic, options])
    let entry = this.entries.get(key)
    if (!entry) {
      entry = {
        key,
        topic,
        options,
        handlers: new Set(),
        status: new Store<SubscriptionStatus>({ status: 'pending' }),
        generation: 0,
      }
      this.entries.set(key, entry)
      this.attach(entry)
    }
    entry.handlers.add(handler)
    const held = entry
    return this.lease(held, () => {
      held.handlers.delete(handler)
    })
  }

  protected async grant(client: Client, entry: Entry): Promise<Grant> {
    const subscription = await client.subscribe(entry.topic, (event) => this.dispatch(entry, event), entry.options)
    return { id: subscription.id, end: () => subscription.unsubscribe() }
  }

  protected inUse(entry: Entry): boolean {
    return entry.handlers.size > 0
  }

  private dispatch(entry: Entry, event: Event): void {
    for (const handler of entry.handlers) {
      runHandler(handler, event, (error) => this.logger().error(`an event handler of ${entry.topic} threw`, error))
    }
  }
}
