import type { Result } from '../client/types.js'
import { type UseCallOptions, type UseCallResult, useCallCore } from './use-call-core.js'

export type { UseCallOptions, UseCallResult } from './use-call-core.js'

/**
 * Calls a procedure while the session is open and keeps the outcome as state. Calls again
 * when the procedure, args, kwargs or options change (compared by value, not identity),
 * cancels on key change and on unmount, and re-runs after a reconnect.
 *
 * @example
 * const { data, status, cancel } = useCall('com.example.add', { args: [1, 2], select: (r) => r.args[0] as number })
 */
export function useCall<TData = Result>(procedure: string, options: UseCallOptions<TData> = {}): UseCallResult<TData> {
  const { status, data, error, isPending, execute, cancel, reset } = useCallCore<TData, never>(procedure, options)
  return { status, data, error, isPending, execute, cancel, reset }
}
