import type { Client } from '../client/client.js'
import { allSucceeded, type HandlerOutcome, ReportedHandlerFailure, runHandler } from '../client/run-handler.js'
import type { Event, EventHandler, SubscribeOptions } from '../client/types.js'
import { InvalidArgumentError } from '../protocol/errors.js'
import type { Backfill, HistoryOptions, StreamCompleteness } from './backfill.js'
import { type DurableEntry, DurableRegistry, type DurableStatus, type Grant } from './durable-registry.js'
import { subscriptionKey } from './stable-key.js'
import type { ReadableStore } from './store.js'

/** Where a durable subscription stands (see DurableStatus for its machine). */
export interface SubscriptionStatus extends DurableStatus {
  /** With history options: how complete the delivered stream is (see StreamCompleteness). */
  completeness?: StreamCompleteness
}

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
  /** With history options only: the hot path (and the bundle) of a plain subscription stays as it was. */
  history?: HistoryOptions
  /** Its backfill machine, loaded on the first subscribe with `history` (a chunk of its own). */
  backfill?: Backfill
  /** The retained event was asked for (once: after a reconnect, `backfill` fills what was missed). */
  retainedAsked?: boolean
}

/**
 * Subscriptions that outlive sessions: one router subscription per (topic, options), shared by
 * its holders, subscribed again on every new session.
 */
export class SubscriptionRegistry extends DurableRegistry<SubscriptionStatus, SubscriptionEntry> {
  acquire(
    topic: string,
    handler: EventHandler,
    options: SubscribeOptions = {},
    history?: HistoryOptions,
  ): SubscriptionLease {
    const key = subscriptionKey(topic, options, history)
    let entry = this.entries.get(key)
    if (!entry) {
      const created: SubscriptionEntry = {
        key,
        topic,
        options,
        holders: new Set(),
        status: this.newStatus({ status: 'pending' }, topic),
        generation: 0,
        refusals: 0,
      }
      if (history) {
        created.history = history
        // A first read is due from the start: `filling` until it answered.
        const filling = history.backfill === true || (history.last ?? 0) > 0
        created.status.update({ completeness: { status: 'complete', filling } })
      }
      entry = created
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
    const problem = entry.history && historyProblem(entry.history)
    if (problem) {
      // No stream, so nothing to say about its completeness (and no read will ever answer).
      entry.status.update({ completeness: undefined })
      throw new InvalidArgumentError(`subscribe to ${entry.topic}: ${problem}`)
    }
    const backfill = entry.history ? await this.backfillOf(entry, entry.history) : undefined
    const fill = backfill?.begin()
    // Only on the first subscribe: later, an old retained event would come again, out of order.
    const askRetained = entry.history?.retained === true && !entry.retainedAsked
    const options = askRetained ? { ...entry.options, get_retained: true } : entry.options
    const subscription = await client.subscribe(
      entry.topic,
      backfill ? (event) => backfill.receive(event) : (event) => this.dispatch(entry, event),
      options,
    )
    if (askRetained) entry.retainedAsked = true
    backfill?.granted(fill, subscription.id, (limit) => backfill.read(client, subscription.id, limit))
    return { id: subscription.id, end: () => subscription.unsubscribe(), onRevoked: subscription.onRevoked }
  }

  protected inUse(entry: SubscriptionEntry): boolean {
    return entry.holders.size > 0
  }

  private async backfillOf(entry: SubscriptionEntry, history: HistoryOptions): Promise<Backfill> {
    if (entry.backfill) return entry.backfill
    const { Backfill } = await import('./backfill.js')
    entry.backfill ??= new Backfill(
      entry.topic,
      history,
      (event) => this.dispatch(entry, event),
      (completeness) => entry.status.update({ completeness }),
    )
    return entry.backfill
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

/** What is wrong with history options, in words (undefined when nothing is). */
function historyProblem({ last, limit, sequenceOf }: HistoryOptions): string | undefined {
  if (last !== undefined && !(Number.isSafeInteger(last) && last >= 0)) return 'history.last must be a whole number ≥ 0'
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 1))
    return 'history.limit must be a whole number ≥ 1'
  if (sequenceOf !== undefined && typeof sequenceOf !== 'function') return 'history.sequenceOf must be a function'
  return undefined
}
