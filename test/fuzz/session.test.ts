/**
 * Property-based fuzzing of a joined session through the scripted fake router: random and malformed
 * frames never throw out of the library nor leave an unhandled rejection, and each one ends as the
 * spec says — ABORT wamp.error.protocol_violation, or ignored, or the router's own GOODBYE/ABORT.
 * Seeded (see FUZZ_SEED in test/reliability/support.ts); SOAK=1 runs many more inputs.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createClient } from '../../src/client/connect.js'
import { type Client, ProtocolViolationError, RouterAbortError, WampError } from '../../src/client/index.js'
import { failOnUnhandled, flush, fuzzCounter, fuzzParams, scaled } from '../reliability/support.js'
import { FakeRouter, quietLogger, WELCOME_DETAILS } from '../support/fake-router.js'
import { expectedOutcome, frame, STATE, wellFormed } from './frames.js'
import { fakeRouterWire, feedAndJudge, openSession } from './harness.js'

const ABORT = 3
const GOODBYE = 6

/** Inputs fed, per property, for RELIABILITY.md (printed at the end of the file). */
const count = fuzzCounter('session')

const unhandled = failOnUnhandled()

describe('a joined session fed one random frame', () => {
  it(
    'does exactly what the spec-derived oracle says: violation → ABORT, ignorable → ignored, GOODBYE/ABORT → ends',
    async () => {
      await fc.assert(
        fc.asyncProperty(frame, fc.boolean(), async (input, debug) => {
          count('single frame')
          count(`single frame → ${expectedOutcome(input).kind}`)
          const session = await openSession(await fakeRouterWire(debug))
          await feedAndJudge(session, input, input, expectedOutcome(input))
          expect(unhandled.errors).toEqual([])
        }),
        fuzzParams(2000, 60_000, 1),
      )
    },
    scaled(30_000, 900_000),
  )
})

describe('a joined session fed a random sequence of frames', () => {
  it(
    'never throws; ends at most once, with nothing sent after its last word; a closed session holds nothing',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(frame, { minLength: 1, maxLength: 12 }),
          fc.boolean(),
          fc.boolean(),
          async (inputs, sameTick, debug) => {
            count('frame sequences')
            count('frames in sequences', inputs.length)
            const { client, wire: router, outcomes } = await openSession(await fakeRouterWire(debug))
            const mark = router.sent.length
            // WebSocket hands over one message per event; RawSocket hands over every frame of a chunk at once.
            for (const input of inputs) {
              expect(() => router.deliver(input)).not.toThrow()
              if (!sameTick) await flush(1)
            }
            await flush()
            const out = router.sent.slice(mark)
            const endings = out.filter((m) => m[0] === ABORT || m[0] === GOODBYE)
            if (client.isOpen) {
              expect(endings).toEqual([])
              expect(router.isClosed).toBe(false)
              client.terminate()
            } else {
              const info = await client.closed
              expect(router.isClosed).toBe(true)
              expect(endings.length).toBeLessThanOrEqual(1)
              if (endings.length === 1) expect(out.at(-1)).toBe(endings[0])
              if (info.initiator === 'client') {
                expect(info.reason).toBe('wamp.error.protocol_violation')
                expect(endings[0]).toEqual([ABORT, { message: expect.any(String) }, 'wamp.error.protocol_violation'])
              } else {
                expect(info.initiator).toBe('router')
              }
              expect(client.stats).toEqual({
                pendingRequests: 0,
                activeInvocations: 0,
                subscriptions: 0,
                registrations: 0,
              })
              for (const outcome of Object.values(outcomes)) {
                expect(outcome).toBeDefined()
                if (outcome && 'error' in outcome) expect(outcome.error).toBeInstanceOf(WampError)
              }
              // Input after the end is ignored.
              const after = router.sent.length
              router.deliverMessage(36, STATE.subscription, 1, {})
              router.deliverMessage(68, 77, STATE.registration, {})
              expect(router.sent.length).toBe(after)
            }
            expect(unhandled.errors).toEqual([])
          },
        ),
        fuzzParams(600, 20_000, 2),
      )
    },
    scaled(30_000, 900_000),
  )
})

/**
 * The join oracle: what a client waiting for WELCOME must do with one frame. A malformed frame and a
 * well-formed one that has no place in the handshake (an EVENT, a WELCOME without roles) are both
 * protocol violations, both answered with ABORT; they are told apart to name them in reports.
 */
function joinExpectation(input: unknown): 'joined' | 'challenge' | 'abort' | 'violation' | 'handshake-violation' {
  if (!wellFormed(input)) return 'violation'
  if (input[0] === 3) return 'abort'
  if (input[0] === 4) return 'challenge'
  if (input[0] !== 2) return 'handshake-violation'
  const roles = (input[2] as { roles?: unknown }).roles as Record<string, unknown> | undefined
  const has = (role: string) =>
    !!roles && Object.hasOwn(roles, role) && typeof roles[role] === 'object' && roles[role] !== null
  return has('broker') || has('dealer') ? 'joined' : 'handshake-violation'
}

/** Frames for a client that is joining: WELCOMEs with random roles, CHALLENGEs, ABORTs, everything else. */
const welcomeRoles = fc
  .record({
    broker: fc.option(fc.oneof(fc.constant({}), fc.constant(null), fc.constant('x'), fc.constant([])), {
      nil: undefined,
    }),
    dealer: fc.option(fc.oneof(fc.constant({ features: {} }), fc.constant(1)), { nil: undefined }),
  })
  .map((roles) => JSON.parse(JSON.stringify(roles)) as Record<string, unknown>)
const joinFrame = fc.oneof(
  fc
    .tuple(fc.constant(2), fc.integer({ min: 0, max: 2 ** 53 }), welcomeRoles)
    .map(([t, id, roles]) => [t, id, { roles }]),
  fc.constant([2, 5, { roles: JSON.parse('{"__proto__": {"broker": {}}}') }]),
  fc.constant([4, 'ticket', {}]),
  fc.constant([3, {}, 'wamp.error.no_such_realm']),
  fc.constant([3, { message: 'no' }, 'wamp.error.authentication_failed']),
  frame,
)

describe('a joining session fed random frames', () => {
  it(
    'one frame: joins, answers the CHALLENGE, takes the ABORT, or ABORTs with protocol_violation — as the oracle says',
    async () => {
      await fc.assert(
        fc.asyncProperty(joinFrame, async (input) => {
          count('join frames')
          const router = new FakeRouter()
          const joining = createClient(router, { realm: 'realm1', logger: quietLogger(), responseTimeout: 40 }).then(
            (client) => ({ client }),
            (error: unknown) => ({ error }),
          )
          await router.nextSent(1)
          expect(() => router.deliverRaw(input)).not.toThrow()
          const expected = joinExpectation(input)
          // After a CHALLENGE the client waits for the router's verdict: end the wait at once.
          if (expected === 'challenge') router.drop()
          const outcome = await joining
          const out = router.sent.slice(1)
          switch (expected) {
            case 'joined':
              expect(outcome).toHaveProperty('client')
              expect((outcome as { client: Client }).client.isOpen).toBe(true)
              expect(out).toEqual([])
              ;(outcome as { client: Client }).client.terminate()
              break
            case 'challenge':
              // No auth method: an empty AUTHENTICATE; then the router hangs up.
              expect(out).toEqual([[5, '', {}]])
              expect((outcome as { error: WampError }).error.code).toBe('connection_lost')
              break
            case 'abort':
              expect(out).toEqual([])
              expect((outcome as { error: unknown }).error).toBeInstanceOf(RouterAbortError)
              break
            case 'violation':
              expect(out).toEqual([[ABORT, { message: expect.any(String) }, 'wamp.error.protocol_violation']])
              expect((outcome as { error: unknown }).error).toBeInstanceOf(ProtocolViolationError)
              break
            case 'handshake-violation':
              expect(out).toEqual([[ABORT, { message: expect.any(String) }, 'wamp.error.protocol_violation']])
              expect((outcome as { error: unknown }).error).toBeInstanceOf(ProtocolViolationError)
              break
          }
          if ('error' in outcome) expect(router.isClosed).toBe(true)
        }),
        fuzzParams(500, 20_000, 3),
      )
    },
    scaled(30_000, 900_000),
  )

  it(
    'a sequence of frames: the join settles once, within responseTimeout, with a client or a typed error',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(joinFrame, { minLength: 1, maxLength: 6 }), async (inputs) => {
          count('join sequences')
          count('frames in join sequences', inputs.length)
          const router = new FakeRouter()
          const started = Date.now()
          const joining = createClient(router, { realm: 'realm1', logger: quietLogger(), responseTimeout: 40 }).then(
            (client) => ({ client }),
            (error: unknown) => ({ error }),
          )
          await router.nextSent(1)
          for (const input of inputs) expect(() => router.deliverRaw(input)).not.toThrow()
          const outcome = await joining
          // Each CHALLENGE re-arms the timer once; the whole join stays bounded.
          expect(Date.now() - started).toBeLessThan(40 * (inputs.length + 1) + 500)
          if ('error' in outcome) {
            expect(outcome.error).toBeInstanceOf(WampError)
            expect(router.isClosed).toBe(true)
          } else {
            // Joined: later frames of the sequence may have ended the session already; either way it is consistent.
            const { client } = outcome
            await flush()
            if (client.isOpen) client.terminate()
            else expect(router.isClosed).toBe(true)
          }
        }),
        fuzzParams(300, 10_000, 4),
      )
    },
    scaled(30_000, 900_000),
  )
})

describe('the oracle itself', () => {
  // Guards against an oracle that agrees with the library by accident: fixed cases from the spec.
  it.each([
    [[36, 100, 7, {}], 'open'],
    [[36, 0, 7, {}], 'violation'],
    [[50, 1, {}, [], []], 'violation'],
    [[50, 4, {}], 'violation'],
    [[50, 3, {}], 'open'],
    [[65, 5, 7], 'open'],
    [[65, 4, 7], 'violation'],
    [[65, 6, 7], 'violation'],
    [[50, 9, {}], 'violation'],
    [[8, 48, 1, {}, 'x'], 'open'],
    [[8, 32, 1, {}, 'x'], 'violation'],
    [[8, 49, 999, {}, 'x'], 'open'],
    [[35, 0, { subscription: 100 }], 'open'],
    [[2, 1, WELCOME_DETAILS], 'violation'],
    [[6, {}, 'wamp.close.system_shutdown'], 'goodbye'],
    [[3, {}, 'x', [], {}], 'abort'],
    [[17, 2 ** 53 + 2, 1], 'violation'],
    [{ 0: 36 }, 'violation'],
  ])('%j → %s', (input, kind) => {
    expect(expectedOutcome(input).kind).toBe(kind)
  })
})

describe('a protocol violation found by the handshake is answered with ABORT (fixed; found by these fuzzers)', () => {
  // WAMP.md §4 / basic/building_blocks.md: "any reply before join" and a WELCOME without roles are
  // protocol violations, answered with ABORT wamp.error.protocol_violation, like malformed frames.
  it.each([
    ['an EVENT before WELCOME', [36, 1, 1, {}]],
    ['a RESULT before WELCOME', [50, 1, {}]],
    ['a WELCOME without broker or dealer role', [2, 1, { roles: {} }]],
  ])('%s → ABORT protocol_violation', async (_name, input) => {
    const router = new FakeRouter()
    const joining = createClient(router, { realm: 'realm1', logger: quietLogger() }).catch((error: unknown) => error)
    await router.nextSent(1)
    router.deliverRaw(input)
    expect(await joining).toBeInstanceOf(ProtocolViolationError)
    expect(router.sent.slice(1)).toEqual([[ABORT, { message: expect.any(String) }, 'wamp.error.protocol_violation']])
  })
})

describe('regressions found by these fuzzers (fixed in src since)', () => {
  // The sequence property found it: SUBSCRIBED (or REGISTERED) settled the request, but the
  // subscription was recorded only after an await, i.e. after a GOODBYE/ABORT/violation read in the
  // same tick had cleared every table: a closed client kept stats.subscriptions / registrations = 1.
  it.each([
    ['SUBSCRIBED then GOODBYE', [33, 4, 555], 'subscriptions'],
    ['REGISTERED then GOODBYE', [65, 5, 555], 'registrations'],
  ] as const)('%s in one tick → the closed client holds nothing', async (_name, reply, table) => {
    const { client, wire, outcomes } = await openSession(await fakeRouterWire())
    wire.deliver(reply)
    wire.deliver([GOODBYE, {}, 'wamp.close.system_shutdown'])
    await flush()
    expect(client.isOpen).toBe(false)
    expect(client.stats[table]).toBe(0)
    // Settled either way: register() may hand out the (already dead) registration; subscribe() retries and fails typed.
    const settled = table === 'subscriptions' ? outcomes.subscribe : outcomes.register
    expect(settled).toBeDefined()
    if (settled && 'error' in settled) expect(settled.error).toBeInstanceOf(WampError)
  })

  // The single-frame property found it (debug on): describeMessage called String() on the frame or its
  // type code before validation; {"toString": 1} cannot be converted, and the TypeError escaped the
  // transport's message callback (an uncaught exception in Node).
  it.each<[string, unknown]>([
    ['a dictionary with "toString"', { toString: 1 }],
    ['a list led by such a dictionary', [{ toString: 1 }, 1, {}]],
    ['a list led by a list holding one', [[{ valueOf: 1, toString: 0 }]]],
  ])('debug on: %s → ABORT protocol_violation, nothing thrown', async (_name, input) => {
    const { client, wire } = await fakeRouterWire(true)
    expect(() => wire.deliver(JSON.parse(JSON.stringify(input)))).not.toThrow()
    await flush()
    expect(client.isOpen).toBe(false)
    expect(wire.sent.at(-1)).toEqual([ABORT, { message: expect.any(String) }, 'wamp.error.protocol_violation'])
  })
})
