import type { CallOptions, ProgressiveResult, Result } from './types.js'

/**
 * The progressive results of one call as an async iterator, then the final result. Leaving the
 * loop early aborts the call. `call` starts it with the options given (signal and onProgress set).
 * Loaded on the first `callProgress`.
 */
export async function* progressResults(
  call: (options: CallOptions) => Promise<Result>,
  options: CallOptions,
): AsyncGenerator<ProgressiveResult, void, undefined> {
  const controller = new AbortController()
  // An already aborted signal fires no 'abort' event: carry it over, so the call is refused as call() would.
  if (options.signal?.aborted) controller.abort(options.signal.reason)
  const stop = () => controller.abort(options.signal?.reason)
  options.signal?.addEventListener('abort', stop, { once: true })
  const chunks: Result[] = []
  let wake: (() => void) | undefined
  let outcome: { result: Result } | { error: unknown } | undefined
  call({
    ...options,
    signal: controller.signal,
    onProgress: (chunk) => {
      chunks.push(chunk)
      wake?.()
    },
  }).then(
    (final) => {
      outcome = { result: final }
      wake?.()
    },
    (error: unknown) => {
      outcome = { error }
      wake?.()
    },
  )
  try {
    while (true) {
      const chunk = chunks.shift()
      if (chunk) {
        yield { ...chunk, final: false }
      } else if (outcome && 'error' in outcome) {
        throw outcome.error
      } else if (outcome) {
        yield { ...outcome.result, final: true }
        return
      } else {
        await new Promise<void>((resolve) => {
          wake = resolve
        })
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', stop)
    if (!outcome) controller.abort(new Error('the loop over progressive results ended early'))
  }
}
