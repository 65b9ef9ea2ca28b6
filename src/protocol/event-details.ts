import { ProtocolViolationError } from './errors.js'
import { isId } from './ids.js'
import type { Dict } from './messages.js'

const isString = (v: unknown) => typeof v === 'string'
const isBoolean = (v: unknown) => typeof v === 'boolean'
const isDictLike = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v)
const oneOf = (values: string[]) => {
  const allowed = new Set(values)
  return [(v: unknown) => typeof v === 'string' && allowed.has(v), `one of ${values.join(', ')}`] as const
}

/**
 * Standard EVENT.Details fields and what each must be (the spec's test vectors make a wrongly
 * typed one a protocol violation). `enc_*` are Autobahn's transparent-payload fields, `ppt_*` the RFC's.
 */
const rules = new Map<string, readonly [(v: unknown) => boolean, string]>([
  ['publisher', [isId, 'a session ID']],
  ['publisher_authid', [isString, 'a string']],
  ['publisher_authrole', [isString, 'a string']],
  ['topic', [isString, 'a URI string']],
  ['retained', [isBoolean, 'a boolean']],
  ['transaction_hash', [isString, 'a string']],
  ['x_acknowledged_delivery', [isBoolean, 'a boolean']],
  ['forward_for', [(v) => Array.isArray(v) && v.every(isDictLike), 'a list of dictionaries']],
  ['enc_algo', oneOf(['null', 'cryptobox', 'mqtt', 'xbr'])],
  ['enc_serializer', oneOf(['null', 'json', 'msgpack', 'cbor', 'ubjson', 'opaque', 'flatbuffers'])],
  ['enc_key', [isString, 'a string']],
  ['ppt_scheme', [isString, 'a string']],
  ['ppt_serializer', [isString, 'a string']],
  ['ppt_cipher', [isString, 'a string']],
  ['ppt_keyid', [isString, 'a string']],
])

/** Throws ProtocolViolationError naming the first standard EVENT.Details field of the wrong type. */
export function checkEventDetails(details: Dict): void {
  for (const field in details) {
    const rule = rules.get(field)
    if (rule && !rule[0](details[field])) {
      throw new ProtocolViolationError(`EVENT: Details.${field} must be ${rule[1]}`)
    }
  }
}
