/**
 * How one handler call ended: `true` (returned), `false` (threw, reported), or a promise of either
 * when the handler returned one.
 */
export type HandlerOutcome = boolean | Promise<boolean>

/**
 * Thrown (or rejected) by a handler that fans out to handlers of its own and has already reported
 * their failures: the caller counts the failure and does not report it again.
 */
export class ReportedHandlerFailure extends Error {
  constructor() {
    super('a handler failed (already reported)')
    this.name = 'ReportedHandlerFailure'
  }
}

/** Calls a user handler; a throw or a rejected promise goes to `onError`, never further. */
export function runHandler<T>(
  handler: (value: T) => unknown,
  value: T,
  onError: (error: unknown) => void,
): HandlerOutcome {
  try {
    const out = handler(value) as { then?: unknown } | undefined
    if (out && typeof out.then === 'function') return settled(out as Promise<unknown>, onError)
    return true
  } catch (error) {
    return failed(error, onError)
  }
}

function settled(promise: Promise<unknown>, onError: (error: unknown) => void): Promise<boolean> {
  return promise.then(
    () => true,
    (error: unknown) => failed(error, onError),
  )
}

function failed(error: unknown, onError: (error: unknown) => void): false {
  if (!(error instanceof ReportedHandlerFailure)) onError(error)
  return false
}

/** True when every handler succeeded; a promise when one of them is still running. */
export function allSucceeded(outcomes: readonly HandlerOutcome[]): HandlerOutcome {
  const waiting: Promise<boolean>[] = []
  let ok = true
  for (const outcome of outcomes) {
    if (outcome === false) ok = false
    else if (outcome !== true) waiting.push(outcome)
  }
  if (waiting.length === 0) return ok
  return Promise.all(waiting).then((all) => ok && all.every(Boolean))
}
