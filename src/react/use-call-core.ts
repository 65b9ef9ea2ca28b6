import { useCallback, useEffect, useRef, useState } from 'react'
import type { Result } from '../client/types.js'
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
  const { key, error: keyError } = keyOf({
    procedure,
    args: args ?? [],
    kwargs: kwargs ?? {},
    options: callOptions ?? {},
    cancelMode,
    progress: progress !== undefined,
  })
  const latest = useLatest({ options, progress, keyError })
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
      store.update({
        status: 'pending',
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
        store.update({ status: 'error', error: shown })
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
          store.update({ status: 'success', data, error: undefined })
          for (const callback of [
            () => latest.current.options.onSuccess?.(data),
            () => callbacks?.onSuccess?.(data),
            () => callbacks?.onSettled?.(data, undefined),
          ]) {
            const ran = contain(callback)
            if (!ran.ok) store.update({ status: 'error', error: ran.error })
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
      store.update({ status: 'error', error: invalid })
      return undefined
    }
    if (!enabled) {
      if (!manualOutcome.current) store.update({ status: 'idle', error: undefined })
      return undefined
    }
    if (!isOpen) {
      // A pending call goes out again on the next session; a connection closed for good fails it.
      if (phase === 'closed' && store.getSnapshot().status === 'pending' && !current.current) {
        store.update({
          status: 'error',
          error: new ClientClosedError(`cannot call ${procedure}: the connection is closed`),
        })
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
  }, [start, enabled, isOpen, phase, latest, store, procedure])

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
    store.update({ status: 'error', error: new WampAbortError('cancelled', `the call to ${procedure}`) })
  }, [store, procedure])

  const reset = useCallback(() => {
    const run = current.current
    current.current = undefined
    manualOutcome.current = false
    run?.cancel()
    store.set({
      status: 'idle',
      data: undefined,
      error: undefined,
      progress: latest.current.progress?.initialValue,
      lastChunk: undefined,
      chunkCount: 0,
    })
  }, [store, latest])

  const mutateAsync = useCallback((variables?: CallVariables) => start('manual', variables).promise, [start])
  const mutate = useCallback(
    (variables?: CallVariables, callbacks?: MutateCallbacks<TData>) => {
      start('manual', variables, callbacks).promise.catch(() => {})
    },
    [start],
  )
  const execute = useCallback(() => mutateAsync(), [mutateAsync])
  const state = useStore(store)
  return { ...state, isPending: state.status === 'pending', mutate, mutateAsync, execute, cancel, reset }
}
