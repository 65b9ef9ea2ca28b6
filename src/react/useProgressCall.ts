import type { Result } from '../client/types.js'
import { type ProgressConfig, type UseCallOptions, type UseCallResult, useCallCore } from './use-call-core.js'

/** Options of useProgressCall: useCall's plus how progressive results fold into `progress`. */
export interface UseProgressCallOptions<TData, TProgress> extends UseCallOptions<TData>, ProgressConfig<TProgress> {}

/** What useProgressCall returns: useCall's result plus the progress so far. */
export interface UseProgressCallResult<TData, TProgress> extends UseCallResult<TData> {
  /** The reducer's fold of the chunks so far (the last chunk without a reducer). */
  progress: TProgress | undefined
  lastChunk: Result | undefined
  chunkCount: number
}

/**
 * useCall with progressive results: each chunk is folded by `reducer` (once per chunk, in the
 * store, not in render) into `progress`.
 *
 * @example
 * const { progress, data } = useProgressCall('com.example.export', {
 *   reducer: (_percent, chunk) => chunk.args[0] as number,
 *   initialValue: 0,
 * })
 */
export function useProgressCall<TData = Result, TProgress = Result>(
  procedure: string,
  options: UseProgressCallOptions<TData, TProgress> = {},
): UseProgressCallResult<TData, TProgress> {
  const { reducer, initialValue, onProgress, ...callOptions } = options
  const core = useCallCore<TData, TProgress>(procedure, callOptions, { reducer, initialValue, onProgress })
  const { status, data, error, isPending, execute, cancel, reset, progress, lastChunk, chunkCount } = core
  return { status, data, error, isPending, execute, cancel, reset, progress, lastChunk, chunkCount }
}
