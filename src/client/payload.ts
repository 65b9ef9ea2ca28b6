import { ErrorUri } from '../protocol/error-uris.js'
import { CallTimeoutError, InvalidArgumentError, RPCError } from '../protocol/errors.js'
import type { Args, Dict, ErrorMessage, Kwargs } from '../protocol/messages.js'
import { isValidUri, type MatchPolicy } from '../protocol/uri.js'
import { isDict } from '../protocol/validate.js'
import type { Result } from './types.js'

/** Builds a Result/Event payload from a message's optional Args (or transparent payload) and Kwargs. */
export function payloadOf(args: Args | Uint8Array | undefined, kwargs: Kwargs | undefined, details: Dict): Result {
  if (args instanceof Uint8Array) return { args: [], kwargs: {}, details, payload: args }
  return { args: args ?? [], kwargs: kwargs ?? {}, details }
}

/** Checks user input before anything is sent; throws InvalidArgumentError naming the problem. */
export function checkUri(what: string, uri: unknown, match: unknown = 'exact'): asserts uri is string {
  if (match !== undefined && match !== 'exact' && match !== 'prefix' && match !== 'wildcard') {
    throw new InvalidArgumentError(
      `${what}: match must be "exact", "prefix" or "wildcard", not ${JSON.stringify(match)}`,
    )
  }
  if (!isValidUri(uri, (match ?? 'exact') as MatchPolicy)) {
    throw new InvalidArgumentError(`${what}: ${JSON.stringify(uri)} is not a valid WAMP URI`)
  }
}

/** Checks args (a list, or absent) and kwargs (a dictionary, or absent); null counts as absent. */
export function checkPayload(what: string, args: unknown, kwargs: unknown): void {
  if (args != null && !Array.isArray(args)) {
    throw new InvalidArgumentError(`${what}: args must be an array, not ${typeName(args)}`)
  }
  if (kwargs != null && !isDict(kwargs)) {
    throw new InvalidArgumentError(`${what}: kwargs must be a plain object, not ${typeName(kwargs)}`)
  }
}

export function checkOptions(what: string, options: unknown): void {
  if (options !== undefined && !isDict(options)) {
    throw new InvalidArgumentError(`${what}: options must be a plain object, not ${typeName(options)}`)
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? (value.constructor?.name ?? 'an object') : `a ${typeof value}`
}

/** The RPCError an ERROR message stands for (CallTimeoutError for `wamp.error.timeout`). */
export function rpcErrorOf(message: ErrorMessage): RPCError {
  const [, , , details, uri, args, kwargs] = message
  if (uri === ErrorUri.timeout) return new CallTimeoutError(args ?? [], kwargs ?? {}, details)
  return new RPCError(uri, args ?? [], kwargs ?? {}, details)
}
