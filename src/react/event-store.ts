import type { Event } from '../client/types.js'
import type { StreamCompleteness } from '../connection/backfill.js'
import { Store } from '../connection/store.js'
import type { SubscriptionStatus } from '../connection/subscriptions.js'
import { type Contained, contain } from './contain.js'
import { onNextFrame } from './frame.js'

/**
 * Where a useSubscription stands: `idle` while disabled (the last events and state are kept;
 * enabling again starts afresh from `initialValue`), otherwise its lease's status:
 *
 * | status     | means                                                        | leaves on                                   |
 * |------------|--------------------------------------------------------------|---------------------------------------------|
 * | `idle`     | disabled                                                     | `enabled: true` → `pending`                 |
 * | `pending`  | waiting for a session or the router's SUBSCRIBED             | granted → `active`; refused → `retrying`/`error` |
 * | `active`   | subscribed on this session                                   | session lost → `pending`; revoked → `revoked`; `enabled: false` → `idle` |
 * | `retrying` | the router refused; asked again at `nextRetryAt`             | the timer → `pending`                       |
 * | `revoked`  | the router ended it                                          | the next session → `pending`                |
 * | `error`    | bad input (`InvalidArgumentError`), or this hook's `reducer` / `onEvent` threw: this component stopped listening, the others did not | a key change or `enabled` toggle → `pending` |
 */
export type SubscriptionHookStatus = 'idle' | SubscriptionStatus['status']

/** What useSubscription returns. */
export interface SubscriptionState<TState, TInitial = TState | undefined> {
  status: SubscriptionHookStatus
  error: Error | undefined
  /** While `retrying`: when the router is asked again (epoch ms). */
  nextRetryAt?: number
  lastEvent: Event | undefined
  /** The last `bufferSize` events, oldest first. */
  events: readonly Event[]
  /** The reducer's fold of every event since subscribing (`initialValue` before the first). */
  state: TInitial
  eventCount: number
  /** With `history` options: whether the stream has a gap (see StreamCompleteness). */
  completeness?: StreamCompleteness
}

/**
 * Folds events into one hook's state: the reducer runs here, once per event, never in render.
 * Coalesced, the folded state is shown (listeners notified) once per animation frame.
 */
export class EventStore<TState> extends Store<SubscriptionState<TState>> {
  /** Folded but not shown yet (coalescing). */
  private unshown: SubscriptionState<TState> | undefined
  private cancelFrame: (() => void) | undefined

  constructor(initialValue: TState | undefined) {
    super({ status: 'idle', error: undefined, lastEvent: undefined, events: [], state: initialValue, eventCount: 0 })
  }

  /** Adds one event; what the reducer threw, if it did (then nothing changes). */
  push(
    event: Event,
    bufferSize: number,
    reducer: ((state: TState, event: Event) => TState) | undefined,
    coalesce = false,
  ): Contained<unknown> {
    const before = this.unshown ?? this.getSnapshot()
    const folded = reducer
      ? contain(reducer, before.state as TState, event)
      : { ok: true as const, value: before.state }
    if (!folded.ok) return folded
    const next = {
      ...before,
      lastEvent: event,
      events: keepLast(before.events, event, bufferSize),
      state: folded.value,
      eventCount: before.eventCount + 1,
    }
    if (coalesce) {
      this.unshown = next
      this.cancelFrame ??= onNextFrame(() => this.show())
    } else {
      this.stopFrame()
      this.unshown = undefined
      this.set(next)
    }
    return folded
  }

  /** Shows what was folded, now. */
  show(): void {
    this.stopFrame()
    const unshown = this.unshown
    this.unshown = undefined
    if (unshown) this.set(unshown)
  }

  /** Status changes show at once, with every event folded so far. */
  override update(patch: Partial<SubscriptionState<TState>>): void {
    this.show()
    super.update(patch)
  }

  /** Cancels a pending frame (unmount); what it would have shown stays for the next update. */
  stopFrame(): void {
    this.cancelFrame?.()
    this.cancelFrame = undefined
  }

  reset(initialValue: TState | undefined): void {
    this.stopFrame()
    this.unshown = undefined
    this.set({ status: 'idle', error: undefined, lastEvent: undefined, events: [], state: initialValue, eventCount: 0 })
  }
}

/** The last `size` events with `event` at the end: copies at most `size` items, however long the stream. */
function keepLast(events: readonly Event[], event: Event, size: number): readonly Event[] {
  if (!(size >= 1)) return events.length === 0 ? events : []
  const keep = Math.floor(size) - 1
  const from = Math.max(0, events.length - keep)
  return [...events.slice(from), event]
}
