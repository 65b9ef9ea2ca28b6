import type { Result } from '../client/types.js'
import type { CallLease } from '../connection/shared-calls.js'
import type { WampConnection } from '../connection/wamp-connection.js'

/**
 * How long a settled entry that no committed component holds stays in the cache, in ms. A render
 * that suspended on it commits as soon as React retries it (well within this); a render React
 * threw away never commits, and this timer releases what it started.
 */
export const UNCLAIMED_TIMEOUT = 5_000

/**
 * One suspending call. Its machine (a pending entry is never dropped: a suspended render may be
 * waiting on it, and React never says it gave up):
 *
 * | state                         | event                        | next                                   |
 * |-------------------------------|------------------------------|----------------------------------------|
 * | pending                       | the call settles             | settled, unheld: drop in UNCLAIMED_TIMEOUT |
 * | settled, unheld (timer runs)  | a committed component holds  | held (timer off)                       |
 * | settled, unheld               | the timer fires              | dropped                                |
 * | settled (rejected), unheld    | `dropFailed` (a reset)       | dropped                                |
 * | held                          | another hold                 | held, one more holder                  |
 * | held                          | the last holder lets go      | settled, unheld: drop a macrotask later (a StrictMode remount takes it back) |
 *
 * Dropped: out of the cache, and its lease on the (settled) shared call given back.
 */
export interface SuspenseEntry {
  phase: 'pending' | 'fulfilled' | 'rejected'
  result: Result | undefined
  error: Error | undefined
  /** What a suspending render throws (React 18) or hands to `use` (React 19). Never rejects. */
  settled: Promise<void>
  holders: number
  timer: ReturnType<typeof setTimeout> | undefined
  lease: CallLease
}

type Cache = Map<string, SuspenseEntry>

// Bound to the connection: a connection that is gone takes its cache with it.
const caches = /* @__PURE__ */ new WeakMap<WampConnection, Cache>()

function cacheOf(connection: WampConnection): Cache {
  let cache = caches.get(connection)
  if (!cache) {
    cache = new Map()
    caches.set(connection, cache)
  }
  return cache
}

/** The entry for `key`, starting its call (shared with useCall's by key) if there is none. */
export function readEntry(connection: WampConnection, key: string, start: () => CallLease): SuspenseEntry {
  const cache = cacheOf(connection)
  const found = cache.get(key)
  if (found) return found
  const lease = start()
  const entry: SuspenseEntry = {
    phase: 'pending',
    result: undefined,
    error: undefined,
    settled: undefined as never,
    holders: 0,
    timer: undefined,
    lease,
  }
  const settle = (): void => {
    // React's thenable convention: `use` reads a settled promise at once instead of suspending again.
    Object.assign(entry.settled, { status: 'fulfilled', value: undefined })
    releaseWhenUnclaimed(cache, key, entry)
  }
  entry.settled = lease.promise.then(
    (result) => {
      entry.phase = 'fulfilled'
      entry.result = result
      settle()
    },
    (error: unknown) => {
      entry.phase = 'rejected'
      entry.error = error instanceof Error ? error : new Error(String(error))
      settle()
    },
  )
  cache.set(key, entry)
  return entry
}

/** A committed component's hold on its entry; the returned function gives it back. */
export function holdEntry(connection: WampConnection, key: string, entry: SuspenseEntry): () => void {
  const cache = cacheOf(connection)
  // A remount after the entry was dropped puts it back: its data is what the component showed.
  if (!cache.has(key)) cache.set(key, entry)
  entry.holders += 1
  clearTimeout(entry.timer)
  entry.timer = undefined
  let released = false
  return () => {
    if (released) return
    released = true
    entry.holders -= 1
    // One macrotask later, so a StrictMode remount takes the entry back.
    if (entry.holders === 0) scheduleDrop(cache, key, entry, 0)
  }
}

/** Drops every failed entry of the connection, so the next render calls again (an error boundary's reset). */
export function dropFailed(connection: WampConnection): void {
  const cache = cacheOf(connection)
  for (const [key, entry] of cache) if (entry.phase === 'rejected') drop(cache, key, entry)
}

function releaseWhenUnclaimed(cache: Cache, key: string, entry: SuspenseEntry): void {
  if (entry.holders === 0) scheduleDrop(cache, key, entry, UNCLAIMED_TIMEOUT)
}

function scheduleDrop(cache: Cache, key: string, entry: SuspenseEntry, ms: number): void {
  clearTimeout(entry.timer)
  entry.timer = setTimeout(() => {
    entry.timer = undefined
    // A pending entry may still have a suspended render waiting on it: it is dropped after it settles.
    if (entry.holders === 0 && entry.phase !== 'pending') drop(cache, key, entry)
  }, ms)
}

function drop(cache: Cache, key: string, entry: SuspenseEntry): void {
  clearTimeout(entry.timer)
  entry.timer = undefined
  if (cache.get(key) === entry) cache.delete(key)
  entry.lease.release()
}
