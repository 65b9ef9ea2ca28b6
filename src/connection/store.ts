/** A value that changes over time, readable by `useSyncExternalStore`. */
export interface ReadableStore<T> {
  /** The current value; the same object until the value changes. */
  getSnapshot(): T
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void
}

/** A minimal external store: a value and a set of listeners. */
export class Store<T> implements ReadableStore<T> {
  private readonly listeners = new Set<() => void>()

  constructor(private value: T) {}

  readonly getSnapshot = (): T => this.value

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  /** Replaces the value and notifies, unless nothing changed (shallow comparison). */
  set(next: T): void {
    if (shallowEqual(this.value, next)) return
    this.value = next
    for (const listener of [...this.listeners]) listener()
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
