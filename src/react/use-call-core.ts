import { useCallback, useEffect, useRef, useState } from 'react'
import type { Args, CallOptions, CancelMode, Kwargs, Result } from '../client/types.js'
import { stableKey } from '../connection/stable-key.js'
import { Store } from '../connection/store.js'
import { WampAbortError } from '../protocol/errors.js'
import { useConnection } from './context.js'
import { useLatest } from './use-latest.js'
import { useStoreSelector } from './use-store-selector.js'

/** Options of useCall. */
export interface UseCallOptions<TData = Result> {
  args?: Args
  kwargs?: Kwargs
  /** WAMP call options (timeout, disclose_me, …). */
  options?: Omit<CallOptions, 'signal' | 'onProgress' | 'cancelMode'>
  /** Call automatically while the session is open. Default true; false leaves it to `execute()`. */
  enabled?: boolean
  /** How a call is cancelled on unmount, key change or `cancel()`. Default 'killnowait'. */
  cancelMode?: CancelMode
  /** Derives `data` from the result. */
  select?: (result: Result) => TData
  onSuccess?: (data: TData) => void
  onError?: (error: Error) => void
}

/** What useCall returns. */
export interface UseCallResult<TData = Result> {
  status: 'idle' | 'pending' | 'success' | 'error'
  /** The latest successful result (kept while a new call is pending). */
  data: TData | undefined
  error: Error | undefined
  isPending: boolean
  /** Calls now (again), cancelling a call in flight; resolves with the data. */
  execute(): Promise<TData>
  /** Cancels the call in flight; status becomes 'error' with an AbortError. */
  cancel(): void
  /** Cancels and returns to 'idle'. */
  reset(): void
}

/** Progress configuration of useProgressCall. */
export interface ProgressConfig<TProgress> {
  reducer?: (progress: TProgress, chunk: Result) => TProgress
  initialValue?: TProgress
  onProgress?: (chunk: Result) => void
}

export interface CallState<TData, TProgress> {
  status: UseCallResult['status']
  data: TData | undefined
  error: Error | undefined
  progress: TProgress | undefined
  lastChunk: Result | undefined
  chunkCount: number
}

interface Run {
  cancel(): void
}

/** The engine of useCall and useProgressCall: one call state per hook, shared calls on the wire. */
export function useCallCore<TData, TProgress>(
  procedure: string,
  options: UseCallOptions<TData>,
  progress?: ProgressConfig<TProgress>,
): UseCallResult<TData> & CallState<TData, TProgress> {
  const connection = useConnection()
  const isOpen = useStoreSelector(connection.state, (state) => state.status === 'open')
  const { args, kwargs, options: callOptions, enabled = true, cancelMode = 'killnowait' } = options
  const key = stableKey([procedure, args ?? [], kwargs ?? {}, callOptions ?? {}, cancelMode, progress !== undefined])
  const latest = useLatest({ options, progress })
  const [store] = useState(
    () =>
      new Store<CallState<TData, TProgress>>({
        status: 'idle',
        data: undefined,
        error: undefined,
        progress: progress?.initialValue,
        lastChunk: undefined,
        chunkCount: 0,
      }),
  )
  const current = useRef<Run | undefined>(undefined)

  const start = useCallback(
    (shared: boolean): Promise<TData> => {
      current.current?.cancel()
      const { options: opts, progress: progressConfig } = latest.current
      const wampOptions = { ...opts.options, cancelMode: opts.cancelMode ?? 'killnowait' }
      const run: Run = { cancel: () => {} }
      current.current = run
      store.update({
        status: 'pending',
        error: undefined,
        ...(progressConfig ? { progress: progressConfig.initialValue, lastChunk: undefined, chunkCount: 0 } : {}),
      })
      const onChunk = progressConfig
        ? (chunk: Result) => {
            if (current.current !== run) return
            const config = latest.current.progress ?? {}
            const before = store.getSnapshot()
            const next = config.reducer ? config.reducer(before.progress as TProgress, chunk) : (chunk as TProgress)
            store.update({ progress: next, lastChunk: chunk, chunkCount: before.chunkCount + 1 })
            config.onProgress?.(chunk)
          }
        : undefined
      let promise: Promise<Result>
      if (shared) {
        const lease = connection.acquireCall(key, procedure, opts.args, opts.kwargs, wampOptions, onChunk)
        run.cancel = lease.release
        promise = lease.promise
      } else {
        const controller = new AbortController()
        run.cancel = () => controller.abort(new Error('cancelled'))
        promise = connection.call(procedure, opts.args, opts.kwargs, {
          ...wampOptions,
          signal: controller.signal,
          onProgress: onChunk,
        })
      }
      return promise.then(
        (result) => {
          const { select, onSuccess } = latest.current.options
          const data = select ? select(result) : (result as TData)
          if (current.current === run) {
            current.current = undefined
            store.update({ status: 'success', data, error: undefined })
            onSuccess?.(data)
          }
          return data
        },
        (error: Error) => {
          if (current.current === run) {
            current.current = undefined
            store.update({ status: 'error', error })
            latest.current.options.onError?.(error)
          }
          throw error
        },
      )
    },
    [connection, key, procedure, store, latest],
  )

  useEffect(() => {
    if (!enabled || !isOpen) return undefined
    start(true).catch(() => {})
    return () => {
      const run = current.current
      current.current = undefined
      run?.cancel()
    }
  }, [start, enabled, isOpen])

  const cancel = useCallback(() => {
    const run = current.current
    if (!run) return
    current.current = undefined
    run.cancel()
    store.update({ status: 'error', error: new WampAbortError('cancelled', `the call to ${procedure}`) })
  }, [store, procedure])

  const reset = useCallback(() => {
    const run = current.current
    current.current = undefined
    run?.cancel()
    store.update({ status: 'idle', data: undefined, error: undefined, lastChunk: undefined, chunkCount: 0 })
  }, [store])

  const execute = useCallback(() => start(false), [start])
  const state = useStoreSelector(store, (s) => s)
  return { ...state, isPending: state.status === 'pending', execute, cancel, reset }
}
