import type { Args, CallOptions, Kwargs } from '../client/types.js'

/** What a WAMP call's query is made of: its procedure, args, kwargs and WAMP options. */
export interface CallInput {
  args?: Args
  kwargs?: Kwargs
  /** WAMP call options (timeout, disclose_me, …). */
  options?: Omit<CallOptions, 'signal' | 'onProgress' | 'cancelMode'>
}

/**
 * The TanStack Query key of a WAMP call: `['wamp', 'call', procedure, { args, kwargs, options }]`.
 * TanStack hashes it by value. With the procedure alone, `['wamp', 'call', procedure]`, it is the
 * prefix that matches every call of that procedure (for `invalidateQueries`).
 */
export function wampCallKey(procedure: string, input?: CallInput): readonly unknown[] {
  if (!input) return ['wamp', 'call', procedure]
  return [
    'wamp',
    'call',
    procedure,
    { args: input.args ?? [], kwargs: input.kwargs ?? {}, options: input.options ?? {} },
  ]
}
