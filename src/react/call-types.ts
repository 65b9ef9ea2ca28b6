import type { Args, CallOptions, CancelMode, Kwargs, Result } from '../client/types.js'

/**
 * Where a useCall / useProgressCall stands:
 *
 * | status    | means                                                            | leaves on                                                        |
 * |-----------|------------------------------------------------------------------|------------------------------------------------------------------|
 * | `idle`    | not called: disabled, or `reset()`                               | a call starts → `pending`                                        |
 * | `pending` | a call is in flight, or an enabled hook waits for a session (from its first render) | result → `success`; failure → `error`; `enabled: false` → `idle`; key change → `pending` (the old call is cancelled) |
 * | `success` | the last call returned; `data` holds what `select` made of it    | key change, reconnect or `mutate` → `pending`; `enabled: false` → `idle` (data kept) |
 * | `error`   | the call failed, was cancelled by `cancel()`, or a callback of this hook threw (`select`, `reducer`, `onProgress`, `onSuccess`, `onError`) | as `success` |
 *
 * An enabled hook is `pending` from its first render until its first outcome: never `idle`. A
 * disabled hook is `idle` and keeps its last `data`, unless it shows the outcome of a call
 * started by `mutate`/`mutateAsync`/`execute`. Data kept across a key change is flagged with
 * `isPreviousData` until a call with the current key succeeds. Cancellation by `enabled: false`, a key change or
 * unmount never leaves `pending` behind.
 */
export type CallStatus = 'idle' | 'pending' | 'success' | 'error'

/** Arguments chosen when calling (`mutate`, `mutateAsync`); each one left out is the hook's own. */
export interface CallVariables<A = Args, K = Kwargs> {
  args?: A
  kwargs?: K
}

/** Callbacks of one `mutate`: they run after the hook's own, and never after unmount or a newer call. */
export interface MutateCallbacks<TData> {
  onSuccess?: (data: TData) => void
  onError?: (error: Error) => void
  onSettled?: (data: TData | undefined, error: Error | undefined) => void
}

/** Options of useCall. */
export interface UseCallOptions<TData = Result> {
  args?: Args
  kwargs?: Kwargs
  /** WAMP call options (timeout, disclose_me, …). */
  options?: Omit<CallOptions, 'signal' | 'onProgress' | 'cancelMode'>
  /** Call automatically while the session is open. Default true; false leaves it to `mutate`. */
  enabled?: boolean
  /** How a call is cancelled on unmount, key change, `enabled: false` or `cancel()`. Default 'killnowait'. */
  cancelMode?: CancelMode
  /** Derives `data` from the result. A throw ends the call in `error`. */
  select?: (result: Result) => TData
  /** Runs once per successful call of this hook. A throw puts the hook in `error`. */
  onSuccess?: (data: TData) => void
  /** Runs once per failed call of this hook. */
  onError?: (error: Error) => void
}

/** What useCall returns. */
export interface UseCallResult<TData = Result, A = Args, K = Kwargs> {
  status: CallStatus
  /** The latest successful data of this hook (kept while a new call is pending, and when disabled). */
  data: TData | undefined
  /**
   * True when `data` came from a call with other arguments than the current ones (the key changed
   * and the new call has not succeeded yet, or the hook is disabled): show it as stale.
   */
  isPreviousData: boolean
  error: Error | undefined
  isPending: boolean
  /**
   * Calls now with `variables` chosen at call time (the hook's args and kwargs where left out),
   * cancelling a call in flight. Never rejects: the outcome goes to the state, `onSuccess` /
   * `onError` and the callbacks given here. Cancelled on unmount.
   */
  mutate(variables?: CallVariables<A, K>, callbacks?: MutateCallbacks<TData>): void
  /** As `mutate`, but returns the data and rejects with the error (an `AbortError` when cancelled or unmounted). */
  mutateAsync(variables?: CallVariables<A, K>): Promise<TData>
  /** `mutateAsync()` with the hook's own args. */
  execute(): Promise<TData>
  /** Cancels the call in flight; status becomes 'error' with an AbortError. */
  cancel(): void
  /** Cancels, and returns to `idle` with no data, no error and the initial progress. */
  reset(): void
}

/** Progress configuration of useProgressCall. */
export interface ProgressConfig<TProgress> {
  /** Folds each chunk into `progress` (once per chunk, in the store). A throw ends this hook's call in `error`. */
  reducer?: (progress: TProgress, chunk: Result) => TProgress
  initialValue?: TProgress
  /** Runs for every chunk. A throw ends this hook's call in `error`. */
  onProgress?: (chunk: Result) => void
}

/** One hook's call state, as its store holds it. */
export interface CallState<TData, TProgress> {
  status: CallStatus
  data: TData | undefined
  error: Error | undefined
  progress: TProgress | undefined
  lastChunk: Result | undefined
  chunkCount: number
}
