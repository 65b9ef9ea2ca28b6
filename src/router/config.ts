import type { Dict } from '../protocol/messages.js'
import type { EventHistoryConfig } from './event-log.js'

/** What `authenticate` learns of a HELLO, and how it challenges the peer. */
export interface HelloInfo {
  /** The realm asked for. */
  realm: string
  /** The session ID the peer will get if it is welcomed (e.g. for a WAMP-CRA challenge). */
  session: number
  /** HELLO.Details.authid, if given. */
  authid?: string
  /** HELLO.Details.authmethods, in the peer's order of preference ([] when none). */
  authmethods: string[]
  /** HELLO.Details.authextra ({} when none). */
  authextra: Dict
  /** All of HELLO.Details. */
  details: Dict
  /**
   * Sends `CHALLENGE(method, extra)` and resolves with the peer's AUTHENTICATE. Rejects when
   * the peer aborts or disconnects instead.
   */
  challenge(method: string, extra?: Dict): Promise<{ signature: string; extra: Dict }>
}

/** Who a peer is, once authenticated: WELCOME.Details carries these. */
export interface Identity {
  authid: string
  authrole: string
  /** Default: the first of HELLO's authmethods, or `anonymous`. */
  authmethod?: string
  /** Default: `static`. */
  authprovider?: string
  /** Sent to the peer in WELCOME.Details.authextra. */
  authextra?: Dict
}

/**
 * Decides who joins a realm. Return (or resolve) the peer's identity to welcome it; throw
 * (or reject) to refuse it with ABORT `wamp.error.authentication_failed` and the error's
 * message (throw an `RPCError` to choose another reason URI).
 */
export type Authenticate = (hello: HelloInfo) => Identity | Promise<Identity>

/** How one realm behaves. */
export interface RealmOptions {
  /**
   * Whether publishers and callers may disclose themselves (`disclose_me`) and callees may
   * ask for the caller (`disclose_caller`). Default true; when false these requests get
   * `wamp.error.option_disallowed.disclose_me`.
   */
  allowDisclose?: boolean
  /** Without it every peer joins anonymously (authrole `anonymous`). */
  authenticate?: Authenticate
  /**
   * Subscriptions that keep their last `limit` events, read with `wamp.subscription.get_events`
   * (like nexus's realm `event_history`). Each exists from the start and outlives its last
   * subscriber, so a client that comes back can fetch what it missed. Publications with
   * `exclude`/`eligible` lists are not stored.
   */
  eventHistory?: EventHistoryConfig[]
}

/** Where the router reports what a peer did wrong and what it could not deliver. */
export interface RouterLogger {
  warn(message: string, ...data: unknown[]): void
}

export interface RouterOptions {
  /** The realms, by name (a WAMP URI). Unknown realms are refused with `wamp.error.no_such_realm`. */
  realms: Record<string, RealmOptions>
  /** Default: console.warn. */
  logger?: RouterLogger
}
