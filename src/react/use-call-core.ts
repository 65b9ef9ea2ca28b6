import { useCallback, useEffect, useRef, useState } from 'react'
import type { Result } from '../client/types.js'
import { callKey } from '../connection/stable-key.js'
import { Store } from '../connection/store.js'
import { ClientClosedError, WampAbortError } from '../protocol/errors.js'
import type {
  CallState,
  CallVariables,
  MutateCallbacks,
  ProgressConfig,
  UseCallOptions,
  UseCallResult,
} from './call-types.js'
import { contain, toError } from './contain.js'
import { useConnection } from './context.js'
import { keyOf } from './key-of.js'
import { useLatest } from './use-latest.js'
import { useStore } from './use-store.js'

export type { CallState, ProgressConfig, UseCallOptions, UseCallResult } from './call-types.js'

/** One call of this hook: `auto` from the effect (shared by key), `manual` from mutate (its own). */
interface Run {
  mode: 'auto' | 'manual'
  cancel(): void
}

/** The store's state: the call state plus the keys that its status and its data belong to. */
interface StoredCallState<TData, TProgress> extends CallState<TData, TProgress> {
  /** The key the status was set for: another key than the props' means the effect has not caught up. */
  statusKey: string | undefined
  /** The key of the call that produced `data`. */
  dataKey: string | undefined
}

const connectionPhase = (state: { status: string }) => state.status

/** The engine of useCall and useProgressCall: one call state per hook, shared calls on the wire. */
export function useCallCore<TData, TProgress>(
  procedure: string,
  options: UseCallOptions<TData>,
  progress?: ProgressConfig<TProgress>,
): UseCallResult<TData> & CallState<TData, TProgress> {
  const connection = useConnection()
  const phase = useStore(connection.state, connectionPhase)
  const isOpen = phase === 'open'
  const { args, kwargs, options: callOptions, enabled = true, cancelMode = 'killnowait' } = options
  const { key, error: keyError } = keyOf(() =>
    callKey(procedure, args, kwargs, callOptions, cancelMode, progress !== undefined),
  )
  const latest = useLatest({ options, progress, keyError })
  const [store] = useState(
    () =>
      new Store<StoredCallState<TData, TProgress>>({
        status: 'idle',
        statusKey: undefined,
        data: undefined,
        dataKey: undefined,
        error: undefined,
        progress: progress?.initialValue,
        lastChunk: undefined,
        chunkCount: 0,
      }),
  )
  const current = useRef<Run | undefined>(undefined)
  const latestKey = useLatest(key)
  // The status shows a mutate's outcome: disabling the hook leaves it alone.
  const manualOutcome = useRef(false)

  const start = useCallback(
    (mode: Run['mode'], variables?: CallVariables, callbacks?: MutateCallbacks<TData>) => {
      current.current?.cancel()
      const { options: opts, progress: progressConfig } = latest.current
      const wampOptions = { ...opts.options, cancelMode: opts.cancelMode ?? 'killnowait' }
      const run: Run = { mode, cancel: () => {} }
      current.current = run
      manualOutcome.current = mode === 'manual'
      const runKey = key
      store.update({
        status: 'pending',
        statusKey: runKey,
        error: undefined,
        ...(progressConfig ? { progress: progressConfig.initialValue, lastChunk: undefined, chunkCount: 0 } : {}),
      })

      /** Ends this run in `error` (if it is still the hook's) and stops listening to its call. */
      const fail = (error: Error): void => {
        if (current.current !== run) return
        current.current = undefined
        run.cancel()
        let shown = error
        for (const callback of [
          () => latest.current.options.onError?.(error),
          () => callbacks?.onError?.(error),
          () => callbacks?.onSettled?.(undefined, error),
        ]) {
          const outcome = contain(callback)
          if (!outcome.ok) shown = outcome.error
        }
        store.update({ status: 'error', statusKey: runKey, error: shown })
      }

      const onChunk = progressConfig
        ? (chunk: Result) => {
            if (current.current !== run) return
            const config = latest.current.progress ?? {}
            const before = store.getSnapshot()
            const folded = config.reducer ? contain(config.reducer, before.progress as TProgress, chunk) : undefined
            if (folded && !folded.ok) return fail(folded.error)
            const next = folded ? folded.value : (chunk as TProgress)
            store.update({ progress: next, lastChunk: chunk, chunkCount: before.chunkCount + 1 })
            const heard = config.onProgress ? contain(config.onProgress, chunk) : undefined
            if (heard && !heard.ok) fail(heard.error)
          }
        : undefined

      const callArgs = variables?.args ?? opts.args
      const callKwargs = variables?.kwargs ?? opts.kwargs
      let promise: Promise<Result>
      if (mode === 'auto') {
        const lease = connection.acquireCall(key, procedure, callArgs, callKwargs, wampOptions, onChunk)
        run.cancel = lease.release
        promise = lease.promise
      } else {
        const controller = new AbortController()
        run.cancel = () => controller.abort(new Error('cancelled'))
        promise = connection.call(procedure, callArgs, callKwargs, {
          ...wampOptions,
          signal: controller.signal,
          onProgress: onChunk,
        })
      }
      // A replayed chunk may have failed this run already: give its call back at once.
      if (current.current !== run) run.cancel()

      const outcome = promise.then(
        (result): TData => {
          if (current.current !== run) throw new WampAbortError('superseded', `the call to ${procedure}`)
          const select = latest.current.options.select
          const selected = select ? contain(select, result) : { ok: true as const, value: result as TData }
          if (!selected.ok) {
            fail(selected.error)
            throw selected.error
          }
          const data = selected.value
          current.current = undefined
          store.update({ status: 'success', statusKey: runKey, data, dataKey: runKey, error: undefined })
          for (const callback of [
            () => latest.current.options.onSuccess?.(data),
            () => callbacks?.onSuccess?.(data),
            () => callbacks?.onSettled?.(data, undefined),
          ]) {
            const ran = contain(callback)
            if (!ran.ok) store.update({ status: 'error', statusKey: runKey, error: ran.error })
          }
          return data
        },
        (error: unknown) => {
          fail(toError(error))
          throw error
        },
      )
      return { run, promise: outcome }
    },
    [connection, key, procedure, store, latest],
  )

  useEffect(() => {
    const { keyError: invalid } = latest.current
    if (invalid) {
      store.update({ status: 'error', statusKey: key, error: invalid })
      return undefined
    }
    if (!enabled) {
      if (!manualOutcome.current) store.update({ status: 'idle', statusKey: key, error: undefined })
      return undefined
    }
    if (!isOpen) {
      const before = store.getSnapshot()
      // A pending call goes out again on the next session; a connection closed for good fails it.
      if (phase === 'closed' && (before.status === 'pending' || before.statusKey !== key) && !current.current) {
        store.update({
          status: 'error',
          statusKey: key,
          error: new ClientClosedError(`cannot call ${procedure}: the connection is closed`),
        })
      } else if (phase !== 'closed' && before.statusKey !== key) {
        store.update({ status: 'pending', statusKey: key, error: undefined })
      }
      return undefined
    }
    const { run, promise } = start('auto')
    promise.catch(() => {})
    return () => {
      if (current.current !== run) return
      current.current = undefined
      run.cancel()
    }
  }, [start, enabled, isOpen, phase, latest, store, procedure, key])

  // Unmount cancels whatever runs, a mutate's call too, and no callback runs afterwards.
  useEffect(
    () => () => {
      const run = current.current
      current.current = undefined
      run?.cancel()
    },
    [],
  )

  const cancel = useCallback(() => {
    const run = current.current
    if (!run) return
    current.current = undefined
    run.cancel()
    store.update({
      status: 'error',
      statusKey: latestKey.current,
      error: new WampAbortError('cancelled', `the call to ${procedure}`),
    })
  }, [store, procedure, latestKey])

  const reset = useCallback(() => {
    const run = current.current
    current.current = undefined
    manualOutcome.current = false
    run?.cancel()
    store.set({
      status: 'idle',
      statusKey: latestKey.current,
      data: undefined,
      dataKey: undefined,
      error: undefined,
      progress: latest.current.progress?.initialValue,
      lastChunk: undefined,
      chunkCount: 0,
    })
  }, [store, latest, latestKey])

  const mutateAsync = useCallback((variables?: CallVariables) => start('manual', variables).promise, [start])
  const mutate = useCallback(
    (variables?: CallVariables, callbacks?: MutateCallbacks<TData>) => {
      start('manual', variables, callbacks).promise.catch(() => {})
    },
    [start],
  )
  const execute = useCallback(() => mutateAsync(), [mutateAsync])
  const { statusKey, dataKey, ...state } = useStore(store)
  // Between a render with new props and the effect that acts on them, show what the effect will do.
  const caughtUp = statusKey === key
  const status = keyError
    ? 'error'
    : caughtUp
      ? state.status
      : enabled
        ? 'pending'
        : manualOutcome.current
          ? state.status
          : 'idle'
  return {
    ...state,
    status,
    error: keyError && !caughtUp ? keyError : state.error,
    isPending: status === 'pending',
    isPreviousData: state.data !== undefined && dataKey !== key,
    mutate,
    mutateAsync,
    execute,
    cancel,
    reset,
  }
}
