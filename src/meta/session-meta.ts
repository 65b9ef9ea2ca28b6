import type { Event, Subscription } from '../client/types.js'
import { InvalidArgumentError } from '../protocol/errors.js'
import type { Dict } from '../protocol/messages.js'
import {
  callMeta,
  defined,
  eventArgs,
  firstDict,
  firstNumber,
  idArgument,
  idList,
  isDict,
  isId,
  type MetaClient,
  type MetaReply,
  MetaReplyError,
  subscribeMeta,
} from './shared.js'

/**
 * A session as the session meta API describes it (`wamp.session.get`, `wamp.session.on_join`).
 * Routers add more: nexus sends HELLO's `agent` and `transport: {auth}`; Crossbar.io sends `realm`,
 * `authextra`, a detailed `transport` and resumption fields.
 */
export interface SessionInfo extends Dict {
  session: number
  authid?: string
  authrole?: string
  authmethod?: string
  authprovider?: string
  transport?: Dict
}

/**
 * The payload of `wamp.session.on_leave`. The spec sends `[session, authid, authrole]`; Crossbar.io
 * 26 sends only `[session]`, so `authid` and `authrole` may be missing.
 */
export interface SessionLeft {
  session: number
  authid?: string
  authrole?: string
}

/** Why a session is killed: the GOODBYE reason URI and `details.message` it receives. */
export interface KillOptions {
  /**
   * Close reason URI. Without it the router chooses: `wamp.close.killed` per the spec, but
   * nexus and Crossbar.io send `wamp.close.normal`.
   */
  reason?: string
  message?: string
}

/**
 * What `kill_by_*` procedures report. nexus answers with a count only; Crossbar.io (and the spec's
 * `kill_by_authid`) with the list of killed session IDs, given here as `sessions`.
 */
export interface Killed {
  count: number
  /** The killed sessions, where the router lists them. */
  sessions?: number[]
}

/**
 * The number of sessions in the realm, optionally only those with one of `authroles`.
 * Wraps `wamp.session.count([authroles])`.
 */
export async function sessionCount(client: MetaClient, authroles?: string[]): Promise<number> {
  return firstNumber(await callMeta(client, 'wamp.session.count', roleFilter(authroles)))
}

/**
 * The IDs of the sessions in the realm, optionally only those with one of `authroles`.
 * Wraps `wamp.session.list([authroles])`.
 */
export async function listSessions(client: MetaClient, authroles?: string[]): Promise<number[]> {
  const reply = await callMeta(client, 'wamp.session.list', roleFilter(authroles))
  return idList(reply, reply.args[0])
}

/**
 * The details of one session. Wraps `wamp.session.get(session)`; an unknown ID rejects with
 * RPCError `wamp.error.no_such_session` (Crossbar.io 26.10: `wamp.error.runtime_error`, a router bug).
 */
export async function getSession(client: MetaClient, id: number): Promise<SessionInfo> {
  const reply = await callMeta(client, 'wamp.session.get', [idArgument(id, 'the session')])
  return sessionInfo(reply, firstDict(reply))
}

/**
 * Ends another session: it receives GOODBYE with `reason` and `details.message`.
 * Wraps `wamp.session.kill(session, reason=, message=)`; the router must allow it (nexus:
 * `enable_meta_kill`). An unknown ID rejects with `wamp.error.no_such_session`. nexus also refuses
 * the caller's own ID that way; Crossbar.io kills the caller.
 */
export async function killSession(client: MetaClient, id: number, options: KillOptions = {}): Promise<void> {
  await callMeta(client, 'wamp.session.kill', [idArgument(id, 'the session')], killKwargs(options))
}

/**
 * Ends every session with this authid. Wraps `wamp.session.kill_by_authid(authid, reason=, message=)`.
 * nexus spares the caller; Crossbar.io does not.
 */
export async function killByAuthid(client: MetaClient, authid: string, options: KillOptions = {}): Promise<Killed> {
  const reply = await callMeta(client, 'wamp.session.kill_by_authid', [text(authid, 'authid')], killKwargs(options))
  return killed(reply)
}

/**
 * Ends every session with this authrole. Wraps `wamp.session.kill_by_authrole(authrole, reason=, message=)`.
 * nexus spares the caller; Crossbar.io kills it too when it has the role.
 */
export async function killByAuthrole(client: MetaClient, authrole: string, options: KillOptions = {}): Promise<Killed> {
  const reply = await callMeta(
    client,
    'wamp.session.kill_by_authrole',
    [text(authrole, 'authrole')],
    killKwargs(options),
  )
  return killed(reply)
}

/**
 * Ends every other session of the realm. Wraps `wamp.session.kill_all(reason=, message=)`.
 * Crossbar.io 26 does not offer it (`wamp.error.no_such_procedure`).
 */
export async function killAll(client: MetaClient, options: KillOptions = {}): Promise<Killed> {
  return killed(await callMeta(client, 'wamp.session.kill_all', [], killKwargs(options)))
}

/**
 * Calls `handler` with the details of each session that joins the realm.
 * Subscribes to `wamp.session.on_join` (payload `[details]`).
 */
export function onSessionJoin(
  client: MetaClient,
  handler: (session: SessionInfo, event: Event) => unknown,
): Promise<Subscription> {
  const topic = 'wamp.session.on_join'
  return subscribeMeta(
    client,
    topic,
    (event) => {
      const details = event.args[0]
      eventArgs(event, topic, isDict(details) && isId(details.session), '[details with session]')
      return details as SessionInfo
    },
    handler,
  )
}

/**
 * Calls `handler` for each session that leaves the realm.
 * Subscribes to `wamp.session.on_leave` (payload `[session, authid, authrole]`; Crossbar.io: `[session]`).
 */
export function onSessionLeave(
  client: MetaClient,
  handler: (left: SessionLeft, event: Event) => unknown,
): Promise<Subscription> {
  const topic = 'wamp.session.on_leave'
  return subscribeMeta(
    client,
    topic,
    (event) => {
      const [session, authid, authrole] = event.args
      eventArgs(event, topic, isId(session), '[session, authid?, authrole?]')
      const left: SessionLeft = { session: session as number }
      if (typeof authid === 'string') left.authid = authid
      if (typeof authrole === 'string') left.authrole = authrole
      return left
    },
    handler,
  )
}

function roleFilter(authroles: string[] | undefined): unknown[] {
  if (authroles === undefined) return []
  if (!Array.isArray(authroles) || !authroles.every((role) => typeof role === 'string')) {
    throw new InvalidArgumentError('authroles must be a list of strings')
  }
  return [authroles]
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new InvalidArgumentError(`${what} must be a string`)
  return value
}

function killKwargs(options: KillOptions): Dict {
  return defined({ reason: options.reason, message: options.message })
}

function sessionInfo(reply: MetaReply, details: Dict): SessionInfo {
  if (!isId(details.session)) throw new MetaReplyError(reply.procedure, reply, 'expected session details')
  return details as SessionInfo
}

/** A count (nexus), a list of session IDs (Crossbar.io, spec), or nothing. */
function killed(reply: MetaReply): Killed {
  const value = reply.args[0]
  if (value === undefined || value === null) return { count: 0 }
  if (Array.isArray(value)) {
    const sessions = idList(reply, value)
    return { count: sessions.length, sessions }
  }
  return { count: firstNumber(reply) }
}
