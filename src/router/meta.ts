import { CloseReason, ErrorUri } from '../protocol/error-uris.js'
import { RPCError } from '../protocol/errors.js'
import type { Args, Kwargs } from '../protocol/messages.js'
import { isValidUri } from '../protocol/uri.js'
import type { Broker, Subscription } from './broker.js'
import type { Dealer } from './dealer.js'
import { type MetaSource, patternMeta, REGISTRATION_META, SUBSCRIPTION_META } from './pattern-meta.js'
import type { Peer } from './peer.js'
import type { Registration, Registrations } from './registrations.js'

const NO_SUCH_SESSION = 'wamp.error.no_such_session'

/**
 * The session meta API of one realm: the events `wamp.session.on_join` / `on_leave` and the
 * procedures `wamp.session.count`, `list`, `get`, `kill`, `kill_by_authid`, `kill_by_authrole`
 * and `kill_all`; and, as Crossbar.io has them, `wamp.subscription.remove_subscriber` and
 * `wamp.registration.remove_callee` (args: the subscription or registration ID, the session ID;
 * kwargs: `reason`), which revoke one session's subscription or registration. With them the
 * subscription and registration meta APIs (pattern-meta.ts).
 */
export class SessionMeta {
  constructor(
    private readonly sessions: ReadonlyMap<number, Peer>,
    private readonly broker: Broker,
    dealer: Dealer,
  ) {
    dealer.provide('wamp.subscription.remove_subscriber', (_caller, args, kwargs) => {
      const target = this.find(args[1])
      if (!broker.revoke(target, args[0] as number, reasonOf(kwargs))) throw noSuch('subscription', args[0])
      return undefined
    })
    dealer.provide('wamp.registration.remove_callee', (_caller, args, kwargs) => {
      const target = this.find(args[1])
      if (!dealer.revoke(target, args[0] as number, reasonOf(kwargs))) throw noSuch('registration', args[0])
      return undefined
    })
    const provide = dealer.provide.bind(dealer)
    const publish = (topic: string, args: Args) => broker.publishEvent(topic, args)
    broker.lifecycle = patternMeta(SUBSCRIPTION_META, subscriptionSource(broker), provide, publish)
    dealer.registrations.lifecycle = patternMeta(
      REGISTRATION_META,
      registrationSource(dealer.registrations),
      provide,
      publish,
    )
    dealer.provide('wamp.session.count', (_caller, args) => ({ args: [this.filtered(args).length] }))
    dealer.provide('wamp.session.list', (_caller, args) => ({ args: [this.filtered(args).map((peer) => peer.id)] }))
    dealer.provide('wamp.session.get', (_caller, args) => ({ args: [this.find(args[0]).details] }))
    dealer.provide('wamp.session.kill', (caller, args, kwargs) => {
      const target = this.find(args[0], caller)
      this.kill([target], kwargs)
      return undefined
    })
    dealer.provide('wamp.session.kill_by_authid', (caller, args, kwargs) => {
      const authid = stringArg(args[0], 'authid')
      return {
        args: [
          this.kill(
            this.others(caller, (peer) => peer.authid === authid),
            kwargs,
          ),
        ],
      }
    })
    dealer.provide('wamp.session.kill_by_authrole', (caller, args, kwargs) => {
      const authrole = stringArg(args[0], 'authrole')
      return {
        args: [
          this.kill(
            this.others(caller, (peer) => peer.authrole === authrole),
            kwargs,
          ).length,
        ],
      }
    })
    dealer.provide('wamp.session.kill_all', (caller, _args, kwargs) => ({
      args: [
        this.kill(
          this.others(caller, () => true),
          kwargs,
        ).length,
      ],
    }))
  }

  joined(peer: Peer): void {
    this.broker.publishEvent('wamp.session.on_join', [peer.details])
  }

  left(peer: Peer): void {
    this.broker.publishEvent('wamp.session.on_leave', [peer.id, peer.authid, peer.authrole])
  }

  /** Sessions, optionally only those whose authrole is in the list given as the first argument. */
  private filtered(args: Args): Peer[] {
    const all = [...this.sessions.values()]
    const roles = args[0]
    if (roles === undefined || roles === null) return all
    if (!Array.isArray(roles)) throw new RPCError(ErrorUri.invalidArgument, ['the filter must be a list of authroles'])
    return all.filter((peer) => roles.includes(peer.authrole))
  }

  /** The session with this ID; a caller may not name itself where it means "another session". */
  private find(id: unknown, caller?: Peer): Peer {
    const peer = typeof id === 'number' ? this.sessions.get(id) : undefined
    if (!peer || peer === caller) throw new RPCError(NO_SUCH_SESSION, [`no session ${String(id)}`])
    return peer
  }

  private others(caller: Peer, keep: (peer: Peer) => boolean): Peer[] {
    return [...this.sessions.values()].filter((peer) => peer !== caller && keep(peer))
  }

  /** Ends the sessions with GOODBYE (kwargs `reason`, default `wamp.close.killed`, and `message`). */
  private kill(targets: Peer[], kwargs: Kwargs): number[] {
    const { reason = CloseReason.killed, message } = kwargs
    if (typeof reason !== 'string' || !isValidUri(reason)) {
      throw new RPCError(ErrorUri.invalidUri, ['reason must be a valid URI'])
    }
    if (message !== undefined && typeof message !== 'string') {
      throw new RPCError(ErrorUri.invalidArgument, ['message must be a string'])
    }
    for (const peer of targets) peer.goodbye(reason, message)
    return targets.map((peer) => peer.id)
  }
}

function stringArg(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new RPCError(ErrorUri.invalidArgument, [`${name} must be a string`])
  return value
}

function reasonOf(kwargs: Kwargs | undefined): string | undefined {
  return typeof kwargs?.reason === 'string' ? kwargs.reason : undefined
}

function noSuch(what: 'subscription' | 'registration', id: unknown): RPCError {
  const uri = what === 'subscription' ? ErrorUri.noSuchSubscription : ErrorUri.noSuchRegistration
  return new RPCError(uri, [`no ${what} ${String(id)} of that session`])
}

function subscriptionSource(broker: Broker): MetaSource<Subscription> {
  return {
    table: broker.table,
    byId: broker.byId,
    members: (subscription) => [...subscription.subscribers].map((peer) => peer.id),
    describe: ({ id, created, topic, match }) => ({ id, created, uri: topic, match }),
  }
}

function registrationSource(registrations: Registrations): MetaSource<Registration> {
  return {
    table: registrations.table,
    byId: registrations.byId,
    members: (registration) => registration.callees.map((callee) => callee.peer.id),
    describe: ({ id, created, procedure, match, invoke }) => ({ id, created, uri: procedure, match, invoke }),
  }
}
