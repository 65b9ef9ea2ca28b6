import type { Event, Subscription } from '../client/types.js'
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

/** How a shared registration picks its callee. */
export type InvokePolicy = 'single' | 'roundrobin' | 'random' | 'first' | 'last'

/** A registration as `wamp.registration.get` and `on_create` describe it. */
export interface RegistrationInfo {
  id: number
  /** When it was created, as the router writes it (ISO 8601). */
  created: string
  uri: string
  /** nexus sends `""` for exact registrations; given here as `exact`. */
  match: MatchPolicy
  /** nexus sends `""` for single registrations; given here as `single`. */
  invoke: InvokePolicy
}

/** A session and the registration a registration meta event is about. */
export interface RegistrationMetaEvent<T> {
  /**
   * The session that caused the event (the callee). Undefined when Crossbar.io 26 reports
   * the removal of a session that has left: it sends `null` then.
   */
  session: number | undefined
  registration: T
}

/**
 * The IDs of all registrations, by match policy. Wraps `wamp.registration.list`. nexus includes
 * its own `wamp.*` meta procedures; Crossbar.io leaves them out.
 */
export async function listRegistrations(client: MetaClient): Promise<IdsByMatch> {
  return idsByMatch(await callMeta(client, 'wamp.registration.list'))
}

/**
 * The registration of exactly this procedure URI and match policy, or undefined.
 * Wraps `wamp.registration.lookup(procedure, {match})` (nexus answers `0` for none, Crossbar.io `null`).
 */
export async function lookupRegistration(
  client: MetaClient,
  procedure: string,
  options: LookupOptions = {},
): Promise<number | undefined> {
  const args = options.match === undefined ? [procedure] : [procedure, { match: options.match }]
  return firstIdOrNone(await callMeta(client, 'wamp.registration.lookup', args))
}

/**
 * The registration a call of `procedure` would reach (exact before prefix before wildcard), or
 * undefined. Wraps `wamp.registration.match(procedure)`.
 */
export async function matchRegistration(client: MetaClient, procedure: string): Promise<number | undefined> {
  return firstIdOrNone(await callMeta(client, 'wamp.registration.match', [procedure]))
}

/**
 * One registration's URI, policies and creation time. Wraps `wamp.registration.get(id)`;
 * an unknown ID rejects with RPCError `wamp.error.no_such_registration`.
 */
export async function getRegistration(client: MetaClient, id: number): Promise<RegistrationInfo> {
  const reply = await callMeta(client, 'wamp.registration.get', [idArgument(id, 'the registration')])
  return registrationInfo(reply, firstDict(reply))
}

/**
 * The session IDs of a registration's callees. Wraps `wamp.registration.list_callees(id)`;
 * an unknown ID rejects with `wamp.error.no_such_registration`.
 */
export async function listCallees(client: MetaClient, id: number): Promise<number[]> {
  const reply = await callMeta(client, 'wamp.registration.list_callees', [idArgument(id, 'the registration')])
  return idList(reply, reply.args[0])
}

/**
 * How many callees a registration has. Wraps `wamp.registration.count_callees(id)`;
 * an unknown ID rejects with `wamp.error.no_such_registration`.
 */
export async function countCallees(client: MetaClient, id: number): Promise<number> {
  return firstNumber(await callMeta(client, 'wamp.registration.count_callees', [idArgument(id, 'the registration')]))
}

/**
 * Calls `handler` when a registration is created (its first callee registers); it comes before
 * that callee's `on_register`. Subscribes to `wamp.registration.on_create` (payload `[session, info]`).
 */
export function onRegistrationCreate(
  client: MetaClient,
  handler: (event: RegistrationMetaEvent<RegistrationInfo>, raw: Event) => unknown,
): Promise<Subscription> {
  return subscribeCreateEvent(client, 'wamp.registration.on_create', 'registration', registrationInfo, handler)
}

/**
 * Calls `handler` when a callee is added to a registration.
 * Subscribes to `wamp.registration.on_register` (payload `[session, registration]`).
 */
export function onRegistrationRegister(
  client: MetaClient,
  handler: (event: RegistrationMetaEvent<number>, raw: Event) => unknown,
): Promise<Subscription> {
  return subscribeIdEvent(client, 'wamp.registration.on_register', 'registration', handler)
}

/**
 * Calls `handler` when a callee leaves a registration (it unregisters or its session ends).
 * Subscribes to `wamp.registration.on_unregister` (payload `[session, registration]`).
 */
export function onRegistrationUnregister(
  client: MetaClient,
  handler: (event: RegistrationMetaEvent<number>, raw: Event) => unknown,
): Promise<Subscription> {
  return subscribeIdEvent(client, 'wamp.registration.on_unregister', 'registration', handler)
}

/**
 * Calls `handler` when a registration is deleted (its last callee left); it comes after that
 * callee's `on_unregister`. Subscribes to `wamp.registration.on_delete` (payload `[session, registration]`).
 */
export function onRegistrationDelete(
  client: MetaClient,
  handler: (event: RegistrationMetaEvent<number>, raw: Event) => unknown,
): Promise<Subscription> {
  return subscribeIdEvent(client, 'wamp.registration.on_delete', 'registration', handler)
}

const invokePolicies = new Set<string>(['single', 'roundrobin', 'random', 'first', 'last'])

/** Normalizes nexus's empty `match` / `invoke` strings to the spec's defaults. */
function registrationInfo(reply: MetaReply, value: Dict): RegistrationInfo {
  const { id, created, uri } = value
  const match = value.match === '' || value.match === undefined ? 'exact' : value.match
  const invoke = value.invoke === '' || value.invoke === undefined ? 'single' : value.invoke
  if (
    !isId(id) ||
    typeof uri !== 'string' ||
    (match !== 'exact' && match !== 'prefix' && match !== 'wildcard') ||
    typeof invoke !== 'string' ||
    !invokePolicies.has(invoke)
  ) {
    throw new MetaReplyError(reply.procedure, reply, 'expected registration details {id, created, uri, match, invoke}')
  }
  return { id, created: typeof created === 'string' ? created : '', uri, match, invoke: invoke as InvokePolicy }
}
