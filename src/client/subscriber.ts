import { InvalidArgumentError } from '../protocol/errors.js'
import { routerHasFeature } from '../protocol/features.js'
import { MessageType } from '../protocol/message-types.js'
import type { Dict, EventMessage } from '../protocol/messages.js'
import { subscribeOptionsProblem } from '../protocol/pubsub-options.js'
import { checkOptions, checkUri, payloadOf } from './payload.js'
import { RevocationListeners } from './revocation.js'
import { allSucceeded, type HandlerOutcome, runHandler } from './run-handler.js'
import type { SessionPort } from './session-port.js'
import type { Event, EventHandler, SubscribeOptions, Subscription } from './types.js'

/** One router subscription and the local handlers that share it. */
interface RouterSubscription {
  id: number
  topic: string
  keys: Set<string>
  handlers: Set<{ handler: EventHandler }>
  revoked: RevocationListeners
}

/** The subscriber role: one SUBSCRIBE per (topic, options), reference-counted local handlers. */
export class Subscriber {
  private readonly byId = new Map<number, RouterSubscription>()
  private readonly byKey = new Map<string, RouterSubscription | Promise<RouterSubscription>>()

  constructor(private readonly port: SessionPort) {}

  get count(): number {
    return this.byId.size
  }

  async subscribe(topic: string, handler: EventHandler, options: SubscribeOptions = {}): Promise<Subscription> {
    const what = `subscribe to ${topic}`
    checkOptions(what, options)
    checkUri('subscribe', topic, options.match)
    // The spec's rule for SUBSCRIBE.Options, shared with our router (which calls it a violation).
    const problem = subscribeOptionsProblem(options)
    if (problem) throw new InvalidArgumentError(`${what}: ${problem}`)
    if (typeof handler !== 'function') throw new InvalidArgumentError(`${what}: the handler must be a function`)
    this.port.assertOpen(what)
    const key = subscriptionKey(topic, options)
    const slot = { handler }
    let subscription: RouterSubscription
    do {
      this.port.assertOpen(what)
      let entry = this.byKey.get(key)
      if (!entry) {
        // The first handler is in place as soon as SUBSCRIBED arrives, before any EVENT read with it.
        entry = this.sendSubscribe(topic, options, key, slot)
        this.byKey.set(key, entry)
      }
      subscription = await entry
      // Another handle may have released it while we waited; then subscribe afresh.
    } while (this.byId.get(subscription.id) !== subscription)
    subscription.handlers.add(slot)
    let active = true
    return {
      id: subscription.id,
      topic,
      unsubscribe: async () => {
        if (!active) return
        active = false
        subscription.handlers.delete(slot)
        if (subscription.handlers.size === 0) await this.remove(subscription)
      },
      onRevoked: (listener) => subscription.revoked.add(listener),
    }
  }

  private sendSubscribe(
    topic: string,
    options: SubscribeOptions,
    key: string,
    first: { handler: EventHandler },
  ): Promise<RouterSubscription> {
    const message = [MessageType.SUBSCRIBE, this.port.nextId(), options as Dict, topic]
    return this.port
      .request(message, `subscribe to ${topic}`, {
        accept: (reply) => {
          const id = reply[2] as number
          // Two option sets can map to one router subscription: share it.
          const subscription = this.byId.get(id) ?? {
            id,
            topic,
            keys: new Set<string>(),
            handlers: new Set(),
            revoked: new RevocationListeners(),
          }
          subscription.keys.add(key)
          subscription.handlers.add(first)
          this.byId.set(id, subscription)
          this.byKey.set(key, subscription)
          return subscription
        },
        late: (late) => this.undo(late[2] as number),
      })
      .catch((error: unknown) => {
        this.byKey.delete(key)
        throw error
      })
  }

  /** A SUBSCRIBED that came after the request timed out: nobody wants it. */
  private undo(id: number): void {
    if (this.byId.has(id) || !this.port.isOpen()) return
    this.port.request([MessageType.UNSUBSCRIBE, this.port.nextId(), id], 'unsubscribe').catch(() => {})
  }

  private async remove(subscription: RouterSubscription): Promise<void> {
    // Forget it before UNSUBSCRIBE goes out, so a new subscribe of the same key starts afresh.
    this.forget(subscription)
    if (!this.port.isOpen()) return
    await this.port.request(
      [MessageType.UNSUBSCRIBE, this.port.nextId(), subscription.id],
      `unsubscribe from ${subscription.topic}`,
    )
  }

  private forget(subscription: RouterSubscription): void {
    this.byId.delete(subscription.id)
    for (const key of subscription.keys) this.byKey.delete(key)
  }

  async unsubscribeTopic(topic: string): Promise<void> {
    const matching = [...this.byId.values()].filter((s) => s.topic === topic)
    if (matching.length === 0) throw new InvalidArgumentError(`unsubscribe: not subscribed to ${topic}`)
    await Promise.all(
      matching.map((subscription) => {
        subscription.handlers.clear()
        return this.remove(subscription)
      }),
    )
  }

  subscriptionId(topic: string): number | undefined {
    for (const subscription of this.byId.values()) if (subscription.topic === topic) return subscription.id
    return undefined
  }

  onEvent(message: EventMessage): void {
    const [, subscriptionId, publication, details, args, kwargs] = message
    const subscription = this.byId.get(subscriptionId)
    if (!subscription) {
      this.port.logger.debug(`dropping an EVENT for unknown subscription ${subscriptionId}`)
      return
    }
    const payload = payloadOf(args, kwargs, details)
    const event: Event = {
      args: payload.args,
      kwargs: payload.kwargs,
      details,
      topic: typeof details.topic === 'string' ? details.topic : subscription.topic,
      subscription: subscriptionId,
      publication,
    }
    if (payload.payload) event.payload = payload.payload
    const outcomes: HandlerOutcome[] = []
    for (const { handler } of subscription.handlers) {
      outcomes.push(runHandler(handler, event, (error) => this.handlerFailed(subscription, error)))
    }
    if (details.x_acknowledged_delivery === true) this.acknowledge(publication, allSucceeded(outcomes))
  }

  /**
   * Acknowledged event delivery (Autobahn's `x_acknowledged_event_delivery`): once every handler has
   * succeeded (a returned promise resolved), EVENT_RECEIVED tells the broker, if it announced the
   * feature. A failed handler sends nothing, as in Autobahn|Python.
   */
  private acknowledge(publication: number, outcome: HandlerOutcome): void {
    if (!routerHasFeature(this.port.routerDetails, 'broker', 'x_acknowledged_event_delivery')) return
    const send = (ok: boolean) => {
      if (!ok || !this.port.isOpen()) return
      try {
        this.port.send([MessageType.EVENT_RECEIVED, publication])
      } catch (error) {
        this.port.logger.debug(`EVENT_RECEIVED for publication ${publication} not sent`, error)
      }
    }
    if (typeof outcome === 'boolean') send(outcome)
    else void outcome.then(send)
  }

  private handlerFailed(subscription: RouterSubscription, error: unknown): void {
    this.port.logger.error(`an event handler of ${subscription.topic} threw`, error)
  }

  /** The router ended a subscription on its own (UNSUBSCRIBED with request 0). */
  onRevoked(details: Dict): void {
    const subscription = this.byId.get(details.subscription as number)
    if (!subscription) return
    this.forget(subscription)
    subscription.revoked.fire(details, (error) =>
      this.port.logger.error(`a revocation listener of ${subscription.topic} threw`, error),
    )
  }

  end(): void {
    this.byId.clear()
    this.byKey.clear()
  }
}

/** Same topic and same options (in any key order) share a router subscription. */
function subscriptionKey(topic: string, options: Dict): string {
  const keys = Object.keys(options).sort()
  return keys.length === 0 ? topic : `${topic}\u0000${JSON.stringify(keys.map((key) => [key, options[key]]))}`
}
