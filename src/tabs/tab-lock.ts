/**
 * Web Locks tell the hub when a tab is gone: each tab holds a lock named for it while it lives;
 * the hub asks for the same lock, and gets it only once the tab closed, crashed or was discarded.
 */

interface LockManagerLike {
  request(name: string, callback: () => Promise<void> | void): Promise<unknown>
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void> | void): Promise<unknown>
}

/** The platform's lock manager (window or worker), if it has one. */
export function lockManager(): LockManagerLike | undefined {
  const navigator = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator
  return navigator?.locks
}

const tabLockName = (tabId: string) => `react-wamp:tab:${tabId}`

/** Holds this tab's lock until `release()`; `held` resolves once it is held (at once without Web Locks). */
export function holdTabLock(tabId: string): { held: Promise<void>; release(): void } {
  const locks = lockManager()
  if (!locks) return { held: Promise.resolve(), release: () => {} }
  let release = () => {}
  const held = new Promise<void>((granted) => {
    locks
      .request(tabLockName(tabId), () => {
        granted()
        return new Promise<void>((resolve) => {
          release = resolve
        })
      })
      .catch(() => granted())
  })
  return { held, release: () => release() }
}

/** Calls `gone` once the tab's lock is free (the tab is gone). Without Web Locks, only a goodbye tells. */
export function watchTab(tabId: string, gone: () => void): void {
  const locks = lockManager()
  if (!locks) return
  locks.request(tabLockName(tabId), () => gone()).catch(() => {})
}
