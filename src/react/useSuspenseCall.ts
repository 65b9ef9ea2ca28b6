import * as React from 'react'
import { useCallback, useEffect } from 'react'
import type { Args, CallOptions, Kwargs, Result } from '../client/types.js'
import { callKey } from '../connection/stable-key.js'
import { contain } from './contain.js'
import { useConnection } from './context.js'
import { keyOf } from './key-of.js'
import { dropFailed, holdEntry, readEntry } from './suspense-cache.js'

/** Options of useSuspenseCall. */
export interface UseSuspenseCallOptions<TData = Result> {
  args?: Args
  kwargs?: Kwargs
  /** WAMP call options. Give a `timeout`: nothing cancels a call a suspended render started (see useSuspenseCall). */
  options?: Omit<CallOptions, 'signal' | 'onProgress' | 'cancelMode'>
  /** Derives `data` from the result, in render. A throw goes to the nearest error boundary. */
  select?: (result: Result) => TData
}

/** What useSuspenseCall returns: always data (the component suspended until there was some). */
export interface UseSuspenseCallResult<TData = Result> {
  data: TData
}

// React 19's `use`; React 18 has none, and suspends on a thrown promise instead.
const use = (React as { use?: <T>(promise: Promise<T>) => T }).use

/**
 * useCall for Suspense: the component suspends (the nearest `<Suspense>` shows its fallback)
 * until the call returns, then renders with `data`; an RPC error, a lost connection or a throwing
 * `select` goes to the nearest error boundary. The call is cached on the provider's connection by
 * the same key as useCall (procedure, args, kwargs and options by value): components asking for
 * the same key while it is cached make one CALL, and share it with a useCall of that key.
 *
 * An entry is released a macrotask after the last component holding it unmounts (StrictMode
 * remounts take it back). Data is not refreshed while held (not even after a reconnect): use
 * useCall, or TanStack Query through `react-wamp/query`, for data that changes.
 *
 * Cancellation: never. A suspended render has not mounted, so it cannot unmount, and React never
 * says it gave up on it; a call it started ends with its result, its `options.timeout` or the
 * connection. A render that never commits holds nothing: its entry is dropped
 * `UNCLAIMED_TIMEOUT` (5 s) after the call settles. Where leaving must cancel, use useCall.
 *
 * @example
 * function Total() {
 *   const { data } = useSuspenseCall('com.example.add', { args: [1, 2], select: (r) => r.args[0] as number })
 *   return <p>{data}</p>
 * }
 * <ErrorBoundary fallback={<p>failed</p>}><Suspense fallback={<p>loading…</p>}><Total /></Suspense></ErrorBoundary>
 */
export function useSuspenseCall<TData = Result>(
  procedure: string,
  options: UseSuspenseCallOptions<TData> = {},
): UseSuspenseCallResult<TData> {
  const connection = useConnection()
  const { args, kwargs, options: callOptions, select } = options
  // useCall's key with its default cancelMode, so both share one call on the wire.
  const cancelMode = 'killnowait'
  const { key, error: keyError } = keyOf(() => callKey(procedure, args, kwargs, callOptions, cancelMode, false))
  const entry = keyError
    ? undefined
    : readEntry(connection, key, () =>
        connection.acquireCall(key, procedure, args, kwargs, { ...callOptions, cancelMode }),
      )
  useEffect(() => (entry ? holdEntry(connection, key, entry) : undefined), [connection, key, entry])
  if (!entry) throw keyError
  // React 19 wants `use` on every render of a component that once suspended in it.
  if (use) use(entry.settled)
  else if (entry.phase === 'pending') throw entry.settled
  if (entry.phase === 'rejected') throw entry.error
  const result = entry.result as Result
  if (!select) return { data: result as TData }
  const selected = contain(select, result)
  if (!selected.ok) throw selected.error
  return { data: selected.value }
}

/**
 * A function that forgets every failed useSuspenseCall of the provider's connection, so the next
 * render calls again. Call it from an error boundary's reset (`onReset`), as TanStack Query's
 * `useQueryErrorResetBoundary().reset`: without it a retried render meets the same error until
 * the entry expires.
 */
export function useSuspenseCallReset(): () => void {
  const connection = useConnection()
  return useCallback(() => dropFailed(connection), [connection])
}
