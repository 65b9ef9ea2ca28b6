import { isId } from './ids.js'
import type { Dict } from './messages.js'

/** A check for one standard field and what the field must be, in words. */
export type FieldRule = readonly [(v: unknown) => boolean, string]

export const isString = (v: unknown) => typeof v === 'string'
export const isBoolean = (v: unknown) => typeof v === 'boolean'
const isDictLike = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v)
const listOf = (item: (v: unknown) => boolean) => (v: unknown) => Array.isArray(v) && v.every(item)

export const oneOf = (values: string[]): FieldRule => {
  const allowed = new Set(values)
  return [(v: unknown) => typeof v === 'string' && allowed.has(v), `one of ${values.join(', ')}`]
}

export const rule = {
  id: [isId, 'a session ID'] as FieldRule,
  string: [isString, 'a string'] as FieldRule,
  boolean: [isBoolean, 'a boolean'] as FieldRule,
  ids: [listOf(isId), 'a list of session IDs'] as FieldRule,
  strings: [listOf(isString), 'a list of strings'] as FieldRule,
  forwardFor: [listOf(isDictLike), 'a list of dictionaries'] as FieldRule,
}

/** Autobahn's transparent-payload fields and the RFC's `ppt_*`, in Options and Details alike. */
export const payloadRules: [string, FieldRule][] = [
  ['enc_algo', oneOf(['null', 'cryptobox', 'mqtt', 'xbr'])],
  ['enc_serializer', oneOf(['null', 'json', 'msgpack', 'cbor', 'ubjson', 'opaque', 'flatbuffers'])],
  ['enc_key', rule.string],
  ['ppt_scheme', rule.string],
  ['ppt_serializer', rule.string],
  ['ppt_cipher', rule.string],
  ['ppt_keyid', rule.string],
]

/** The first standard field of `dict` that breaks its rule, in words; undefined when none does. */
export function fieldProblem(rules: ReadonlyMap<string, FieldRule>, dict: Dict, where: string): string | undefined {
  for (const field in dict) {
    const fieldRule = rules.get(field)
    if (fieldRule && !fieldRule[0](dict[field])) return `${where}.${field} must be ${fieldRule[1]}`
  }
  return undefined
}
