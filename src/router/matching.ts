import type { MatchPolicy } from '../protocol/uri.js'

/** The match policy an options dictionary asks for; undefined when it names none of the three. */
export function matchPolicy(value: unknown): MatchPolicy | undefined {
  if (value === undefined) return 'exact'
  return value === 'exact' || value === 'prefix' || value === 'wildcard' ? value : undefined
}

/** True when a wildcard pattern (empty components match any one component) matches the URI. */
export function wildcardMatches(pattern: string, uri: string): boolean {
  const want = pattern.split('.')
  const have = uri.split('.')
  if (want.length !== have.length) return false
  return want.every((part, i) => part === '' || part === have[i])
}

/**
 * Subscriptions or registrations keyed by (match policy, URI), looked up by the URI of a
 * publication or call.
 */
export class PatternTable<T> {
  private readonly tables: Record<MatchPolicy, Map<string, T>> = {
    exact: new Map(),
    prefix: new Map(),
    wildcard: new Map(),
  }

  get(match: MatchPolicy, uri: string): T | undefined {
    return this.tables[match].get(uri)
  }

  set(match: MatchPolicy, uri: string, value: T): void {
    this.tables[match].set(uri, value)
  }

  delete(match: MatchPolicy, uri: string): void {
    this.tables[match].delete(uri)
  }

  /** Every entry whose pattern matches the URI (a broker delivers to all of them). */
  matchAll(uri: string): T[] {
    const out: T[] = []
    const exact = this.tables.exact.get(uri)
    if (exact !== undefined) out.push(exact)
    for (const [prefix, value] of this.tables.prefix) if (uri.startsWith(prefix)) out.push(value)
    for (const [pattern, value] of this.tables.wildcard) if (wildcardMatches(pattern, uri)) out.push(value)
    return out
  }

  /**
   * The one entry a call goes to, by the spec's precedence: the exact match, else the longest
   * prefix, else the wildcard pattern with the longest runs of components before its wildcards.
   */
  best(uri: string): T | undefined {
    const exact = this.tables.exact.get(uri)
    if (exact !== undefined) return exact
    let bestPrefix: string | undefined
    for (const prefix of this.tables.prefix.keys()) {
      if (uri.startsWith(prefix) && (bestPrefix === undefined || prefix.length > bestPrefix.length)) bestPrefix = prefix
    }
    if (bestPrefix !== undefined) return this.tables.prefix.get(bestPrefix)
    let bestPattern: string | undefined
    for (const pattern of this.tables.wildcard.keys()) {
      if (!wildcardMatches(pattern, uri)) continue
      if (bestPattern === undefined || compareWildcards(pattern, bestPattern) > 0) bestPattern = pattern
    }
    return bestPattern === undefined ? undefined : this.tables.wildcard.get(bestPattern)
  }
}

/**
 * Orders two wildcard patterns of the same length: the one whose first run of concrete
 * components is longer wins; on a tie, the next run decides (`a1.b2.c3..e5` beats `a1.b2..d4.e5`).
 */
function compareWildcards(a: string, b: string): number {
  const runsA = concreteRuns(a)
  const runsB = concreteRuns(b)
  for (let i = 0; i < Math.max(runsA.length, runsB.length); i++) {
    const diff = (runsA[i] ?? 0) - (runsB[i] ?? 0)
    if (diff !== 0) return diff
  }
  return a < b ? 1 : a > b ? -1 : 0
}

/** Lengths of the runs of concrete components between wildcards: `a.b..d` → [2, 1]. */
function concreteRuns(pattern: string): number[] {
  const runs = [0]
  for (const part of pattern.split('.')) {
    if (part === '') runs.push(0)
    else runs[runs.length - 1]! += 1
  }
  return runs
}
