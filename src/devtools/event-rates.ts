/** Subscription IDs counted at most: a flood of IDs (EVENTs are seen before validation) is not. */
export const MAX_COUNTED_SUBSCRIPTIONS = 1024

/** Events per second of each subscription ID, over the last `windowMs`. */
export class EventRates {
  private readonly times = new Map<number, number[]>()
  private lastSweep = Number.NEGATIVE_INFINITY

  constructor(private readonly windowMs = 1000) {}

  /** Counts one EVENT of `subscription`. */
  count(subscription: number, at: number): void {
    let times = this.times.get(subscription)
    if (!times) {
      // IDs of ended subscriptions are never read again: forget the quiet ones, once per window at most.
      if (this.times.size >= 256 && at - this.lastSweep >= this.windowMs) {
        this.lastSweep = at
        this.forgetQuiet(at)
      }
      if (this.times.size >= MAX_COUNTED_SUBSCRIPTIONS) return
      times = []
      this.times.set(subscription, times)
    }
    times.push(at)
    // Bounded: a burst never keeps more than the window needs.
    if (times.length > 4096) this.prune(times, at)
  }

  /** Events per second of `subscription` over the window ending at `now`. */
  perSecond(subscription: number, now: number): number {
    const times = this.times.get(subscription)
    if (!times) return 0
    this.prune(times, now)
    if (times.length === 0) this.times.delete(subscription)
    return (times.length * 1000) / this.windowMs
  }

  private forgetQuiet(now: number): void {
    for (const [id, times] of this.times) {
      this.prune(times, now)
      if (times.length === 0) this.times.delete(id)
    }
  }

  /** Subscription IDs counted now (bounded: quiet ones are forgotten). */
  get size(): number {
    return this.times.size
  }

  private prune(times: number[], now: number): void {
    let old = 0
    while (old < times.length && (times[old] as number) <= now - this.windowMs) old += 1
    if (old > 0) times.splice(0, old)
  }
}
