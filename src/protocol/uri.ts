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
  if (match === 'exact' && !strictRules) return isLooseUri(uri)
  if (match === 'exact') return strict.test(uri)
  if (match === 'prefix' && uri.length > 0 && !uri.endsWith('.')) return (strictRules ? strict : loose).test(uri)
  return (strictRules ? strictEmpty : looseEmpty).test(uri)
}

// Calls repeat a few URIs many times: remember the ones that passed, up to a bound.
const knownGood = new Set<string>()

function isLooseUri(uri: string): boolean {
  if (knownGood.has(uri)) return true
  if (!loose.test(uri)) return false
  if (knownGood.size >= 1024) knownGood.clear()
  knownGood.add(uri)
  return true
}
