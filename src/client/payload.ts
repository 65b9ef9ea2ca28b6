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

/**
 * Checks args (a list, or absent) and kwargs (a dictionary, or absent); null counts as absent.
 * With `bytes`, args may be a transparent payload (a Uint8Array), which stands alone.
 */
export function checkPayload(what: string, args: unknown, kwargs: unknown, bytes = false): void {
  if (bytes && args instanceof Uint8Array) {
    if (kwargs != null) throw new InvalidArgumentError(`${what}: a transparent payload (bytes as args) takes no kwargs`)
    return
  }
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
  const [, , , details, uri, payload, kwargs] = message
  // Autobahn's transparent payload: `error.payload`, with args [] (as Result.payload).
  const args = payload instanceof Uint8Array ? [] : (payload ?? [])
  const error =
    uri === ErrorUri.timeout
      ? new CallTimeoutError(args, kwargs ?? {}, details)
      : new RPCError(uri, args, kwargs ?? {}, details)
  if (payload instanceof Uint8Array) error.payload = payload
  return error
}
