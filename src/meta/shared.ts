import type { Client } from '../client/client.js'
import type { Event, Subscription } from '../client/types.js'
import { InvalidArgumentError, WampError } from '../protocol/errors.js'
import type { Args, Dict, Kwargs } from '../protocol/messages.js'
import type { MatchPolicy } from '../protocol/uri.js'

/** What the meta helpers need of a client: `call` and `subscribe`. A `Client` fits. */
export type MetaClient = Pick<Client, 'call' | 'subscribe'>

/** Registration or subscription IDs grouped by match policy (`wamp.registration.list`, `wamp.subscription.list`). */
export interface IdsByMatch {
  exact: number[]
  prefix: number[]
  wildcard: number[]
}

/** Options of the `lookup` meta procedures. */
export interface LookupOptions {
  /** The match policy of the registration or subscription to find; default `exact`. */
  match?: MatchPolicy
}

/**
 * A meta procedure answered with something its contract does not allow (a count that is not a
 * number, a list that is not a list…). The router's reply is in `reply`.
 */
export class MetaReplyError extends WampError {
  override name = 'MetaReplyError'
  constructor(
    readonly procedure: string,
    readonly reply: { args: Args; kwargs: Kwargs },
    what: string,
  ) {
    super('protocol_violation', `${procedure} answered ${describe(reply.args)}: ${what}`)
  }
}

export interface MetaReply {
  procedure: string
  args: Args
  kwargs: Kwargs
}

/** Calls a meta procedure; an ERROR rejects with the client's RPCError, untouched. */
export async function callMeta(
  client: MetaClient,
  procedure: string,
  args?: Args,
  kwargs?: Kwargs,
): Promise<MetaReply> {
  const result = await client.call(procedure, args, kwargs)
  return { procedure, args: result.args, kwargs: result.kwargs }
}

function fail(reply: MetaReply, what: string): never {
  throw new MetaReplyError(reply.procedure, { args: reply.args, kwargs: reply.kwargs }, what)
}

export function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

/** The reply's first argument as a number (a count or an ID). */
export function firstNumber(reply: MetaReply): number {
  const value = reply.args[0]
  if (!isId(value)) fail(reply, 'expected a non-negative integer')
  return value
}

/** The reply's first argument as an ID, where `null`, `0` or nothing mean "none". */
export function firstIdOrNone(reply: MetaReply): number | undefined {
  const value = reply.args[0]
  if (value === undefined || value === null || value === 0) return undefined
  if (!isId(value)) fail(reply, 'expected an ID or null')
  return value
}

/** A list of IDs, where `null` (a Go nil slice) means an empty list. */
export function idList(reply: MetaReply, value: unknown): number[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value) || !value.every(isId)) fail(reply, 'expected a list of IDs')
  return value as number[]
}

/** The reply's first argument as a dictionary. */
export function firstDict(reply: MetaReply): Dict {
  const value = reply.args[0]
  if (!isDict(value)) fail(reply, 'expected a dictionary')
  return value
}

export function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
}

/** `{exact, prefix, wildcard}` lists of IDs; missing or `null` lists become empty. */
export function idsByMatch(reply: MetaReply): IdsByMatch {
  const value = firstDict(reply)
  return {
    exact: idList(reply, value.exact),
    prefix: idList(reply, value.prefix),
    wildcard: idList(reply, value.wildcard),
  }
}

/** Arguments for a procedure that takes an ID: refuses anything else before sending. */
export function idArgument(id: unknown, what: string): number {
  if (!isId(id)) throw new InvalidArgumentError(`${what} must be a non-negative integer ID, not ${describe(id)}`)
  return id
}

/** Kwargs without the keys whose value is undefined. */
export function defined(kwargs: Record<string, unknown>): Kwargs {
  const out: Kwargs = {}
  for (const [key, value] of Object.entries(kwargs)) if (value !== undefined) out[key] = value
  return out
}

/**
 * Subscribes to a meta event; `parse` turns the event's payload into a typed value. A payload that
 * `parse` refuses (it throws) is reported to the client's logger like any failing handler.
 */
export function subscribeMeta<T>(
  client: MetaClient,
  topic: string,
  parse: (event: Event) => T,
  handler: (payload: T, event: Event) => unknown,
): Promise<Subscription> {
  return client.subscribe(topic, (event) => handler(parse(event), event))
}

/** Checks a meta event's positional payload; `what` describes the expected shape. */
export function eventArgs(event: Event, topic: string, ok: boolean, what: string): void {
  if (!ok) throw new TypeError(`${topic} carried ${describe(event.args)}: expected ${what}`)
}

/** A short, never-throwing rendering of a value for error messages. */
export function describe(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value)
    return text.length > 200 ? `${text.slice(0, 200)}…` : text
  } catch {
    return String(value)
  }
}

/** A registration or subscription meta event: the session that caused it, and the registration or subscription. */
export type MetaEventOf<K extends string, T> = { session: number | undefined } & Record<K, T>

/**
 * Subscribes to a `[session, id]` meta event (`on_register`, `on_unsubscribe`, …) and hands over
 * `{ session, [key]: id }`; Crossbar.io sends `null` as the session of one that has left.
 */
export function subscribeIdEvent<K extends string>(
  client: MetaClient,
  topic: string,
  key: K,
  handler: (event: MetaEventOf<K, number>, raw: Event) => unknown,
): Promise<Subscription> {
  return subscribeMeta(
    client,
    topic,
    (event) => {
      const [session, id] = event.args
      eventArgs(event, topic, (isId(session) || session === null) && isId(id), `[session, ${key}]`)
      return { session: (session as number | null) ?? undefined, [key]: id } as MetaEventOf<K, number>
    },
    handler,
  )
}

/** Subscribes to an `on_create` meta event (`[session, details]`) and hands over `{ session, [key]: info }`. */
export function subscribeCreateEvent<K extends string, T>(
  client: MetaClient,
  topic: string,
  key: K,
  toInfo: (reply: MetaReply, details: Dict) => T,
  handler: (event: MetaEventOf<K, T>, raw: Event) => unknown,
): Promise<Subscription> {
  return subscribeMeta(
    client,
    topic,
    (event) => {
      const [session, info] = event.args
      eventArgs(event, topic, isId(session) && isDict(info) && isId(info.id), `[session, ${key} details]`)
      const reply = { procedure: topic, args: event.args, kwargs: event.kwargs }
      return { session: session as number, [key]: toInfo(reply, info as Dict) } as MetaEventOf<K, T>
    },
    handler,
  )
}
