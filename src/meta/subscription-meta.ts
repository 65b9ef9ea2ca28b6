import type { Event, Subscription } from '../client/types.js'
import { RPCError } from '../protocol/errors.js'
import type { Dict } from '../protocol/messages.js'
import type { MatchPolicy } from '../protocol/uri.js'
import {
  callMeta,
  firstDict,
  firstIdOrNone,
  firstNumber,
  type IdsByMatch,
  idArgument,
  idList,
  idsByMatch,
  isId,
  type LookupOptions,
  type MetaClient,
  type MetaReply,
  MetaReplyError,
  subscribeCreateEvent,
  subscribeIdEvent,
} from './shared.js'

/** A subscription as `wamp.subscription.get` and `on_create` describe it. */
export interface SubscriptionInfo {
  id: number
  /** When it was created, as the router writes it (ISO 8601). */
  created: string
  uri: string
  /** nexus sends `""` for exact subscriptions; given here as `exact`. */
  match: MatchPolicy
}

/** A session and the subscription a subscription meta event is about. */
export interface SubscriptionMetaEvent<T> {
  /**
   * The session that caused the event (the subscriber). Undefined when Crossbar.io 26 reports
   * the removal of a session that has left: it sends `null` then.
   */
  session: number | undefined
  subscription: T
}

/**
 * The IDs of all subscriptions, by match policy. Wraps `wamp.subscription.list`. Crossbar.io 26
 * always answers an empty `wildcard` list (its implementation is commented out); nexus lists the
 * event-history subscriptions it creates at start-up.
 */
export async function listSubscriptions(client: MetaClient): Promise<IdsByMatch> {
  return idsByMatch(await callMeta(client, 'wamp.subscription.list'))
}

/**
 * The subscription of exactly this topic URI and match policy, or undefined. Wraps
 * `wamp.subscription.lookup(topic, {match})` (nexus answers `0` for none, Crossbar.io `null`).
 * Use it to find an event-history subscription without subscribing.
 */
export async function lookupSubscription(
  client: MetaClient,
  topic: string,
  options: LookupOptions = {},
): Promise<number | undefined> {
  const args = options.match === undefined ? [topic] : [topic, { match: options.match }]
  return firstIdOrNone(await callMeta(client, 'wamp.subscription.lookup', args))
}

/**
 * Every subscription an event published to `topic` would reach (exact, prefix and wildcard).
 * Wraps `wamp.subscription.match(topic)` (`null` when none; given here as `[]`).
 */
export async function matchSubscriptions(client: MetaClient, topic: string): Promise<number[]> {
  const reply = await callMeta(client, 'wamp.subscription.match', [topic])
  return idList(reply, reply.args[0])
}

/**
 * One subscription's URI, match policy and creation time. Wraps `wamp.subscription.get(id)`;
 * an unknown ID rejects with RPCError `wamp.error.no_such_subscription`.
 */
export async function getSubscription(client: MetaClient, id: number): Promise<SubscriptionInfo> {
  const reply = await callMeta(client, 'wamp.subscription.get', [idArgument(id, 'the subscription')])
  return subscriptionInfo(reply, firstDict(reply))
}

/**
 * The session IDs of a subscription's subscribers. Wraps `wamp.subscription.list_subscribers(id)`;
 * an unknown ID rejects with `wamp.error.no_such_subscription`.
 */
export async function listSubscribers(client: MetaClient, id: number): Promise<number[]> {
  const reply = await callMeta(client, 'wamp.subscription.list_subscribers', [idArgument(id, 'the subscription')])
  return idList(reply, reply.args[0])
}

/**
 * How many sessions a subscription has. Wraps `wamp.subscription.count_subscribers(id)`.
 *
 * nexus (v3.3) registers this procedure misspelled, as `wamp.subscription.count_suscribers`, and
 * answers the standard name with `wamp.error.no_such_procedure`: then this tries nexus's name.
 * (nexus also answers an unknown ID with `wamp.error.no_such_session`, not `no_such_subscription`.)
 */
export async function countSubscribers(client: MetaClient, id: number): Promise<number> {
  const args = [idArgument(id, 'the subscription')]
  try {
    return firstNumber(await callMeta(client, 'wamp.subscription.count_subscribers', args))
  } catch (error) {
    if (!(error instanceof RPCError) || error.uri !== 'wamp.error.no_such_procedure') throw error
    try {
      return firstNumber(await callMeta(client, 'wamp.subscription.count_suscribers', args))
    } catch (fallbackError) {
      // Neither name exists: the router has no such procedure; report the standard one.
      if (fallbackError instanceof RPCError && fallbackError.uri === 'wamp.error.no_such_procedure') throw error
      throw fallbackError
    }
  }
}

/**
 * Calls `handler` when a subscription is created (its first subscriber subscribes); it comes before
 * that subscriber's `on_subscribe`. Subscribes to `wamp.subscription.on_create` (payload `[session, info]`).
 * Routers do not send subscription meta events to the session that caused them.
 */
export function onSubscriptionCreate(
  client: MetaClient,
  handler: (event: SubscriptionMetaEvent<SubscriptionInfo>, raw: Event) => unknown,
): Promise<Subscription> {
  return subscribeCreateEvent(client, 'wamp.subscription.on_create', 'subscription', subscriptionInfo, handler)
}

/**
 * Calls `handler` when a session is added to a subscription.
 * Subscribes to `wamp.subscription.on_subscribe` (payload `[session, subscription]`).
 */
export function onSubscriptionSubscribe(
  client: MetaClient,
  handler: (event: SubscriptionMetaEvent<number>, raw: Event) => unknown,
): Promise<Subscription> {
  return subscribeIdEvent(client, 'wamp.subscription.on_subscribe', 'subscription', handler)
}

/**
 * Calls `handler` when a session leaves a subscription (it unsubscribes or its session ends; nexus
 * 3.3 sends it only when the session unsubscribes). Subscribes to `wamp.subscription.on_unsubscribe` (payload `[session, subscription]`).
 */
export function onSubscriptionUnsubscribe(
  client: MetaClient,
  handler: (event: SubscriptionMetaEvent<number>, raw: Event) => unknown,
): Promise<Subscription> {
  return subscribeIdEvent(client, 'wamp.subscription.on_unsubscribe', 'subscription', handler)
}

/**
 * Calls `handler` when a subscription is deleted (its last subscriber left); it comes after that
 * subscriber's `on_unsubscribe` (except on nexus when the subscriber's session ended). Subscribes to `wamp.subscription.on_delete` (payload `[session, subscription]`).
 */
export function onSubscriptionDelete(
  client: MetaClient,
  handler: (event: SubscriptionMetaEvent<number>, raw: Event) => unknown,
): Promise<Subscription> {
  return subscribeIdEvent(client, 'wamp.subscription.on_delete', 'subscription', handler)
}

/** Normalizes nexus's empty `match` string to `exact`. */
function subscriptionInfo(reply: MetaReply, value: Dict): SubscriptionInfo {
  const { id, created, uri } = value
  const match = value.match === '' || value.match === undefined ? 'exact' : value.match
  if (!isId(id) || typeof uri !== 'string' || (match !== 'exact' && match !== 'prefix' && match !== 'wildcard')) {
    throw new MetaReplyError(reply.procedure, reply, 'expected subscription details {id, created, uri, match}')
  }
  return { id, created: typeof created === 'string' ? created : '', uri, match }
}
