import type { Client } from '../client/client.js'
import type { Logger } from '../client/logger.js'
import { runHandler } from '../client/run-handler.js'
import type { Event, EventHandler, SubscribeOptions, Subscription } from '../client/types.js'
import { releaseLater } from './release-later.js'
import { stableKey } from './stable-key.js'
import { type ReadableStore, Store } from './store.js'

/** Where a durable subscription stands on the current session. */
export interface SubscriptionStatus {
  status: 'pending' | 'active' | 'error'
  /** The router's subscription ID while active. */
  id?: number
  error?: Error
}

/** A handler's hold on a durable subscription. */
export interface SubscriptionLease {
  readonly status: ReadableStore<SubscriptionStatus>
  /** Drops this handler; the router subscription ends a macrotask after the last one leaves. */
  release(): void
}

interface Entry {
  key: string
  topic: string
  options: SubscribeOptions
  handlers: Set<EventHandler>
  status: Store<SubscriptionStatus>
  onClient?: Subscription
  /** Bumped on every (re)subscribe and on removal: stale replies are undone, not used. */
  generation: number
  removal?: { cancel(): void }
}

/**
 * Subscriptions that outlive sessions: one router subscription per (topic, options), shared by
 * reference-counted local handlers, subscribed again on every new session.
 */
export class SubscriptionRegistry {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly currentClient: () => Client | undefined,
    private readonly logger: () => Logger,
  ) {}

  get size(): number {
    return this.entries.size
  }

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
      this.subscribe(entry)
    }
    entry.removal?.cancel()
    entry.removal = undefined
    entry.handlers.add(handler)
    const held = entry
    let released = false
    return {
      status: held.status,
      release: () => {
        if (released) return
        released = true
        held.handlers.delete(handler)
        if (held.handlers.size === 0) held.removal = releaseLater(() => this.remove(held))
      },
    }
  }

  /** A new session is open: subscribe everything again. */
  resume(): void {
    for (const entry of this.entries.values()) this.subscribe(entry)
  }

  /** The session is gone: every subscription waits for the next one. */
  suspend(): void {
    for (const entry of this.entries.values()) {
      entry.generation += 1
      entry.onClient = undefined
      entry.status.set({ status: 'pending' })
    }
  }

  private subscribe(entry: Entry): void {
    const client = this.currentClient()
    const generation = ++entry.generation
    entry.onClient = undefined
    entry.status.set({ status: 'pending' })
    if (!client?.isOpen) return
    client
      .subscribe(entry.topic, (event) => this.dispatch(entry, event), entry.options)
      .then(
        (subscription) => {
          // A release (or a new session) came first: undo what the router just granted.
          if (generation !== entry.generation) {
            subscription.unsubscribe().catch(() => {})
            return
          }
          entry.onClient = subscription
          entry.status.set({ status: 'active', id: subscription.id })
        },
        (error: Error) => {
          if (generation === entry.generation) entry.status.set({ status: 'error', error })
        },
      )
  }

  private dispatch(entry: Entry, event: Event): void {
    for (const handler of entry.handlers) runHandler(handler, event, (error) => this.failed(entry, error))
  }

  private failed(entry: Entry, error: unknown): void {
    this.logger().error(`an event handler of ${entry.topic} threw`, error)
  }

  private remove(entry: Entry): void {
    if (entry.handlers.size > 0 || this.entries.get(entry.key) !== entry) return
    this.entries.delete(entry.key)
    entry.generation += 1
    entry.onClient?.unsubscribe().catch((error) => this.logger().debug(`unsubscribe from ${entry.topic} failed`, error))
    entry.onClient = undefined
  }
}
