import { ErrorUri } from '../protocol/error-uris.js'
import { type RequestIds, randomId } from '../protocol/ids.js'
import { MessageType } from '../protocol/message-types.js'
import {
  type Args,
  type Dict,
  type Kwargs,
  type Payload,
  type PublishMessage,
  payloadDetails,
  type SubscribeMessage,
  type UnsubscribeMessage,
  withPayload,
} from '../protocol/messages.js'
import { isValidUri, type MatchPolicy } from '../protocol/uri.js'
import { jsonSerializer } from '../serializers/json.js'
import { type EventHistoryConfig, EventLog } from './event-log.js'
import { matchPolicy, PatternTable } from './matching.js'
import type { EntryLifecycle } from './pattern-meta.js'
import { DISCLOSE_DISALLOWED, errorReply, isReserved, type Peer } from './peer.js'
import { type PublishFilter, publishFilter } from './publish-filter.js'

/** One router subscription: every session subscribed to the same topic with the same policy shares it. */
export interface Subscription {
  id: number
  topic: string
  match: MatchPolicy
  subscribers: Set<Peer>
  /** When it was created (ISO 8601), for the meta API. */
  created: string
  /** Set for subscriptions the realm keeps a history of; such a subscription outlives its subscribers. */
  history?: EventLog
}

/** The last event published with `retain: true` to a topic. */
interface Retained {
  publication: number
  details: Dict
  args?: Payload
  kwargs?: Kwargs
}

/** Publication options whose filter names sessions: such events are neither stored nor retained (the spec's rule). */
const sessionFilters = [
  'exclude',
  'eligible',
  'exclude_authid',
  'exclude_authrole',
  'eligible_authid',
  'eligible_authrole',
]

const everyone: PublishFilter = () => true

/** The broker of one realm: SUBSCRIBE, UNSUBSCRIBE, PUBLISH → EVENT. */
export class Broker {
  /** The subscriptions by pattern and by ID (read by the subscription meta API). */
  readonly table = new PatternTable<Subscription>()
  readonly byId = new Map<number, Subscription>()
  /** Told of every subscription's life (the subscription meta API's events). */
  lifecycle: EntryLifecycle<Subscription> | undefined
  private readonly retained = new Map<string, Retained>()

  constructor(
    /** Router-scoped subscription IDs. */
    private readonly ids: RequestIds,
    private readonly allowDisclose: boolean,
    history: readonly EventHistoryConfig[] = [],
  ) {
    for (const { topic, match = 'exact', limit } of history) {
      const subscription = this.create(topic, match)
      subscription.history = new EventLog(limit)
    }
  }

  /** `wamp.subscription.get_events`: the history of a subscription; a string says why there is none. */
  historyOf(id: number): EventLog | 'no_such_subscription' | 'history_unavailable' {
    const subscription = this.byId.get(id)
    if (!subscription) return 'no_such_subscription'
    return subscription.history ?? 'history_unavailable'
  }

  subscribe(peer: Peer, [, request, options, topic]: SubscribeMessage): void {
    const match = matchPolicy(options.match)
    if (!match) {
      peer.send(
        errorReply(MessageType.SUBSCRIBE, request, ErrorUri.invalidArgument, 'match must be exact, prefix or wildcard'),
      )
      return
    }
    if (!isValidUri(topic, match)) {
      peer.send(
        errorReply(
          MessageType.SUBSCRIBE,
          request,
          ErrorUri.invalidUri,
          `${JSON.stringify(topic)} is not a valid topic`,
        ),
      )
      return
    }
    const existing = this.table.get(match, topic)
    const subscription = existing ?? this.create(topic, match)
    const joined = !subscription.subscribers.has(peer)
    subscription.subscribers.add(peer)
    peer.send([MessageType.SUBSCRIBED, request, subscription.id])
    if (options.get_retained === true) this.sendRetained(peer, subscription)
    if (!existing) this.lifecycle?.created(peer, subscription)
    if (joined) this.lifecycle?.joined(peer, subscription)
  }

  private create(topic: string, match: MatchPolicy): Subscription {
    const subscription: Subscription = {
      id: this.ids.next(),
      topic,
      match,
      subscribers: new Set(),
      created: new Date().toISOString(),
    }
    this.table.set(match, topic, subscription)
    this.byId.set(subscription.id, subscription)
    return subscription
  }
  /** The retained events of every topic the subscription matches, marked `retained: true`. */
  private sendRetained(peer: Peer, subscription: Subscription): void {
    for (const [topic, event] of this.retained) {
      if (!this.table.matchAll(topic).includes(subscription)) continue
      const details = { ...event.details, retained: true, ...(subscription.match === 'exact' ? {} : { topic }) }
      peer.send(withPayload([MessageType.EVENT, subscription.id, event.publication, details], event.args, event.kwargs))
    }
  }

  unsubscribe(peer: Peer, [, request, id]: UnsubscribeMessage): void {
    const subscription = this.byId.get(id)
    if (!subscription?.subscribers.has(peer)) {
      peer.send(errorReply(MessageType.UNSUBSCRIBE, request, ErrorUri.noSuchSubscription))
      return
    }
    this.remove(subscription, peer)
    peer.send([MessageType.UNSUBSCRIBED, request])
  }

  /**
   * Ends one session's subscription on the router's own initiative; false when it has none. A
   * subscriber that announced `subscription_revocation` is told (UNSUBSCRIBED with request 0).
   */
  revoke(peer: Peer, id: number, reason?: string): boolean {
    const subscription = this.byId.get(id)
    if (!subscription?.subscribers.has(peer)) return false
    this.remove(subscription, peer)
    if (!peer.supports('subscriber', 'subscription_revocation')) return true
    peer.send([MessageType.UNSUBSCRIBED, 0, { subscription: id, ...(reason === undefined ? {} : { reason }) }])
    return true
  }

  /** PUBLISH: refusals are answered only when the publisher asked for an acknowledgement. */
  publish(peer: Peer, [, request, options, topic, args, kwargs]: PublishMessage): void {
    const refuse = (uri: string, message: string) => {
      // Only an acknowledged publication hears why it went nowhere.
      if (options.acknowledge === true) peer.send(errorReply(MessageType.PUBLISH, request, uri, message))
    }
    if (!isValidUri(topic) || isReserved(topic)) {
      refuse(ErrorUri.invalidUri, `${JSON.stringify(topic)} is not a topic a client may publish to`)
      return
    }
    const disclose = options.disclose_me === true
    if (disclose && !this.allowDisclose) {
      refuse(DISCLOSE_DISALLOWED, 'this realm does not allow disclose_me')
      return
    }
    const filter = publishFilter(options, peer)
    if (typeof filter === 'string') {
      refuse(ErrorUri.invalidArgument, filter)
      return
    }
    const details: Dict = disclose
      ? { publisher: peer.id, publisher_authid: peer.authid, publisher_authrole: peer.authrole }
      : {}
    // A transparent payload travels with what describes it (enc_* or ppt_*).
    Object.assign(details, payloadDetails(options))
    const undeliverable = this.undeliverable(topic, filter, details, args, kwargs)
    if (undeliverable) {
      refuse(ErrorUri.invalidArgument, undeliverable)
      return
    }
    const publication = randomId()
    const keep = !sessionFilters.some((key) => options[key] !== undefined)
    if (options.retain === true && keep) this.retained.set(topic, { publication, details, args, kwargs })
    this.deliver(topic, publication, details, filter, args, kwargs, keep)
    if (options.acknowledge === true) peer.send([MessageType.PUBLISHED, request, publication])
  }

  /** An event from the router itself (meta events), to every subscriber. */
  publishEvent(topic: string, args?: Args, kwargs?: Kwargs): void {
    this.deliver(topic, randomId(), {}, everyone, args, kwargs)
  }

  /** The session left the realm: drop its subscriptions. */
  leave(peer: Peer): void {
    for (const subscription of [...this.byId.values()]) {
      if (subscription.subscribers.has(peer)) this.remove(subscription, peer)
    }
  }

  /**
   * Why a JSON subscriber could not receive this event (a MsgPack publisher's NaN, or a string that
   * starts with U+0000), if one of the recipients speaks JSON: the publication is then refused as a
   * whole rather than acknowledged and silently not delivered. MsgPack carries whatever JSON decodes.
   */
  private undeliverable(
    topic: string,
    filter: PublishFilter,
    details: Dict,
    args?: Payload,
    kwargs?: Kwargs,
  ): string | undefined {
    const json = this.table
      .matchAll(topic)
      .some((subscription) => [...subscription.subscribers].some((s) => s.serialization === 'json' && filter(s)))
    if (!json) return undefined
    try {
      jsonSerializer.encode(withPayload([MessageType.EVENT, 1, 1, details], args, kwargs))
      return undefined
    } catch (error) {
      return `a JSON subscriber cannot receive this event: ${(error as Error).message}`
    }
  }

  private deliver(
    topic: string,
    publication: number,
    details: Dict,
    filter: PublishFilter,
    args?: Payload,
    kwargs?: Kwargs,
    store = true,
  ): void {
    for (const subscription of this.table.matchAll(topic)) {
      // A pattern subscriber learns which topic matched.
      const eventDetails = subscription.match === 'exact' ? details : { ...details, topic }
      const event = withPayload([MessageType.EVENT, subscription.id, publication, eventDetails], args, kwargs)
      for (const subscriber of subscription.subscribers) {
        if (filter(subscriber)) subscriber.send(event)
      }
      if (store && subscription.history) {
        const timestamp = new Date().toISOString()
        subscription.history.add({
          timestamp,
          subscription: subscription.id,
          publication,
          details: eventDetails,
          args,
          kwargs,
        })
      }
    }
  }

  private remove(subscription: Subscription, peer: Peer): void {
    subscription.subscribers.delete(peer)
    this.lifecycle?.left(peer, subscription)
    if (subscription.subscribers.size > 0 || subscription.history) return
    this.byId.delete(subscription.id)
    this.table.delete(subscription.match, subscription.topic)
    this.lifecycle?.deleted(peer, subscription)
  }
}
