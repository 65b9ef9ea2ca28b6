/** How the connection retries. */
export interface ReconnectOptions {
  /** Delay cap for the first retry, in ms. Default 500. */
  initialDelay?: number
  /** Largest delay between attempts, in ms. Default 30 000. */
  maxDelay?: number
  /** Growth of the delay cap per attempt. Default 2. */
  factor?: number
  /** Attempts after which the connection gives up and closes. Default Infinity. */
  maxAttempts?: number
  /** Retry after the router refused the credentials. Default false. */
  retryOnAuthFailure?: boolean
  /**
   * How long a session must stay open before its loss no longer counts as a failed attempt, in ms.
   * Default 10 000. A session the router ends sooner (killed at once, a duplicate-login policy)
   * makes the backoff grow instead of reconnecting in a loop.
   */
  stableAfter?: number
}

/**
 * Exponential backoff with full jitter: a random delay between 0 and
 * min(maxDelay, initialDelay × factor^(attempt-1)), so many clients do not come back in step.
 */
export function retryDelay(attempt: number, options: ReconnectOptions, random: () => number = Math.random): number {
  const initial = options.initialDelay ?? 500
  const cap = Math.min(options.maxDelay ?? 30_000, initial * (options.factor ?? 2) ** Math.max(0, attempt - 1))
  return Math.round(random() * cap)
}
