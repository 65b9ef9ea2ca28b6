import { stableKey } from '../connection/stable-key.js'
import { toError } from './contain.js'

/**
 * The structural key of a hook's inputs, or why they have none (a class instance, a function):
 * the hook then shows that `InvalidArgumentError` as its `error` and sends nothing.
 */
export function keyOf(parts: Record<string, unknown> | (() => string)): { key: string; error: Error | undefined } {
  try {
    return { key: typeof parts === 'function' ? parts() : stableKey(parts), error: undefined }
  } catch (error) {
    return { key: `invalid:${toError(error).message}`, error: toError(error) }
  }
}
