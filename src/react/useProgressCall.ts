import type { Result } from '../client/types.js'
import { type ProgressConfig, type UseCallOptions, type UseCallResult, useCallCore } from './use-call-core.js'

/** Options of useProgressCall: useCall's plus how progressive results fold into `progress`. */
export interface UseProgressCallOptions<TData, TProgress> extends UseCallOptions<TData>, ProgressConfig<TProgress> {}

/** What useProgressCall returns: useCall's result plus the progress so far. */
export interface UseProgressCallResult<TData, TProgress, TInitial = TProgress | undefined>
  extends UseCallResult<TData> {
  /** The reducer's fold of the chunks so far (the last chunk without a reducer); `initialValue` before any. */
  progress: TInitial
  lastChunk: Result | undefined
  chunkCount: number
}

/**
 * useCall with progressive results: each chunk is folded by this component's `reducer` (once per
 * chunk, in the store, not in render) into `progress`. Components asking for the same key share
 * one CALL; one that joins while it streams first gets every chunk so far (up to
 * `MAX_REPLAYED_CHUNKS`, 1,000; past that it makes a call of its own), so all fold the same stream.
 * A throwing `reducer` or `onProgress` ends this component's call in `error`, and no other's.
 *
 * @example
 * const { progress, data } = useProgressCall('com.example.export', {
 *   reducer: (_percent, chunk) => chunk.args[0] as number,
 *   initialValue: 0,
 * })
 */
export function useProgressCall<TData = Result, TProgress = Result>(
  procedure: string,
  options: UseProgressCallOptions<TData, TProgress> & { initialValue: TProgress },
): UseProgressCallResult<TData, TProgress, TProgress>
export function useProgressCall<TData = Result, TProgress = Result>(
  procedure: string,
  options?: UseProgressCallOptions<TData, TProgress>,
): UseProgressCallResult<TData, TProgress>
export function useProgressCall<TData = Result, TProgress = Result>(
  procedure: string,
  options: UseProgressCallOptions<TData, TProgress> = {},
): UseProgressCallResult<TData, TProgress> {
  const { reducer, initialValue, onProgress, ...callOptions } = options
  const core = useCallCore<TData, TProgress>(procedure, callOptions, { reducer, initialValue, onProgress })
  const { status, data, isPreviousData, error, isPending, mutate, mutateAsync, execute, cancel, reset } = core
  const { progress, lastChunk, chunkCount } = core
  return {
    status,
    data,
    isPreviousData,
    error,
    isPending,
    mutate,
    mutateAsync,
    execute,
    cancel,
    reset,
    progress,
    lastChunk,
    chunkCount,
  }
}
