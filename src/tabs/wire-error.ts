import { RPCError, WampError, type WampErrorCode } from '../protocol/errors.js'
import type { Dict } from '../protocol/messages.js'
import type { WireError } from './messages.js'

/** Flattens an error for the other side of the boundary (structured cloning keeps no class). */
export function toWireError(error: unknown): WireError {
  if (error instanceof RPCError) {
    return {
      name: error.name,
      message: error.message,
      code: error.code,
      uri: error.uri,
      args: error.args,
      kwargs: error.kwargs,
      details: error.details,
    }
  }
  if (error instanceof WampError) return { name: error.name, message: error.message, code: error.code }
  if (error instanceof Error) return { name: error.name, message: error.message }
  return { name: 'Error', message: String(error) }
}

/** Rebuilds an error: an RPCError when it carries a URI, a WampError with its code, else an Error. */
export function fromWireError(wire: WireError): Error {
  if (wire.uri !== undefined) return new RPCError(wire.uri, wire.args ?? [], wire.kwargs ?? {}, wire.details ?? {})
  const error = wire.code ? new WampError(wire.code as WampErrorCode, wire.message) : new Error(wire.message)
  error.name = wire.name
  return error
}

/** Drops `undefined` fields, so a snapshot compares equal after a round trip. */
export function defined<T extends Dict>(value: T): T {
  const out: Dict = {}
  for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = field
  return out as T
}
