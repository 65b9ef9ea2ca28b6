import type { Event } from '../client/types.js'
import { Store } from '../connection/store.js'
import type { SubscriptionStatus } from '../connection/subscriptions.js'

/** What useSubscription returns. */
export interface SubscriptionState<TState> {
  status: 'idle' | SubscriptionStatus['status']
  error: Error | undefined
  /** While `retrying`: when the router is asked again (epoch ms). */
  nextRetryAt?: number
  lastEvent: Event | undefined
  /** The last `bufferSize` events, oldest first. */
  events: readonly Event[]
  /** The reducer's fold of every event since subscribing. */
  state: TState | undefined
  eventCount: number
}

/** Folds events into one hook's state: the reducer runs here, once per event, never in render. */
export class EventStore<TState> extends Store<SubscriptionState<TState>> {
  constructor(initialValue: TState | undefined) {
    super({ status: 'idle', error: undefined, lastEvent: undefined, events: [], state: initialValue, eventCount: 0 })
  }

  push(event: Event, bufferSize: number, reducer: ((state: TState, event: Event) => TState) | undefined): void {
    const before = this.getSnapshot()
    const events = bufferSize > 0 ? [...before.events.slice(-(bufferSize - 1)), event] : before.events
    this.set({
      ...before,
      lastEvent: event,
      events,
      state: reducer ? reducer(before.state as TState, event) : before.state,
      eventCount: before.eventCount + 1,
    })
  }

  reset(initialValue: TState | undefined): void {
    this.set({ status: 'idle', error: undefined, lastEvent: undefined, events: [], state: initialValue, eventCount: 0 })
  }
}
