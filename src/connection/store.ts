/** A value that changes over time, readable by `useSyncExternalStore`. */
export interface ReadableStore<T> {
  /** The current value; the same object until the value changes. */
  getSnapshot(): T
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void
}

/** Where a store reports a listener that threw. */
export type ListenerErrorReporter = (error: unknown) => void

const reportToConsole: ListenerErrorReporter = (error) => console.error('[react-wamp] a store listener threw', error)

/**
 * A minimal external store: a value and a set of listeners. A listener that throws is reported
 * and skipped: it never stops the change, the code that made it, or the listeners after it.
 */
export class Store<T> implements ReadableStore<T> {
  private readonly listeners = new Set<() => void>()

  constructor(
    private value: T,
    private readonly reportListenerError: ListenerErrorReporter = reportToConsole,
  ) {}

  readonly getSnapshot = (): T => this.value

  readonly subscribe = (listener: () => void): (() => void) => {
    // A wrapper per subscription: the same function subscribed twice is two listeners, each removable once.
    const slot = () => listener()
    this.listeners.add(slot)
    return () => {
      this.listeners.delete(slot)
    }
  }

  /** Replaces the value and notifies, unless nothing changed (shallow comparison). */
  set(next: T): void {
    if (shallowEqual(this.value, next)) return
    this.value = next
    for (const listener of [...this.listeners]) {
      try {
        listener()
      } catch (error) {
        this.reportListenerError(error)
      }
    }
  }

  /** Merges a partial update. */
  update(patch: Partial<T>): void {
    this.set({ ...this.value, ...patch })
  }

  get listenerCount(): number {
    return this.listeners.size
  }
}

function shallowEqual<T>(a: T, b: T): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  const keysA = Object.keys(a)
  if (keysA.length !== Object.keys(b).length) return false
  for (const key of keysA) {
    if (!Object.is((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false
  }
  return true
}
