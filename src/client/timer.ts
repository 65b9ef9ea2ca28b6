/** Timers refuse delays of 2^31 ms or more and fire at once; longer waits are capped (about 24.8 days). */
const MAX_DELAY = 2 ** 31 - 1

/** setTimeout with the delay capped to what timers can hold. */
export function startTimer(callback: () => void, ms: number): ReturnType<typeof setTimeout> {
  return setTimeout(callback, Math.min(Math.max(0, ms), MAX_DELAY))
}
