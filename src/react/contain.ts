/** The outcome of a user callback: its value, or what it threw (as an Error). */
export type Contained<T> = { ok: true; value: T } | { ok: false; error: Error }

/** Runs a user callback so that its throw becomes a value for its own hook, never anyone else's problem. */
export function contain<A extends unknown[], T>(callback: (...args: A) => T, ...args: A): Contained<T> {
  try {
    return { ok: true, value: callback(...args) }
  } catch (error) {
    return { ok: false, error: toError(error) }
  }
}

/** An Error for whatever was thrown. */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value))
}
