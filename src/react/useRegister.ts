import { useEffect, useState } from 'react'
import type { Invocation, InvokeResult, RegisterOptions } from '../client/types.js'
import type { RegistrationStatus } from '../connection/registrations.js'
import { Store } from '../connection/store.js'
import { RPCError, WampAbortError } from '../protocol/errors.js'
import type { MatchPolicy } from '../protocol/uri.js'
import { toError } from './contain.js'
import { useConnection } from './context.js'
import { keyOf } from './key-of.js'
import { useLatest } from './use-latest.js'
import { useStore } from './use-store.js'

/** Options of useRegister. A change of any of them (by value) re-registers: one UNREGISTER, one REGISTER. */
export interface UseRegisterOptions {
  match?: MatchPolicy
  invoke?: RegisterOptions['invoke']
  /** Register while true. Default true; false is `idle`. */
  enabled?: boolean
  /** Other REGISTER options (disclose_caller, forward_timeout, …). */
  options?: Omit<RegisterOptions, 'match' | 'invoke'>
}

/**
 * Where a useRegister stands: `idle` while disabled, otherwise its lease's status (`pending`,
 * `active`, `retrying`, `revoked`, `error`; see the connection's lease statuses).
 */
export type RegisterHookStatus = 'idle' | RegistrationStatus['status']

/** What useRegister returns. */
export interface UseRegisterResult {
  status: RegisterHookStatus
  /**
   * Why the lease is not active; or, while active, the last failure of the handler (a throw that
   * is not an `RPCError`: the caller got `wamp.error.runtime_error`, the registration stays).
   */
  error: Error | undefined
  /** While `retrying` (e.g. `procedure_already_exists` while another tab holds it): when the router is asked again (epoch ms). */
  nextRetryAt: number | undefined
  invocationCount: number
}

const idle: UseRegisterResult = { status: 'idle', error: undefined, nextRetryAt: undefined, invocationCount: 0 }

/**
 * Makes this component a callee while mounted (and enabled): registered on every session,
 * again after each reconnect. The handler always sees the latest props; its invocation's
 * `signal` aborts when the caller cancels or the call times out. Throw an `RPCError` to answer
 * with an error; any other throw is also shown in this hook's `error`.
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
  const { key, error: keyError } = keyOf({ procedure, options: registerOptions })
  const latest = useLatest({ handler, registerOptions, keyError })
  const [store] = useState(() => new Store<UseRegisterResult>(idle))

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the procedure and options, compared by value.
  useEffect(() => {
    if (latest.current.keyError) {
      store.set({ ...idle, status: 'error', error: latest.current.keyError })
      return undefined
    }
    if (!enabled) {
      store.set(idle)
      return undefined
    }
    let handlerError: Error | undefined
    let live = true
    const failed = (error: unknown) => {
      if (!(error instanceof RPCError) && !(error instanceof WampAbortError) && live) {
        handlerError = toError(error)
        sync()
      }
    }
    const lease = connection.acquireRegistration(
      procedure,
      (invocation) => {
        try {
          const out = latest.current.handler(invocation)
          if (out && typeof (out as Promise<InvokeResult>).then === 'function') {
            ;(out as Promise<InvokeResult>).then(undefined, failed)
          }
          return out
        } catch (error) {
          failed(error)
          throw error
        }
      },
      latest.current.registerOptions,
    )
    const sync = () => {
      const { status, error, nextRetryAt, invocationCount } = lease.status.getSnapshot()
      store.set({
        status,
        error: error ?? (status === 'active' ? handlerError : undefined),
        nextRetryAt,
        invocationCount,
      })
    }
    sync()
    const unlisten = lease.status.subscribe(sync)
    return () => {
      live = false
      unlisten()
      lease.release()
    }
  }, [connection, key, enabled, store, latest])

  return useStore(store)
}
