/**
 * The one timer helper for every duration the library accepts (from the user, the router or a
 * constant): `responseTimeout`, call and INVOCATION `timeout`, open timeouts, liveness, backoff,
 * the router's call timeouts. Node and browsers keep delays as 32-bit signed milliseconds:
 * anything at or above 2^31 ms (24.8 days) fires after 1 ms (Node warns with
 * TimeoutOverflowWarning), which turned huge timeouts into immediate ones and a huge liveness
 * interval into a tight probe loop. Here such delays are capped instead.
 */

/** The longest delay timers can hold: 2^31 − 1 ms (about 24.8 days). */
export const MAX_DELAY = 2 ** 31 - 1

/**
 * A delay timers can hold: negative, NaN or non-number delays are 0 (as setTimeout takes them),
 * Infinity and anything at or above 2^31 ms are capped at MAX_DELAY.
 */
export function timerDelay(ms: number): number {
  if (typeof ms !== 'number' || !(ms > 0)) return 0
  return Math.min(ms, MAX_DELAY)
}

/** setTimeout with the delay made safe by `timerDelay`. Clear it with clearTimeout. */
export function startTimer(callback: () => void, ms: number): ReturnType<typeof setTimeout> {
  return setTimeout(callback, timerDelay(ms))
}
