import type { UseMutationOptions } from '@tanstack/react-query'
import type { Result } from '../client/types.js'
import type { CallVariables } from '../react/call-types.js'
import type { CallInput } from './call-key.js'
import { wampCallKey } from './call-key.js'
import type { WampCaller } from './caller.js'

/**
 * A WAMP call as TanStack Query mutation options, for `useMutation`: `mutate({ args, kwargs })`
 * calls with the arguments chosen at click time (each one left out is the default given here).
 * The `mutationKey` is the procedure's prefix key, `['wamp', 'call', procedure]`.
 *
 * @example
 * const restart = useMutation(callMutationOptions(useConnection(), 'com.example.restart'))
 * <button onClick={() => restart.mutate({ args: [service] })}>Restart</button>
 */
export function callMutationOptions(
  caller: WampCaller,
  procedure: string,
  defaults: CallInput = {},
): UseMutationOptions<Result, Error, CallVariables | undefined> & { mutationKey: readonly unknown[] } {
  return {
    mutationKey: wampCallKey(procedure),
    mutationFn: (variables) =>
      caller.call(procedure, variables?.args ?? defaults.args, variables?.kwargs ?? defaults.kwargs, defaults.options),
  }
}
