/**
 * The pure lifecycle machine under random event sequences (fast-check), with an executor model
 * that plays the part of Connection: attempts in flight, the armed timer, the adopted session.
 * Stale tokens, duplicate wake-ups and events in every phase are all generated.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Client } from '../../src/client/index.js'
import { type Effect, initialMachine, type LifecycleEvent, type Machine, step } from '../../src/connection/lifecycle.js'
import { AuthenticationError, ConnectionLostError } from '../../src/protocol/errors.js'

const soak = process.env.SOAK === '1'
const seed = Number(process.env.FUZZ_SEED ?? 0x5eed2026) + 15

const fakeClient = (n: number) => ({ id: n }) as unknown as Client

type Input =
  | { kind: 'start' | 'wake' | 'close' | 'timer' }
  | { kind: 'settle'; ok: boolean; auth: boolean; pick: number }
  | { kind: 'lose'; at: number }

const input: fc.Arbitrary<Input> = fc.oneof(
  fc.constantFrom<Input>({ kind: 'start' }, { kind: 'wake' }, { kind: 'close' }, { kind: 'timer' }),
  fc.record({ kind: fc.constant('settle' as const), ok: fc.boolean(), auth: fc.boolean(), pick: fc.nat(3) }),
  fc.record({ kind: fc.constant('lose' as const), at: fc.nat(200) }),
)

describe('lifecycle.step: the connection machine under random events', () => {
  it('one attempt in flight, one session, stale outcomes discarded, closed is final', () => {
    fc.assert(
      fc.property(
        fc.array(input, { maxLength: 80 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        (inputs, maxAttempts, reconnect) => {
          const policy = {
            reconnect,
            maxAttempts,
            retryOnAuthFailure: false,
            stableAfter: 100,
            delay: (failures: number) => failures * 10,
          }
          let machine: Machine = initialMachine
          let now = 0
          const inFlight: number[] = [] // tokens of attempts not yet settled
          let timer: number | undefined
          let session: { token: number; client: Client } | undefined
          const discarded = new Set<Client>()
          let clients = 0
          const apply = (event: LifecycleEvent): Effect[] => {
            const before = machine
            const result = step(machine, event, policy)
            machine = result.machine
            for (const effect of result.effects) {
              switch (effect.type) {
                case 'open-attempt':
                  expect(before.phase, 'closed is final').not.toBe('closed')
                  inFlight.push(effect.token)
                  expect(inFlight.length, 'attempts in flight').toBe(1)
                  break
                case 'arm-timer':
                  expect(timer, 'one timer').toBeUndefined()
                  expect(effect.delay).toBeGreaterThanOrEqual(0)
                  timer = effect.token
                  break
                case 'clear-timer':
                  timer = undefined
                  break
                case 'adopt':
                  expect(session, 'one session').toBeUndefined()
                  session = { token: machine.token, client: effect.client }
                  break
                case 'end-session':
                  session = undefined
                  break
                case 'discard':
                  discarded.add(effect.client)
                  break
              }
            }
            if (machine.phase === 'closed') {
              expect(timer).toBeUndefined()
              expect(session).toBeUndefined()
            }
            expect(machine.phase === 'open').toBe(session !== undefined)
            return result.effects
          }
          for (const next of inputs) {
            now += 7
            switch (next.kind) {
              case 'start':
              case 'wake':
              case 'close':
                apply({ type: next.kind })
                break
              case 'timer':
                if (timer !== undefined) {
                  const token = timer
                  timer = undefined
                  apply({ type: 'timer', token })
                } else {
                  // A stale timer (cleared too late) changes nothing.
                  const before = machine
                  expect(apply({ type: 'timer', token: machine.token - 1 })).toEqual([])
                  expect(machine).toBe(before)
                }
                break
              case 'settle': {
                const token = inFlight.shift()
                if (token === undefined) break
                if (next.ok) {
                  const client = fakeClient(++clients)
                  const wasCurrent = machine.phase === 'connecting' && machine.token === token
                  apply({ type: 'attempt-opened', token, client, at: now })
                  expect(discarded.has(client), 'a stale session is discarded').toBe(!wasCurrent)
                } else {
                  const error = next.auth
                    ? new AuthenticationError('wamp.error.not_authorized', {})
                    : new ConnectionLostError()
                  apply({ type: 'attempt-failed', token, error })
                  if (next.auth && machine.token === token + 1) expect(machine.phase).toBe('closed')
                }
                break
              }
              case 'lose':
                if (session) {
                  const failuresBefore = machine.failures
                  now += next.at
                  apply({ type: 'session-lost', token: session.token, error: new ConnectionLostError(), at: now })
                  if (machine.phase === 'waiting') expect(machine.failures).toBeLessThanOrEqual(failuresBefore + 1)
                }
                break
            }
            expect(machine.failures).toBeLessThanOrEqual(maxAttempts)
          }
        },
      ),
      { numRuns: soak ? 50_000 : 2_000, seed },
    )
  })

  it('a session lost before it was stable counts as a failure and backs off; a stable one resets', () => {
    const policy = {
      reconnect: true,
      maxAttempts: 10,
      retryOnAuthFailure: false,
      stableAfter: 100,
      delay: (f: number) => f,
    }
    let machine = step(initialMachine, { type: 'start' }, policy).machine
    const client = fakeClient(1)
    const open = (at: number) => {
      machine = step(machine, { type: 'attempt-opened', token: machine.token, client, at }, policy).machine
    }
    const lose = (at: number) => {
      machine = step(machine, { type: 'session-lost', token: machine.token, error: new Error('x'), at }, policy).machine
    }
    const retry = () => {
      machine = step(machine, { type: 'timer', token: machine.token }, policy).machine
    }
    open(0)
    lose(10) // killed at once
    expect(machine).toMatchObject({ phase: 'waiting', failures: 1, delay: 1 })
    retry()
    open(20)
    lose(30)
    expect(machine).toMatchObject({ phase: 'waiting', failures: 2, delay: 2 })
    retry()
    open(40)
    lose(500) // stable
    expect(machine).toMatchObject({ phase: 'waiting', failures: 0, delay: 1 })
  })
})
