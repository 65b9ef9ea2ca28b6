/** Calls a user handler; a throw or a rejected promise goes to `onError`, never further. */
export function runHandler<T>(handler: (value: T) => unknown, value: T, onError: (error: unknown) => void): void {
  try {
    const out = handler(value) as { then?: unknown } | undefined
    if (out && typeof out.then === 'function') (out as Promise<unknown>).then(undefined, onError)
  } catch (error) {
    onError(error)
  }
}
