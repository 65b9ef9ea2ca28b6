import type { RequestIds } from '../protocol/ids.js'
import { MessageType } from '../protocol/message-types.js'
import type {
  AbortMessage,
  AuthenticateMessage,
  ClientToRouterMessage,
  GoodbyeMessage,
  HelloMessage,
} from '../protocol/messages.js'
import { Broker } from './broker.js'
import type { RealmOptions } from './config.js'
import { Dealer } from './dealer.js'
import { provideEventHistory } from './history-meta.js'
import { SessionMeta } from './meta.js'
import type { Peer } from './peer.js'

/** The session-level messages a realm routes (everything but HELLO, WELCOME, ABORT, GOODBYE, auth). */
export type RealmMessage = Exclude<
  ClientToRouterMessage,
  HelloMessage | AbortMessage | AuthenticateMessage | GoodbyeMessage
>

/** One realm: its sessions, broker, dealer and meta API. */
export class Realm {
  private readonly sessions = new Map<number, Peer>()
  private readonly broker: Broker
  private readonly dealer: Dealer
  private readonly meta: SessionMeta

  constructor(
    readonly name: string,
    readonly options: RealmOptions,
    ids: { subscriptions: RequestIds; registrations: RequestIds },
  ) {
    const allowDisclose = options.allowDisclose !== false
    this.broker = new Broker(ids.subscriptions, allowDisclose, options.eventHistory)
    this.dealer = new Dealer(ids.registrations, allowDisclose)
    provideEventHistory(this.dealer, this.broker)
    this.meta = new SessionMeta(this.sessions, this.broker, this.dealer)
  }

  /** True when a session of this realm has the ID. */
  has(id: number): boolean {
    return this.sessions.has(id)
  }

  join(peer: Peer): void {
    this.sessions.set(peer.id, peer)
    this.meta.joined(peer)
  }

  /** The session is gone: end its calls and invocations, drop its subscriptions and registrations. */
  leave(peer: Peer): void {
    if (this.sessions.get(peer.id) !== peer) return
    this.sessions.delete(peer.id)
    this.dealer.leave(peer)
    this.broker.leave(peer)
    this.meta.left(peer)
  }

  /** Routes one message of a joined session; throws ProtocolViolationError for a violation. */
  handle(peer: Peer, message: RealmMessage): void {
    switch (message[0]) {
      case MessageType.PUBLISH:
        this.broker.publish(peer, message)
        break
      case MessageType.SUBSCRIBE:
        this.broker.subscribe(peer, message)
        break
      case MessageType.UNSUBSCRIBE:
        this.broker.unsubscribe(peer, message)
        break
      case MessageType.CALL:
        this.dealer.call(peer, message)
        break
      case MessageType.CANCEL:
        this.dealer.cancel(peer, message)
        break
      case MessageType.REGISTER:
        this.dealer.register(peer, message)
        break
      case MessageType.UNREGISTER:
        this.dealer.unregister(peer, message)
        break
      case MessageType.YIELD:
        this.dealer.yield(peer, message)
        break
      case MessageType.ERROR:
        this.dealer.calleeError(peer, message)
        break
    }
  }
}
