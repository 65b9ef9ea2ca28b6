const loose = /^([^\s.#]+\.)*([^\s.#]+)$/
const looseEmpty = /^(([^\s.#]+\.)|\.)*([^\s.#]+)?$/
const strict = /^([0-9a-z_]+\.)*([0-9a-z_]+)$/
const strictEmpty = /^(([0-9a-z_]+\.)|\.)*([0-9a-z_]+)?$/

/** How a subscription or registration URI is matched. */
export type MatchPolicy = 'exact' | 'prefix' | 'wildcard'

/**
 * Checks a URI by the spec's rules: loose (the default) or strict. Patterns used with
 * `match: 'wildcard'` may have empty components, and `prefix` patterns may end empty.
 */
export function isValidUri(uri: unknown, match: MatchPolicy = 'exact', strictRules = false): uri is string {
  if (typeof uri !== 'string') return false
  if (match === 'exact') return (strictRules ? strict : loose).test(uri)
  if (match === 'prefix' && uri.length > 0 && !uri.endsWith('.')) return (strictRules ? strict : loose).test(uri)
  return (strictRules ? strictEmpty : looseEmpty).test(uri)
}
