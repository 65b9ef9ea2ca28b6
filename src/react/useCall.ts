import type { Result } from '../client/types.js'
import { type UseCallOptions, type UseCallResult, useCallCore } from './use-call-core.js'

export type { CallStatus, CallVariables, MutateCallbacks } from './call-types.js'
export type { UseCallOptions, UseCallResult } from './use-call-core.js'

/**
 * Calls a procedure while the session is open and keeps the outcome as state (see `CallStatus`
 * for the transitions). Calls again when the procedure, args, kwargs or options change (compared
 * by value, not identity), cancels on key change, `enabled: false` and unmount, and calls again
 * after a reconnect. Components asking for the same key share one CALL on the wire.
 *
 * `mutate(variables)` calls with arguments chosen at click time and never rejects;
 * `mutateAsync(variables)` returns the data and rejects.
 *
 * @example
 * const { data, status, cancel } = useCall('com.example.add', { args: [1, 2], select: (r) => r.args[0] as number })
 * const restart = useCall('com.example.restart', { enabled: false })
 * <button onClick={() => restart.mutate({ args: [service] })}>Restart</button>
 */
export function useCall<TData = Result>(procedure: string, options: UseCallOptions<TData> = {}): UseCallResult<TData> {
  const { status, data, isPreviousData, error, isPending, mutate, mutateAsync, execute, cancel, reset } = useCallCore<
    TData,
    never
  >(procedure, options)
  return { status, data, isPreviousData, error, isPending, mutate, mutateAsync, execute, cancel, reset }
}
