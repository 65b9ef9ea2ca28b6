/** Small waiting helpers shared by the suites. */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Polls `check` every few ms; throws naming `what` when it is still false after `ms`. */
export async function until(what: string, check: () => boolean, ms = 4000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`)
    await sleep(3)
  }
}

/** True when `promise` settled within `ms` (an overflowing timer fires after ~1 ms). */
export async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false
  const done = () => {
    settled = true
  }
  promise.then(done, done)
  await sleep(ms)
  return settled
}
