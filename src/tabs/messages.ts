import type { Dict } from '../protocol/messages.js'

/**
 * The cross-tab protocol: what a tab and the hub (the one holder of the real session, in a
 * SharedWorker or in the elected tab) say to each other. Every message is a plain object that
 * survives structured cloning; `t` names its kind. Anything that arrives is checked by
 * `readTabMessage`/`readHubMessage` first: a message that does not fit is dropped with a reason.
 */
export const TAB_PROTOCOL_VERSION = 1

/** An error as it crosses the boundary (structured cloning loses the class). */
export interface WireError {
  name: string
  message: string
  code?: string
  /** For RPCError: the ERROR's URI and payload. */
  uri?: string
  args?: unknown[]
  kwargs?: Dict
  details?: Dict
}

/** The options a tab asks the hub to connect with: only what can be cloned (no auth functions, no logger). */
export interface SharedOptions {
  url?: string | string[]
  realm: string
  authid?: string
  authextra?: Dict
  helloDetails?: Dict
  serialization?: string
  responseTimeout?: number
  waitForSession?: number
  reconnect?: Dict | false
  liveness?: Dict | false
  debug?: boolean
}

/** One authentication method as the hub needs it in HELLO; the tab keeps the secret and answers challenges. */
export interface AuthDescriptor {
  method: string
  authid?: string
  authextra?: Dict
}

/** The connection's state, errors flattened. */
export interface WireState {
  status: 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'
  sessionId?: number
  attempt: number
  retryInMs?: number
  nextRetryAt?: number
  error?: WireError
  url?: string
}

/** A subscription's or registration's status, errors flattened. */
export interface WireLeaseStatus {
  status: 'pending' | 'active' | 'retrying' | 'revoked' | 'error'
  id?: number
  error?: WireError
  attempt?: number
  retryInMs?: number
  nextRetryAt?: number
  reason?: string
  invocationCount?: number
  /** A history subscription's completeness (see StreamCompleteness). */
  completeness?: WireCompleteness
}

/** A history subscription's completeness as it crosses (the same fields as StreamCompleteness). */
export interface WireCompleteness {
  status: 'complete' | 'partial' | 'unfillable'
  missing?: number
  reason?: string
  filling: boolean
}

/**
 * The history options a tab asks the hub for: `sequenceOf` is a function and never crosses (a tab
 * refuses it in shared mode, see TabSubscriptions).
 */
export interface WireHistory {
  last?: number
  retained?: boolean
  backfill?: boolean
  limit?: number
}

type Args = unknown[] | Uint8Array

/** Tab → hub. */
export type TabMessage =
  | { t: 'hello'; v: number; tab: string; options: SharedOptions; hasAuth: boolean }
  | { t: 'bye' }
  | { t: 'sub'; lease: number; topic: string; options: Dict; history?: WireHistory }
  | { t: 'unsub'; lease: number }
  | { t: 'reg'; lease: number; procedure: string; options: Dict }
  | { t: 'unreg'; lease: number }
  | { t: 'call'; id: number; procedure: string; args?: Args; kwargs?: Dict; options: Dict; progress: boolean }
  | { t: 'cancel'; id: number }
  | { t: 'publish'; id: number; topic: string; args?: Args; kwargs?: Dict; options: Dict }
  | { t: 'yield'; inv: number; args?: unknown[]; kwargs?: Dict; payload?: Uint8Array; options?: Dict }
  | { t: 'inv-error'; inv: number; error: WireError }
  | { t: 'inv-progress'; inv: number; args?: unknown[]; kwargs?: Dict }
  | { t: 'auth-methods'; id: number; methods?: AuthDescriptor[]; error?: WireError }
  | { t: 'auth-response'; id: number; signature?: string; extra?: Dict; error?: WireError }

/** Hub → tab. */
export type HubMessage =
  | { t: 'welcome'; hub: string }
  | { t: 'state'; state: WireState }
  | { t: 'sub-status'; lease: number; status: WireLeaseStatus }
  | { t: 'event'; lease: number; event: Dict }
  | { t: 'reg-status'; lease: number; status: WireLeaseStatus }
  | {
      t: 'invoke'
      lease: number
      inv: number
      procedure: string
      args: unknown[]
      kwargs: Dict
      details: Dict
      payload?: Uint8Array
    }
  | { t: 'interrupt'; inv: number; reason?: string }
  | { t: 'reply'; id: number; ok: true; value: unknown }
  | { t: 'reply'; id: number; ok: false; error: WireError }
  | { t: 'progress'; id: number; result: Dict }
  | { t: 'auth-request'; id: number }
  | { t: 'challenge'; id: number; method: string; extra: Dict; authid?: string }

/** The outcome of reading one message. */
export type Read<T> = { ok: true; message: T } | { ok: false; reason: string }

type Check = (value: unknown) => boolean
type Shape = Record<string, Check>

const isDict = (v: unknown): v is Dict =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array)
const str: Check = (v) => typeof v === 'string'
const id: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0
const int: Check = (v) => Number.isSafeInteger(v)
const num: Check = (v) => typeof v === 'number' && Number.isFinite(v)
const bool: Check = (v) => typeof v === 'boolean'
const dict: Check = isDict
const list: Check = Array.isArray
const bytes: Check = (v) => v instanceof Uint8Array
const args: Check = (v) => Array.isArray(v) || v instanceof Uint8Array
const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined || check(v)
const oneOf =
  (...values: unknown[]): Check =>
  (v) =>
    values.includes(v)
const object =
  (shape: Shape): Check =>
  (v) =>
    isDict(v) && Object.entries(shape).every(([key, check]) => check(v[key]))
const listOf =
  (check: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(check)

const wireError = object({
  name: str,
  message: str,
  code: optional(str),
  uri: optional(str),
  args: optional(list),
  kwargs: optional(dict),
  details: optional(dict),
})

const sharedOptions = object({
  url: optional((v) => str(v) || listOf(str)(v)),
  realm: str,
  authid: optional(str),
  authextra: optional(dict),
  helloDetails: optional(dict),
  serialization: optional(str),
  responseTimeout: optional(num),
  waitForSession: optional(num),
  reconnect: optional((v) => v === false || dict(v)),
  liveness: optional((v) => v === false || dict(v)),
  debug: optional(bool),
})

const completeness = object({
  status: oneOf('complete', 'partial', 'unfillable'),
  missing: optional(id),
  reason: optional(str),
  filling: bool,
})

const history = (v: unknown): boolean =>
  object({ last: optional(num), retained: optional(bool), backfill: optional(bool), limit: optional(num) })(v) &&
  // Only these keys: anything else (a function never clones; a typo) would be dropped silently in the hub.
  Object.keys(v as Dict).every((key) => ['last', 'retained', 'backfill', 'limit'].includes(key))

const leaseStatus = object({
  status: oneOf('pending', 'active', 'retrying', 'revoked', 'error'),
  id: optional(int),
  error: optional(wireError),
  attempt: optional(int),
  retryInMs: optional(num),
  nextRetryAt: optional(num),
  reason: optional(str),
  invocationCount: optional(int),
  completeness: optional(completeness),
})

const wireState = object({
  status: oneOf('idle', 'connecting', 'open', 'reconnecting', 'closed'),
  sessionId: optional(int),
  attempt: int,
  retryInMs: optional(num),
  nextRetryAt: optional(num),
  error: optional(wireError),
  url: optional(str),
})

const authDescriptor = object({ method: str, authid: optional(str), authextra: optional(dict) })

const TAB_SHAPES: Record<TabMessage['t'], Shape> = {
  hello: { v: oneOf(TAB_PROTOCOL_VERSION), tab: str, options: sharedOptions, hasAuth: bool },
  bye: {},
  sub: { lease: id, topic: str, options: dict, history: optional(history) },
  unsub: { lease: id },
  reg: { lease: id, procedure: str, options: dict },
  unreg: { lease: id },
  call: { id, procedure: str, args: optional(args), kwargs: optional(dict), options: dict, progress: bool },
  cancel: { id },
  publish: { id, topic: str, args: optional(args), kwargs: optional(dict), options: dict },
  yield: { inv: id, args: optional(list), kwargs: optional(dict), payload: optional(bytes), options: optional(dict) },
  'inv-error': { inv: id, error: wireError },
  'inv-progress': { inv: id, args: optional(list), kwargs: optional(dict) },
  'auth-methods': { id, methods: optional(listOf(authDescriptor)), error: optional(wireError) },
  'auth-response': { id, signature: optional(str), extra: optional(dict), error: optional(wireError) },
}

const HUB_SHAPES: Record<HubMessage['t'], Shape> = {
  welcome: { hub: str },
  state: { state: wireState },
  'sub-status': { lease: id, status: leaseStatus },
  event: {
    lease: id,
    event: object({
      args: list,
      kwargs: dict,
      details: dict,
      topic: str,
      subscription: int,
      publication: int,
      payload: optional(bytes),
    }),
  },
  'reg-status': { lease: id, status: leaseStatus },
  invoke: { lease: id, inv: id, procedure: str, args: list, kwargs: dict, details: dict, payload: optional(bytes) },
  interrupt: { inv: id, reason: optional(str) },
  reply: { id, ok: bool, error: optional(wireError) },
  progress: { id, result: object({ args: list, kwargs: dict, details: dict }) },
  'auth-request': { id },
  challenge: { id, method: str, extra: dict, authid: optional(str) },
}

function read<T>(shapes: Record<string, Shape>, value: unknown): Read<T> {
  if (!isDict(value)) return { ok: false, reason: 'not an object' }
  const kind = value.t
  if (typeof kind !== 'string' || !Object.hasOwn(shapes, kind)) {
    return { ok: false, reason: `unknown kind ${JSON.stringify(String(kind))}` }
  }
  const shape = shapes[kind] as Shape
  // Named apart, so the log says which part of a lease status did not fit.
  const status = kind === 'sub-status' && isDict(value.status) ? value.status : undefined
  if (status?.completeness !== undefined && !completeness(status.completeness)) {
    return { ok: false, reason: `${kind}: its completeness is malformed` }
  }
  for (const [key, check] of Object.entries(shape)) {
    if (!check(value[key])) return { ok: false, reason: `${kind}: field ${key} is missing or malformed` }
  }
  if (kind === 'reply' && value.ok === false && value.error === undefined) {
    return { ok: false, reason: 'reply: a failure without error' }
  }
  return { ok: true, message: value as T }
}

/** Checks a message from a tab (in the hub). */
export function readTabMessage(value: unknown): Read<TabMessage> {
  return read<TabMessage>(TAB_SHAPES, value)
}

/** Checks a message from the hub (in a tab). */
export function readHubMessage(value: unknown): Read<HubMessage> {
  return read<HubMessage>(HUB_SHAPES, value)
}
