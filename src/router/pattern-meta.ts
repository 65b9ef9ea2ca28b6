import { ErrorUri } from '../protocol/error-uris.js'
import { RPCError } from '../protocol/errors.js'
import type { Args, Dict, Kwargs } from '../protocol/messages.js'
import type { MatchPolicy } from '../protocol/uri.js'
import type { BuiltinProcedure } from './dealer.js'
import { matchPolicy, type PatternTable } from './matching.js'
import type { Peer } from './peer.js'

/** A subscription or a registration as the meta API sees it. */
export interface MetaEntry {
  id: number
  match: MatchPolicy
  /** When it was created (ISO 8601). */
  created: string
}

/** Told of every step of an entry's life: the meta API's four events. */
export interface EntryLifecycle<T> {
  created(peer: Peer, entry: T): void
  joined(peer: Peer, entry: T): void
  left(peer: Peer, entry: T): void
  deleted(peer: Peer, entry: T): void
}

/** What one kind of entry (subscriptions, registrations) gives the meta API to read. */
export interface MetaSource<T extends MetaEntry> {
  table: PatternTable<T>
  byId: ReadonlyMap<number, T>
  /** The sessions holding the entry: subscribers or callees. */
  members(entry: T): number[]
  /** The entry as `get` and `on_create` describe it. */
  describe(entry: T): Dict
}

/** How the subscription and the registration meta APIs differ (names, and what `match` returns). */
interface Vocabulary {
  prefix: 'wamp.subscription' | 'wamp.registration'
  kind: 'subscription' | 'registration'
  members: 'subscribers' | 'callees'
  join: 'on_subscribe' | 'on_register'
  leave: 'on_unsubscribe' | 'on_unregister'
  /** A broker matches every subscription of a topic; a dealer routes a call to one registration. */
  matchesOne: boolean
}

export const SUBSCRIPTION_META: Vocabulary = {
  prefix: 'wamp.subscription',
  kind: 'subscription',
  members: 'subscribers',
  join: 'on_subscribe',
  leave: 'on_unsubscribe',
  matchesOne: false,
}

export const REGISTRATION_META: Vocabulary = {
  prefix: 'wamp.registration',
  kind: 'registration',
  members: 'callees',
  join: 'on_register',
  leave: 'on_unregister',
  matchesOne: true,
}

/**
 * The subscription or registration meta API of one realm, as nexus and Crossbar.io have it:
 * procedures `list`, `lookup`, `match`, `get`, `list_<members>`, `count_<members>`, and events
 * `on_create`, `on_subscribe`/`on_register`, `on_unsubscribe`/`on_unregister`, `on_delete` (each
 * with the session that caused it; `on_delete` always after the last leave).
 */
export function patternMeta<T extends MetaEntry>(
  words: Vocabulary,
  source: MetaSource<T>,
  provide: (procedure: string, handler: BuiltinProcedure) => void,
  publish: (topic: string, args: Args) => void,
): EntryLifecycle<T> {
  const { prefix } = words
  const find = (id: unknown): T => {
    const entry = typeof id === 'number' ? source.byId.get(id) : undefined
    if (!entry) {
      const uri = words.kind === 'subscription' ? ErrorUri.noSuchSubscription : ErrorUri.noSuchRegistration
      throw new RPCError(uri, [`no ${words.kind} ${String(id)}`])
    }
    return entry
  }
  const uriArgument = (args: Args): string => {
    if (typeof args[0] !== 'string') throw new RPCError(ErrorUri.invalidArgument, ['the first argument must be a URI'])
    return args[0]
  }
  const reply = (value: unknown) => ({ args: [value] })

  provide(`${prefix}.list`, () => {
    const ids: Record<MatchPolicy, number[]> = { exact: [], prefix: [], wildcard: [] }
    for (const entry of source.byId.values()) ids[entry.match].push(entry.id)
    return reply(ids)
  })
  provide(`${prefix}.lookup`, (_caller: Peer, args: Args) => {
    const options = (args[1] ?? {}) as Kwargs
    const match = matchPolicy(options.match)
    if (!match) throw new RPCError(ErrorUri.invalidArgument, ['match must be exact, prefix or wildcard'])
    return reply(source.table.get(match, uriArgument(args))?.id ?? null)
  })
  provide(`${prefix}.match`, (_caller: Peer, args: Args) => {
    const uri = uriArgument(args)
    if (words.matchesOne) return reply(source.table.best(uri)?.id ?? null)
    const ids = source.table.matchAll(uri).map((entry) => entry.id)
    return reply(ids.length > 0 ? ids : null)
  })
  provide(`${prefix}.get`, (_caller: Peer, args: Args) => reply(source.describe(find(args[0]))))
  provide(`${prefix}.list_${words.members}`, (_caller: Peer, args: Args) => reply(source.members(find(args[0]))))
  provide(`${prefix}.count_${words.members}`, (_caller: Peer, args: Args) =>
    reply(source.members(find(args[0])).length),
  )

  return {
    created: (peer, entry) => publish(`${prefix}.on_create`, [peer.id, source.describe(entry)]),
    joined: (peer, entry) => publish(`${prefix}.${words.join}`, [peer.id, entry.id]),
    left: (peer, entry) => publish(`${prefix}.${words.leave}`, [peer.id, entry.id]),
    deleted: (peer, entry) => publish(`${prefix}.on_delete`, [peer.id, entry.id]),
  }
}
