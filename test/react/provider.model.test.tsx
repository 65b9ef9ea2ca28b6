// @vitest-environment happy-dom
/**
 * WampProvider under random prop changes (fast-check), rendered in <StrictMode> on the in-process
 * router: identity props (realm, serialization) replace the connection, other props (reconnect
 * timing, auth) do not; session kills and a subscribing child mounting and unmounting in between.
 *
 * After every step, once the provider has settled: exactly one of the sessions it opened is open,
 * on the realm of the current props; the child's subscription is active on that session; a
 * non-identity change kept the session; after unmount, every session is closed.
 */
import { act, cleanup, render } from '@testing-library/react'
import fc from 'fast-check'
import { StrictMode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { ticket } from '../../src/auth/index.js'
import { useSubscription, useWampSession, WampProvider } from '../../src/react/index.js'
import { createWorld } from '../connection/world.js'

const soak = process.env.SOAK === '1'
const seed = Number(process.env.FUZZ_SEED ?? 0x5eed2026) + 16
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until(what: string, check: () => boolean, ms = 4000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`)
    await act(() => sleep(5))
  }
}

interface Props {
  realm: 'realm1' | 'realm2'
  serialization: 'json' | 'msgpack'
  maxDelay: number
  token: string
  child: boolean
}

type Step = { kind: 'props'; change: Partial<Props> } | { kind: 'kill' } | { kind: 'rerender' }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('props' as const), change: fc.record({ realm: fc.constantFrom('realm1', 'realm2') }) }),
  fc.record({
    kind: fc.constant('props' as const),
    change: fc.record({ serialization: fc.constantFrom('json', 'msgpack') }),
  }),
  fc.record({ kind: fc.constant('props' as const), change: fc.record({ maxDelay: fc.integer({ min: 20, max: 60 }) }) }),
  fc.record({ kind: fc.constant('props' as const), change: fc.record({ token: fc.constantFrom('t1', 't2', 't3') }) }),
  fc.record({ kind: fc.constant('props' as const), change: fc.record({ child: fc.boolean() }) }),
  fc.constant({ kind: 'kill' as const }),
  fc.constant({ kind: 'rerender' as const }),
)

afterEach(() => cleanup())

describe('WampProvider: model-based prop changes', () => {
  it('identity props replace the session, other props keep it; one session, on the right realm, child subscribed', async () => {
    let runs = 0
    let steps = 0
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: soak ? 40 : 12 }), async (script) => {
        runs += 1
        const world = createWorld()
        const seen: { status: string; session?: number }[] = []
        const events: unknown[] = []
        function Child() {
          const sub = useSubscription('provider.model.topic', { onEvent: (e) => events.push(e.args[0]) })
          return <i data-testid="child">{sub.status}</i>
        }
        function Probe() {
          const { status, sessionId } = useWampSession()
          seen.push({ status, session: sessionId })
          return null
        }
        let props: Props = { realm: 'realm1', serialization: 'json', maxDelay: 40, token: 't1', child: true }
        const tree = (p: Props) => (
          <StrictMode>
            <WampProvider
              realm={p.realm}
              serialization={p.serialization}
              open={world.open}
              auth={() => [ticket(p.token)]}
              liveness={false}
              reconnect={{ initialDelay: 5, maxDelay: p.maxDelay }}
              responseTimeout={500}
            >
              <Probe />
              {p.child && <Child />}
            </WampProvider>
          </StrictMode>
        )
        const view = render(tree(props))
        const openSessions = () => world.opened.filter((c) => c.isOpen)
        const settle = async () => {
          await until('one session open on the props’ realm', () => {
            const open = openSessions()
            return open.length === 1 && open[0]!.realmDetails !== undefined && seen.at(-1)?.status === 'open'
          })
          if (props.child) {
            await until('the child subscribed', () => view.queryByTestId('child')?.textContent === 'active')
          }
          // Lingering releases (a StrictMode remount, a replaced connection) have run: still one session.
          await act(() => sleep(10))
          expect(openSessions()).toHaveLength(1)
          const admin = await world.admin()
          const realmOf = async (id: number) =>
            (await admin.call('wamp.session.get', [id]).then(
              () => 'realm1',
              () => 'realm2', // the admin lives in realm1: a session it cannot find is in realm2
            )) as Props['realm']
          expect(await realmOf(openSessions()[0]!.id)).toBe(props.realm)
        }
        try {
          await settle()
          for (const next of script) {
            steps += 1
            const before = openSessions()[0]
            if (next.kind === 'kill') {
              before?.terminate()
              await settle()
              continue
            }
            const change = next.kind === 'props' ? next.change : {}
            const identity =
              (change.realm !== undefined && change.realm !== props.realm) ||
              (change.serialization !== undefined && change.serialization !== props.serialization)
            props = { ...props, ...change }
            view.rerender(tree(props))
            await settle()
            const after = openSessions()[0]
            if (identity) expect(after, 'an identity change replaces the session').not.toBe(before)
            else expect(after, 'another prop keeps the session').toBe(before)
          }
        } finally {
          view.unmount()
          await until('every session closed after unmount', () => openSessions().length === 0)
          expect(world.maxConcurrentAttempts).toBeLessThanOrEqual(2) // old and new connection, each one attempt
          await world.dispose()
        }
      }),
      { numRuns: soak ? 200 : 15, seed, endOnFailure: true },
    )
    console.info(`[model] provider: ${runs} runs, ${steps} prop changes and kills`)
  }, 120_000)
})
