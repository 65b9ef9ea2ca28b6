import { useEffect, useState } from 'react'
import type { Invocation, InvokeResult, RegisterOptions } from '../client/types.js'
import type { RegistrationStatus } from '../connection/registrations.js'
import { stableKey } from '../connection/stable-key.js'
import { Store } from '../connection/store.js'
import type { MatchPolicy } from '../protocol/uri.js'
import { useConnection } from './context.js'
import { useLatest } from './use-latest.js'
import { useStoreSelector } from './use-store-selector.js'

/** Options of useRegister. */
export interface UseRegisterOptions {
  match?: MatchPolicy
  invoke?: RegisterOptions['invoke']
  /** Register while true. Default true. */
  enabled?: boolean
  /** Other REGISTER options (disclose_caller, forward_timeout, …). */
  options?: Omit<RegisterOptions, 'match' | 'invoke'>
}

/** What useRegister returns. */
export interface UseRegisterResult {
  status: 'idle' | RegistrationStatus['status']
  error: Error | undefined
  /** While `retrying` (e.g. `procedure_already_exists` while another tab holds it): when the router is asked again (epoch ms). */
  nextRetryAt: number | undefined
  invocationCount: number
}

const idle: UseRegisterResult = { status: 'idle', error: undefined, nextRetryAt: undefined, invocationCount: 0 }

/**
 * Makes this component a callee while mounted (and enabled): registered on every session,
 * again after each reconnect. The handler always sees the latest props; its invocation's
 * `signal` aborts when the caller cancels or the call times out.
 *
 * @example
 * useRegister('com.example.greet', ({ args }) => ({ args: [`Hello, ${args[0]}`] }))
 */
export function useRegister(
  procedure: string,
  handler: (invocation: Invocation) => InvokeResult | Promise<InvokeResult>,
  options: UseRegisterOptions = {},
): UseRegisterResult {
  const connection = useConnection()
  const { match, invoke, enabled = true, options: extra } = options
  const registerOptions: RegisterOptions = { ...extra, ...(match ? { match } : {}), ...(invoke ? { invoke } : {}) }
  const key = stableKey([procedure, registerOptions])
  const latest = useLatest({ handler, registerOptions })
  const [store] = useState(() => new Store<UseRegisterResult>(idle))

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the options, compared by value.
  useEffect(() => {
    if (!enabled) {
      store.set(idle)
      return undefined
    }
    const lease = connection.acquireRegistration(
      procedure,
      (invocation) => latest.current.handler(invocation),
      latest.current.registerOptions,
    )
    const sync = () => {
      const { status, error, nextRetryAt, invocationCount } = lease.status.getSnapshot()
      store.set({ status, error, nextRetryAt, invocationCount })
    }
    sync()
    const unlisten = lease.status.subscribe(sync)
    return () => {
      unlisten()
      lease.release()
    }
  }, [connection, procedure, key, enabled, store, latest])

  return useStoreSelector(store, (state) => state)
}
