import { isId } from '../protocol/ids.js'
import type { Dict } from '../protocol/messages.js'
import type { Peer } from './peer.js'

/** Decides, for one publication, which subscribers get the event. */
export type PublishFilter = (subscriber: Peer) => boolean

const idLists = ['exclude', 'eligible'] as const
const stringLists = ['exclude_authid', 'exclude_authrole', 'eligible_authid', 'eligible_authrole'] as const

/**
 * Builds the filter of PUBLISH.Options (publisher exclusion and subscriber black- and
 * whitelisting): a subscriber gets the event only when every `eligible*` list present names
 * it and no `exclude*` list does; the publisher itself only with `exclude_me: false`.
 * Returns a description of the problem when an option is malformed.
 */
export function publishFilter(options: Dict, publisher: Peer): PublishFilter | string {
  for (const key of idLists) {
    const list = options[key]
    if (list !== undefined && !(Array.isArray(list) && list.every(isId))) return `${key} must be a list of session IDs`
  }
  for (const key of stringLists) {
    const list = options[key]
    if (list !== undefined && !(Array.isArray(list) && list.every((item) => typeof item === 'string'))) {
      return `${key} must be a list of strings`
    }
  }
  if (options.exclude_me !== undefined && typeof options.exclude_me !== 'boolean') return 'exclude_me must be a boolean'
  const set = (key: string) => (options[key] === undefined ? undefined : new Set(options[key] as unknown[]))
  const exclude = set('exclude')
  const eligible = set('eligible')
  const excludeAuthid = set('exclude_authid')
  const excludeAuthrole = set('exclude_authrole')
  const eligibleAuthid = set('eligible_authid')
  const eligibleAuthrole = set('eligible_authrole')
  const excludeMe = options.exclude_me !== false
  return (subscriber) =>
    !(excludeMe && subscriber === publisher) &&
    !exclude?.has(subscriber.id) &&
    !excludeAuthid?.has(subscriber.authid) &&
    !excludeAuthrole?.has(subscriber.authrole) &&
    (eligible?.has(subscriber.id) ?? true) &&
    (eligibleAuthid?.has(subscriber.authid) ?? true) &&
    (eligibleAuthrole?.has(subscriber.authrole) ?? true)
}
