import { CloseReason, ErrorUri } from '../protocol/error-uris.js'
import { ProtocolViolationError, RPCError } from '../protocol/errors.js'
import { RequestIds, randomId } from '../protocol/ids.js'
import { MessageType, messageName } from '../protocol/message-types.js'
import type { ClientToRouterMessage, Dict, HelloMessage } from '../protocol/messages.js'
import { isDict } from '../protocol/validate.js'
import type { Transport } from '../transports/transport.js'
import type { Identity, RouterLogger } from './config.js'
import { routerRoles } from './features.js'
import type { ClientRole, Peer } from './peer.js'
import type { Realm, RealmMessage } from './realm.js'
import { validateClientMessage } from './validate.js'

/** What a session needs from its router. */
export interface SessionHost {
  readonly logger: RouterLogger
  realm(name: string): Realm | undefined
  /** A fresh random session ID, unique in the router. */
  newSessionId(): number
}

/** How long the router waits for the echo of its GOODBYE before it closes the transport. */
const GOODBYE_WAIT_MS = 2000

const clientRoles: readonly ClientRole[] = ['caller', 'callee', 'publisher', 'subscriber']

type State = 'hello' | 'joining' | 'open' | 'closing' | 'closed'

interface ChallengeReply {
  resolve(reply: { signature: string; extra: Dict }): void
  reject(error: Error): void
}

/**
 * The router's side of one peer: the opening handshake (HELLO → optional CHALLENGE →
 * WELCOME or ABORT), closing (GOODBYE, ABORT), validation of every message (a malformed one
 * gets ABORT `wamp.error.protocol_violation`), and the hand-over of the rest to its realm.
 */
export class RouterSession implements Peer {
  id = 0
  authid = ''
  authrole = ''
  details: Dict = {}
  private state: State = 'hello'
  private realm: Realm | undefined
  private roles: Dict = {}
  private readonly invocationIds = new RequestIds()
  private challengeReply: ChallengeReply | undefined
  private closeTimer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly transport: Transport,
    private readonly host: SessionHost,
  ) {
    transport.listen({
      message: (message) => this.receive(message),
      error: (error) => this.violation(error.message),
    })
    transport.closed.then(() => this.ended())
  }

  get serialization(): string {
    return this.transport.serialization
  }

  send(message: unknown[]): boolean {
    return this.state === 'open' && this.write(message)
  }

  supports(role: ClientRole, feature: string): boolean {
    const entry = this.roles[role]
    return isDict(entry) && isDict(entry.features) && entry.features[feature] === true
  }

  nextRequestId(): number {
    return this.invocationIds.next()
  }

  goodbye(reason: string, message?: string): void {
    if (this.state !== 'open') return
    this.write([MessageType.GOODBYE, message === undefined ? {} : { message }, reason])
    this.state = 'closing'
    this.leaveRealm()
    this.closeTimer = setTimeout(() => this.close(), GOODBYE_WAIT_MS)
  }

  /** The router shuts down: GOODBYE `wamp.close.system_shutdown`; resolves once the transport closed. */
  async shutdown(): Promise<void> {
    if (this.state === 'open') this.goodbye(CloseReason.systemShutdown, 'the router is shutting down')
    else if (this.state !== 'closing') this.abort(CloseReason.systemShutdown, 'the router is shutting down')
    await this.transport.closed
  }

  private receive(raw: unknown): void {
    if (this.state === 'closed') return
    let message: ClientToRouterMessage
    try {
      message = validateClientMessage(raw)
    } catch (error) {
      this.violation((error as Error).message)
      return
    }
    try {
      this.dispatch(message)
    } catch (error) {
      if (error instanceof ProtocolViolationError) this.violation(error.message)
      else this.host.logger.warn(`session ${this.id}: handling ${messageName(message[0])} failed`, error)
    }
  }

  private dispatch(message: ClientToRouterMessage): void {
    const type = message[0]
    const name = messageName(type)
    if (type === MessageType.ABORT) {
      this.close()
      return
    }
    switch (this.state) {
      case 'hello':
        if (type !== MessageType.HELLO) throw new ProtocolViolationError(`${name} before HELLO`)
        this.state = 'joining'
        this.join(message).catch((error: unknown) => {
          this.host.logger.warn('joining a session failed', error)
          this.abort(ErrorUri.authenticationFailed, 'the router could not welcome the session')
        })
        return
      case 'joining': {
        const reply = this.challengeReply
        if (type !== MessageType.AUTHENTICATE || !reply) throw new ProtocolViolationError(`${name} while joining`)
        this.challengeReply = undefined
        reply.resolve({ signature: message[1], extra: message[2] })
        return
      }
      case 'open':
        if (type === MessageType.GOODBYE) {
          this.write([MessageType.GOODBYE, {}, CloseReason.goodbyeAndOut])
          // The peer closes the transport once it has read the echo; close it only if it does not.
          this.ended()
          this.closeTimer = setTimeout(() => this.transport.close(), GOODBYE_WAIT_MS)
          return
        }
        if (type === MessageType.HELLO || type === MessageType.AUTHENTICATE) {
          throw new ProtocolViolationError(`${name} after the session was established`)
        }
        this.realm?.handle(this, message as RealmMessage)
        return
      case 'closing':
        // After the router's GOODBYE only the echo matters.
        if (type === MessageType.GOODBYE) this.close()
        return
    }
  }

  private async join([, realmName, details]: HelloMessage): Promise<void> {
    const realm = this.host.realm(realmName)
    if (!realm) return this.abort(ErrorUri.noSuchRealm, `no realm "${realmName}" exists on this router`)
    const roles = isDict(details.roles) ? details.roles : {}
    if (!clientRoles.some((role) => isDict(roles[role]))) {
      return this.abort(ErrorUri.noSuchRole, 'HELLO announces none of the roles caller, callee, publisher, subscriber')
    }
    this.roles = roles
    // Given now so that `authenticate` can use it (WAMP-CRA challenges carry it).
    const id = this.host.newSessionId()
    this.id = id
    const authid = typeof details.authid === 'string' ? details.authid : undefined
    const authmethods = Array.isArray(details.authmethods)
      ? details.authmethods.filter((m): m is string => typeof m === 'string')
      : []
    let identity: Identity
    try {
      const { authenticate } = realm.options
      identity = authenticate
        ? await authenticate({
            realm: realmName,
            session: id,
            authid,
            authmethods,
            authextra: isDict(details.authextra) ? details.authextra : {},
            details,
            challenge: (method, extra) => this.challenge(method, extra),
          })
        : { authid: randomId().toString(16), authrole: 'anonymous', authmethod: 'anonymous' }
    } catch (error) {
      const reason = error instanceof RPCError ? error.uri : ErrorUri.authenticationFailed
      return this.abort(reason, error instanceof Error ? error.message : String(error))
    }
    // The peer left (or aborted) while it was being authenticated.
    if (this.state !== 'joining') return
    if (typeof identity?.authid !== 'string' || typeof identity.authrole !== 'string') {
      throw new TypeError('authenticate must return { authid, authrole } strings')
    }
    const welcome: Dict = {
      authid: identity.authid,
      authrole: identity.authrole,
      authmethod: identity.authmethod ?? authmethods[0] ?? 'anonymous',
      authprovider: identity.authprovider ?? 'static',
    }
    if (identity.authextra !== undefined) welcome.authextra = identity.authextra
    this.authid = identity.authid
    this.authrole = identity.authrole
    this.details = {
      session: id,
      ...welcome,
      transport: {
        type: this.transport.kind ?? 'websocket',
        serialization: this.transport.serialization,
      },
    }
    this.state = 'open'
    this.realm = realm
    this.write([MessageType.WELCOME, id, { ...welcome, roles: routerRoles() }])
    realm.join(this)
  }

  private challenge(method: string, extra: Dict = {}): Promise<{ signature: string; extra: Dict }> {
    if (this.state !== 'joining' || this.challengeReply) {
      return Promise.reject(new Error('a challenge is only possible once at a time, while the peer is joining'))
    }
    return new Promise((resolve, reject) => {
      this.challengeReply = { resolve, reject }
      if (!this.write([MessageType.CHALLENGE, method, extra])) {
        this.challengeReply = undefined
        reject(new Error('the CHALLENGE could not be sent'))
      }
    })
  }

  private violation(problem: string): void {
    if (this.state === 'closed') return
    this.host.logger.warn(`session ${this.id || '(joining)'}: protocol violation: ${problem}`)
    this.abort(ErrorUri.protocolViolation, problem)
  }

  private abort(reason: string, message: string): void {
    if (this.state === 'closed') return
    this.write([MessageType.ABORT, { message }, reason])
    this.close()
  }

  private write(message: unknown[]): boolean {
    try {
      this.transport.send(message)
      return true
    } catch (error) {
      this.host.logger.warn(
        `could not send ${messageName(message[0])} to session ${this.id}: ${(error as Error).message}`,
      )
      return false
    }
  }

  /** Ends the session and closes the transport. */
  private close(): void {
    this.ended()
    this.transport.close()
  }

  /** The session is over (for whatever reason): leave the realm, forget pending steps. */
  private ended(): void {
    clearTimeout(this.closeTimer)
    if (this.state === 'closed') return
    this.state = 'closed'
    this.leaveRealm()
    const reply = this.challengeReply
    this.challengeReply = undefined
    reply?.reject(new Error('the peer left before it answered the challenge'))
  }

  private leaveRealm(): void {
    const realm = this.realm
    this.realm = undefined
    realm?.leave(this)
  }
}
