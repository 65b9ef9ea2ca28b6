/**
 * Frame generators for the session fuzzers, and an oracle written from the spec's message table
 * (WAMP.md §1, basic/building_blocks.md "protocol violations"): for a fixed session state it says
 * what the client must do with one frame. It does not import the library's validator.
 */
import fc from 'fast-check'

/** Field kinds of the messages a router may send to a client. */
type Field = 'id' | 'id0' | 'int' | 'dict' | 'string' | 'list' | 'kwargs'

interface Layout {
  fields: Field[]
  /** How many trailing fields may be left out. */
  optional: number
}

const MAX_ID = 2 ** 53

/** Router → client messages: [type, ...fields]. */
export const LAYOUTS: Record<number, Layout> = {
  2: { fields: ['id', 'dict'], optional: 0 }, // WELCOME
  3: { fields: ['dict', 'string', 'list', 'kwargs'], optional: 2 }, // ABORT
  4: { fields: ['string', 'dict'], optional: 0 }, // CHALLENGE
  6: { fields: ['dict', 'string'], optional: 0 }, // GOODBYE
  8: { fields: ['int', 'id', 'dict', 'string', 'list', 'kwargs'], optional: 2 }, // ERROR
  17: { fields: ['id', 'id'], optional: 0 }, // PUBLISHED
  33: { fields: ['id', 'id'], optional: 0 }, // SUBSCRIBED
  35: { fields: ['id0', 'dict'], optional: 1 }, // UNSUBSCRIBED (request 0 + details: revocation)
  36: { fields: ['id', 'id', 'dict', 'list', 'kwargs'], optional: 2 }, // EVENT
  50: { fields: ['id', 'dict', 'list', 'kwargs'], optional: 2 }, // RESULT
  65: { fields: ['id', 'id'], optional: 0 }, // REGISTERED
  67: { fields: ['id0', 'dict'], optional: 1 }, // UNREGISTERED
  68: { fields: ['id', 'id', 'dict', 'list', 'kwargs'], optional: 2 }, // INVOCATION
  69: { fields: ['id', 'dict'], optional: 0 }, // INTERRUPT
}

export const ROUTER_TYPES = Object.keys(LAYOUTS).map(Number)

/** The request each success reply answers. */
const ANSWERS: Record<number, number> = { 17: 16, 33: 32, 35: 34, 50: 48, 65: 64, 67: 66 }

const isDict = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v)
const isId = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_ID

const fieldOk: Record<Field, (v: unknown) => boolean> = {
  id: isId,
  id0: (v) => v === 0 || isId(v),
  int: (v) => typeof v === 'number' && Number.isInteger(v),
  dict: isDict,
  string: (v) => typeof v === 'string',
  // A null Arguments/ArgumentsKw is an absent one (issue 16: the nexus Go client sends it).
  list: (v) => v === null || Array.isArray(v),
  kwargs: (v) => v === null || isDict(v),
}

/** True when `frame` is a well-formed router → client message. */
export function wellFormed(frame: unknown): frame is unknown[] {
  if (!Array.isArray(frame) || frame.length === 0 || typeof frame[0] !== 'number') return false
  const layout = LAYOUTS[frame[0]]
  if (!layout) return false
  const count = frame.length - 1
  if (count > layout.fields.length || count < layout.fields.length - layout.optional) return false
  const fieldsOk = layout.fields.slice(0, count).every((field, i) => {
    const value = frame[i + 1]
    // EVENT, RESULT, INVOCATION and ERROR may carry Autobahn's transparent payload: bytes as the last
    // field, in place of Arguments.
    if (field === 'list' && [36, 50, 68, 8].includes(frame[0] as number) && value instanceof Uint8Array) {
      return i + 1 === count
    }
    return fieldOk[field](value)
  })
  return fieldsOk && (frame[0] !== 36 || eventDetailsOk(frame[3] as Record<string, unknown>))
}

/** Standard EVENT.Details fields must have their spec types (wamp-proto testsuite, event.json). */
const EVENT_DETAIL_TYPES: Record<string, (v: unknown) => boolean> = {
  publisher: isId,
  publisher_authid: (v) => typeof v === 'string',
  publisher_authrole: (v) => typeof v === 'string',
  topic: (v) => typeof v === 'string',
  retained: (v) => typeof v === 'boolean',
  transaction_hash: (v) => typeof v === 'string',
  x_acknowledged_delivery: (v) => typeof v === 'boolean',
  forward_for: (v) => Array.isArray(v) && v.every(isDict),
  enc_algo: (v) => ['null', 'cryptobox', 'mqtt', 'xbr'].includes(v as string),
  enc_serializer: (v) => ['null', 'json', 'msgpack', 'cbor', 'ubjson', 'opaque', 'flatbuffers'].includes(v as string),
  enc_key: (v) => typeof v === 'string',
  ppt_scheme: (v) => typeof v === 'string',
  ppt_serializer: (v) => typeof v === 'string',
  ppt_cipher: (v) => typeof v === 'string',
  ppt_keyid: (v) => typeof v === 'string',
}

function eventDetailsOk(details: Record<string, unknown>): boolean {
  return Object.keys(details).every(
    (key) => !Object.hasOwn(EVENT_DETAIL_TYPES, key) || EVENT_DETAIL_TYPES[key]!(details[key]),
  )
}

/**
 * The session every single-frame run starts from (see `openSession` in session.test.ts):
 * request 1 a CALL still pending, 2 a SUBSCRIBE answered with subscription 100, 3 a REGISTER
 * answered with registration 200, 4 a SUBSCRIBE and 5 a REGISTER still pending. The last request ID
 * sent is 5.
 */
export const STATE = {
  lastRequest: 5,
  pending: new Map<number, number>([
    [1, 48],
    [4, 32],
    [5, 64],
  ]),
  subscription: 100,
  registration: 200,
}

/** What the client must do with one frame in STATE. */
export type Expected =
  /** ABORT wamp.error.protocol_violation, close the transport, fail what is pending. */
  | { kind: 'violation' }
  /** Stay open; `reply` is what it sends (nothing, a YIELD, or an ERROR for the invocation). */
  | { kind: 'open'; reply?: 'yield' | 'no_such_registration'; event?: boolean }
  /** The router said GOODBYE: echo goodbye_and_out and end. */
  | { kind: 'goodbye' }
  /** The router sent ABORT: end without a word. */
  | { kind: 'abort' }

export function expectedOutcome(frame: unknown): Expected {
  if (!wellFormed(frame)) return { kind: 'violation' }
  const type = frame[0] as number
  switch (type) {
    case 2: // WELCOME after the session is established
    case 4: // CHALLENGE after the session is established
      return { kind: 'violation' }
    case 3:
      return { kind: 'abort' }
    case 6:
      return { kind: 'goodbye' }
    case 36:
      return { kind: 'open', event: frame[1] === STATE.subscription }
    case 68:
      return { kind: 'open', reply: frame[2] === STATE.registration ? 'yield' : 'no_such_registration' }
    case 69: // INTERRUPT for an invocation that is not running: ignored
      return { kind: 'open' }
  }
  if ((type === 35 || type === 67) && frame[1] === 0) return { kind: 'open' } // revocation
  const isError = type === 8
  // ERROR for a CANCEL or for a callee's reply is logged and ignored.
  if (isError && (frame[1] === 49 || frame[1] === 68)) return { kind: 'open' }
  const answers = isError ? (frame[1] as number) : ANSWERS[type]!
  const request = (isError ? frame[2] : frame[1]) as number
  const pending = STATE.pending.get(request)
  if (pending === undefined) {
    // A reply to a request never sent is a violation; a late reply to a settled one is not.
    return request > STATE.lastRequest ? { kind: 'violation' } : { kind: 'open' }
  }
  return pending === answers ? { kind: 'open' } : { kind: 'violation' }
}

// ---------------------------------------------------------------------------------------------
// Generators

/** Keys the client reads, keys that attack prototypes, and random ones. */
const key = fc.oneof(
  fc.constantFrom(
    'progress',
    'timeout',
    'procedure',
    'topic',
    'receive_progress',
    'message',
    'roles',
    'authmethod',
    'subscription',
    'registration',
    'reason',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'valueOf',
  ),
  fc.string({ maxLength: 6 }),
)

/** A plain object built like JSON.parse builds it: every key, __proto__ too, is an own data property. */
export function objectOf(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of entries)
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true })
  return out
}

/** JSON-like values, with plain objects built by objectOf. */
export const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
    fc.constantFrom(0, -1, 1.5, MAX_ID, MAX_ID + 2, -MAX_ID, 1e300),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 8 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 3 }).map(objectOf),
  ),
})).value

const dict = fc.array(fc.tuple(key, value), { maxLength: 4 }).map(objectOf)

/** IDs near the spec's bounds, the IDs of STATE, and values that are not IDs at all. */
const idLike = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(1, 2, 3, 4, 5, 99, STATE.subscription, STATE.registration, MAX_ID) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: MAX_ID }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, MAX_ID + 2, '1', null) },
)

const requestType = fc.oneof(
  fc.constantFrom(16, 32, 34, 48, 49, 64, 66, 68),
  fc.integer({ min: -1, max: 300 }),
  fc.constantFrom(1.5, '48'),
)

const uri = fc.oneof(
  fc.constantFrom('wamp.error.canceled', 'wamp.error.no_such_procedure', 'com.app.error', 'wamp.close.system_shutdown'),
  fc.string({ maxLength: 10 }),
)

/** An arbitrary for each field kind; mostly valid, sometimes not. */
const fieldArb: Record<Field, fc.Arbitrary<unknown>> = {
  id: idLike,
  id0: fc.oneof(fc.constant(0), idLike),
  int: requestType,
  dict: fc.oneof({ weight: 15, arbitrary: dict }, { weight: 1, arbitrary: value }),
  string: fc.oneof({ weight: 15, arbitrary: uri }, { weight: 1, arbitrary: value }),
  list: fc.oneof({ weight: 15, arbitrary: fc.array(value, { maxLength: 3 }) }, { weight: 1, arbitrary: value }),
  kwargs: fc.oneof({ weight: 15, arbitrary: dict }, { weight: 1, arbitrary: value }),
}

/** A message of a type routers send, with fields mostly of the right kind. */
export const routerMessage: fc.Arbitrary<unknown[]> = fc.constantFrom(...ROUTER_TYPES).chain((type) => {
  const layout = LAYOUTS[type]!
  return fc
    .tuple(fc.integer({ min: 0, max: layout.optional }), fc.tuple(...layout.fields.map((f) => fieldArb[f])))
    .map(([dropped, fields]) => {
      const message = [type, ...fields.slice(0, fields.length - dropped)]
      // RESULT for the pending call: sometimes a progressive one (a copy: generated values are never mutated).
      if (type === 50 && isDict(message[2]) && fields[0] === 1) {
        message[2] = objectOf([...Object.entries(message[2] as object), ['progress', true]])
      }
      return message
    })
})

/** A router message broken in one place: a field replaced, dropped or added, or the type changed. */
export const brokenMessage: fc.Arbitrary<unknown[]> = fc
  .tuple(routerMessage, fc.nat(), value, fc.integer({ min: 0, max: 3 }))
  .map(([message, at, replacement, how]) => {
    const copy = [...message]
    const index = 1 + (at % Math.max(1, copy.length - 1))
    if (how === 0) copy[index] = replacement
    else if (how === 1) copy.pop()
    else if (how === 2) copy.push(replacement)
    else copy[0] = typeof replacement === 'number' ? replacement : String(copy[0])
    return copy
  })

/** Anything at all: not a list, an empty list, a list led by any value. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  value,
  fc.constant([]),
  fc.tuple(fc.integer({ min: -5, max: 1100 }), fc.array(value, { maxLength: 6 })).map(([t, rest]) => [t, ...rest]),
  fc.array(value, { minLength: 1, maxLength: 6 }),
)

/** One frame: mostly plausible router messages, some broken, some junk. */
export const frame: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: routerMessage },
  { weight: 3, arbitrary: brokenMessage },
  { weight: 2, arbitrary: junk },
)
