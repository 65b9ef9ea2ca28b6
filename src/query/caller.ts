import type { Client } from '../client/client.js'
import type { Args, CallOptions, CancelMode, Kwargs, Result } from '../client/types.js'
import { callKey } from '../connection/stable-key.js'
import type { WampConnection } from '../connection/wamp-connection.js'

/**
 * Where the helpers call: the provider's `WampConnection` (`useConnection()` in React), or a
 * `Client`. A WampConnection shares identical calls in flight by key (with useCall and
 * useSuspenseCall too) and gives a cancelled call back a macrotask later, so a StrictMode
 * remount, which TanStack Query answers with a cancel and a new fetch, makes one CALL.
 */
export type WampCaller = WampConnection | Pick<Client, 'call'>

function isConnection(caller: WampCaller): caller is WampConnection {
  return typeof (caller as Partial<WampConnection>).acquireCall === 'function'
}

/**
 * Calls `procedure`; `signal` cancels it on the wire (with `cancelMode`). `restarts`, asked when
 * the signal aborts, says whether the abort starts the fetch again (a refetch or an invalidation
 * of a query still in use) rather than leaving it (an unmount): the next fetch then makes a new
 * call instead of taking this one back, whose answer may predate the reason for the refetch.
 */
export function callWithSignal(
  caller: WampCaller,
  procedure: string,
  args: Args | undefined,
  kwargs: Kwargs | undefined,
  options: Omit<CallOptions, 'signal' | 'onProgress' | 'cancelMode'> | undefined,
  cancelMode: CancelMode,
  signal: AbortSignal,
  restarts?: () => boolean,
): Promise<Result> {
  if (!isConnection(caller)) return caller.call(procedure, args, kwargs, { ...options, cancelMode, signal })
  let key: string
  try {
    // useCall's key, so a query and a useCall of the same call share it.
    key = callKey(procedure, args, kwargs, options, cancelMode, false)
  } catch (error) {
    return Promise.reject(error)
  }
  if (signal.aborted) return Promise.reject(signal.reason)
  const lease = caller.acquireCall(key, procedure, args, kwargs, { ...options, cancelMode })
  const onAbort = () => {
    if (restarts?.()) lease.forget()
    lease.release()
  }
  signal.addEventListener('abort', onAbort, { once: true })
  return lease.promise.finally(() => {
    signal.removeEventListener('abort', onAbort)
    lease.release()
  })
}
