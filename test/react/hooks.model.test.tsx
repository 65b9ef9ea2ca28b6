// @vitest-environment happy-dom
/**
 * The hooks under random sequences (fast-check) of prop changes (procedure, args, enabled), mounts
 * and unmounts, plain and `startTransition` updates, Suspense boundaries whose subtree suspends (a
 * component throws a promise resolved a few ms later, by a plain or a transition update) and
 * pauses, rendered in <StrictMode> on the in-process router, with several components sharing keys.
 *
 * After every sequence: no hook is stuck in `pending`; what each component shows equals what a
 * fresh mount with the final props shows; and once the components unmount, nothing is left on
 * the router (every CALL answered or cancelled, every SUBSCRIBE undone, no invocation running).
 */
import { act, cleanup, render } from '@testing-library/react'
import fc from 'fast-check'
import { StrictMode, Suspense, startTransition, useState } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { useCall, useProgressCall, useSubscription } from '../../src/react/index.js'
import { CALL, ERROR, localWire, RESULT, SUBSCRIBED, sleep, UNSUBSCRIBE, until } from './local-wire.js'

const soak = process.env.SOAK === '1'
const seed = Number(process.env.FUZZ_SEED ?? 0x5eed2026) + 15

type Kind = 'call' | 'progress' | 'sub'
interface Slot {
  kind: Kind
  target: 'a' | 'b'
  n: number
  enabled: boolean
  mounted: boolean
}
const SLOTS = 4
const names = Array.from({ length: SLOTS }, (_, i) => `slot${i}`)

/** Slot i renders inside Suspense boundary i % GROUPS. */
const groupNames = ['g0', 'g1']
const GROUPS = groupNames.length

type Step =
  | { kind: 'set'; slot: number; change: Partial<Slot>; transition: boolean }
  | { kind: 'suspend'; group: number; ms: number; transition: boolean }
  | { kind: 'pause'; ms: number }
  | { kind: 'rerender' }

const change: fc.Arbitrary<Partial<Slot>> = fc.oneof(
  fc.record({ target: fc.constantFrom('a' as const, 'b' as const) }),
  fc.record({ n: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ enabled: fc.boolean() }),
  fc.record({ mounted: fc.boolean() }),
)
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      slot: fc.nat(SLOTS - 1),
      change,
      transition: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('suspend' as const),
      group: fc.nat(GROUPS - 1),
      ms: fc.integer({ min: 0, max: 12 }),
      transition: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 0, max: 8 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'rerender' as const }) },
)
const initial: fc.Arbitrary<Slot[]> = fc.tuple(
  ...Array.from({ length: SLOTS }, () =>
    fc.record({
      kind: fc.constantFrom<Kind>('call', 'progress', 'sub'),
      target: fc.constantFrom('a' as const, 'b' as const),
      n: fc.integer({ min: 1, max: 2 }),
      enabled: fc.boolean(),
      mounted: fc.boolean(),
    }),
  ),
)

/** Per boundary, the promise its Gate throws while the subtree is suspended. */
const suspensions: (Promise<void> | undefined)[] = Array.from({ length: GROUPS }, () => undefined)

/** Suspends its boundary's subtree while its group has a pending promise; `epoch` makes it render again. */
function Gate({ group }: { group: number; epoch: number }) {
  const pending = suspensions[group]
  if (pending) throw pending
  return null
}

function suspend(group: number, ms: number): void {
  if (suspensions[group]) return
  const pending = new Promise<void>((resolve) => setTimeout(resolve, ms)).then(() => {
    suspensions[group] = undefined
  })
  suspensions[group] = pending
}

function View({ id, slot }: { id: string; slot: Slot }) {
  if (slot.kind === 'sub') return <SubView id={id} slot={slot} />
  if (slot.kind === 'progress') return <ProgressView id={id} slot={slot} />
  return <CallView id={id} slot={slot} />
}

/** What a component shows that a fresh mount must show too (data only while enabled: disabled keeps the last). */
function shown(slot: Slot, status: string, data: unknown): string {
  return slot.enabled ? `${status}:${String(data)}` : status
}

function CallView({ id, slot }: { id: string; slot: Slot }) {
  const { status, data } = useCall(`m.${slot.target}`, {
    args: [slot.n],
    enabled: slot.enabled,
    select: (r) => r.args.join('/'),
  })
  return <p data-testid={id}>{shown(slot, status, data)}</p>
}

function ProgressView({ id, slot }: { id: string; slot: Slot }) {
  const { status, data, progress } = useProgressCall(`m.${slot.target}.progress`, {
    args: [slot.n],
    enabled: slot.enabled,
    reducer: (sum: number, chunk) => sum + (chunk.args[0] as number),
    initialValue: 0,
    select: (r) => r.args.join('/'),
  })
  return <p data-testid={id}>{shown(slot, status, slot.enabled ? `${data}@${progress}` : '')}</p>
}

function SubView({ id, slot }: { id: string; slot: Slot }) {
  const { status } = useSubscription(`m.${slot.target}.topic`, { enabled: slot.enabled, options: { n: slot.n } })
  return <p data-testid={id}>{status}</p>
}

const settled = (slot: Slot, text: string | null | undefined) =>
  !slot.mounted || (slot.enabled ? /^(success|active)/.test(text ?? '') : text === 'idle')

afterEach(() => cleanup())

describe('hooks: model-based sequences of props, mounts and enabled toggles', () => {
  it('nothing stuck pending, fresh-mount equivalence, nothing left on the router', async () => {
    let runs = 0
    let steps = 0
    let suspended = 0
    let fallbacks = 0
    await fc.assert(
      fc.asyncProperty(initial, fc.array(step, { minLength: 1, maxLength: soak ? 40 : 12 }), async (start, script) => {
        runs += 1
        const wire = localWire()
        const callee = await wire.peer()
        let running = 0
        for (const target of ['a', 'b']) {
          await callee.register(`m.${target}`, async ({ args, signal }) => {
            running += 1
            try {
              await sleep((args[0] as number) * 3)
              signal.throwIfAborted()
              return { args: [target, args[0]] }
            } finally {
              running -= 1
            }
          })
          await callee.register(`m.${target}.progress`, async ({ args, progress, signal }) => {
            running += 1
            try {
              for (const chunk of [1, 2, 3]) {
                signal.throwIfAborted()
                progress([chunk * (args[0] as number)])
                await sleep(2)
              }
              return { args: [target, args[0]] }
            } finally {
              running -= 1
            }
          })
        }
        let setSlots: (update: (slots: Slot[]) => Slot[]) => void = () => {}
        let setEpoch: (update: (epoch: number) => number) => void = () => {}
        function App({ first }: { first: Slot[] }) {
          const [slots, set] = useState(first)
          const [epoch, setE] = useState(0)
          setSlots = set
          setEpoch = setE
          return (
            <>
              {groupNames.map((groupName, group) => (
                <Suspense key={groupName} fallback={<p data-testid={`fallback${group}`}>suspended</p>}>
                  <Gate group={group} epoch={epoch} />
                  {names.map((name, i) =>
                    i % GROUPS === group && slots[i]?.mounted ? <View key={name} id={`s${i}`} slot={slots[i]} /> : null,
                  )}
                </Suspense>
              ))}
            </>
          )
        }
        const tree = (
          <StrictMode>
            <wire.Provider>
              <App first={start} />
            </wire.Provider>
          </StrictMode>
        )
        const view = render(tree)
        let slots = start
        try {
          for (const next of script) {
            steps += 1
            if (next.kind === 'pause') await act(() => sleep(next.ms))
            else if (next.kind === 'rerender') view.rerender(tree)
            else if (next.kind === 'suspend') {
              suspend(next.group, next.ms)
              act(() => {
                if (next.transition) startTransition(() => setEpoch((e) => e + 1))
                else setEpoch((e) => e + 1)
              })
              suspended += 1
              if (view.queryByTestId(`fallback${next.group}`)) fallbacks += 1
            } else {
              slots = slots.map((slot, i) => (i === next.slot ? { ...slot, ...next.change } : slot))
              const final = slots
              act(() => {
                if (next.transition) startTransition(() => setSlots(() => final))
                else setSlots(() => final)
              })
            }
          }
          const text = (id: string) => view.queryByTestId(id)?.textContent
          await until('every boundary resumed', () =>
            suspensions.every((pending, group) => !pending && !view.queryByTestId(`fallback${group}`)),
          )
          await until('every hook settled (none stuck pending)', () =>
            slots.every((slot, i) => settled(slot, text(`s${i}`))),
          )
          // A fresh mount with the final props, beside the first tree, on the same router.
          const fresh = render(
            <StrictMode>
              <wire.Provider>
                {names.map((name, i) => (slots[i]?.mounted ? <View key={name} id={`f${i}`} slot={slots[i]} /> : null))}
              </wire.Provider>
            </StrictMode>,
          )
          const freshText = (id: string) => fresh.queryByTestId(id)?.textContent
          await until('the fresh mount settled', () => slots.every((slot, i) => settled(slot, freshText(`f${i}`))))
          for (const [i, slot] of slots.entries()) {
            if (slot.mounted) expect(text(`s${i}`), `slot ${i}: ${JSON.stringify(slot)}`).toBe(freshText(`f${i}`))
          }
          fresh.unmount()
          // Every component leaves; the provider stays: nothing may be left on the router.
          act(() => setSlots((all) => all.map((slot) => ({ ...slot, mounted: false }))))
          await until('nothing left on the router', () => leftovers(wire) === '' && running === 0)
        } finally {
          view.unmount()
          await wire.dispose()
        }
      }),
      { numRuns: soak ? 200 : 20, seed, endOnFailure: true },
    )
    console.info(
      `[model] hooks: ${runs} runs, ${steps} steps, ${suspended} suspensions (${fallbacks} showed the fallback)`,
    )
  }, 120_000)
})

/** What the first tree's session (the first opened) still holds on the router, judged from its wire: '' when nothing. */
function leftovers(wire: ReturnType<typeof localWire>): string {
  const sent = wire.sent.filter((_, i) => wire.sentBy[i] === 0)
  const received = wire.received.filter((_, i) => wire.receivedBy[i] === 0)
  const calls = new Set(sent.filter((m) => m[0] === CALL).map((m) => m[1]))
  for (const m of received) {
    if (m[0] === RESULT && !(m[2] as { progress?: boolean }).progress) calls.delete(m[1])
    if (m[0] === ERROR && m[1] === CALL) calls.delete(m[2])
  }
  // By router subscription ID: the same topic asked twice on one session is one subscription, undone once.
  const subscriptions = new Set(received.filter((m) => m[0] === SUBSCRIBED).map((m) => m[2]))
  for (const m of sent) if (m[0] === UNSUBSCRIBE) subscriptions.delete(m[2])
  const parts = []
  if (calls.size > 0) parts.push(`${calls.size} calls unanswered`)
  if (subscriptions.size > 0) parts.push(`${subscriptions.size} subscriptions`)
  return parts.join(', ')
}
