/**
 * Shared by the reliability suites (test/fuzz, test/reliability, test/conformance/faults|leaks|secrets):
 * the soak switch, seeds, forced GC, and an unhandled-rejection recorder.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, afterEach, beforeEach, expect } from 'vitest'

/** `SOAK=1` (npm run soak) scales every count and time bound up. */
export const SOAK = process.env.SOAK === '1'

/** The short count for `npm test`, the long one for `npm run soak`. */
export function scaled(short: number, soak: number): number {
  return SOAK ? soak : short
}

/**
 * The seed of every property: fixed, so a run is reproducible; FUZZ_SEED overrides it to explore.
 * fast-check prints the seed and the shrunk counterexample path when a property fails.
 */
export const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 0x5eed_2026

/** fast-check parameters: seeded (one seed per property), `short` runs, or `soak` with SOAK=1. */
export function fuzzParams(short: number, soak: number, salt = 0) {
  return { seed: FUZZ_SEED + salt, numRuns: scaled(short, soak) } as const
}

let gcFunction: (() => void) | undefined

/** `global.gc` without `--expose-gc`: the flag can be set at run time, then `gc` is read from a new context. */
export function gc(): void {
  if (!gcFunction) {
    const exposed = (globalThis as { gc?: () => void }).gc
    if (typeof exposed === 'function') gcFunction = exposed
    else {
      setFlagsFromString('--expose-gc')
      gcFunction = runInNewContext('gc') as () => void
    }
  }
  gcFunction()
}

/** Heap in use after full collections (weak references and finalizers get a macrotask to run in between). */
export async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc()
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  gc()
  return process.memoryUsage().heapUsed
}

/** Lets pending microtasks, immediates and rejection tracking run (each round is one turn of the event loop). */
export async function flush(rounds = 2): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve))
}

/**
 * Records every unhandled rejection and uncaught exception while active. Vitest fails the run on
 * them too; recording them here lets a property fail on the very input that caused one.
 */
export function trackUnhandled(): { readonly errors: unknown[]; stop(): void } {
  const errors: unknown[] = []
  const onRejection = (reason: unknown) => errors.push(reason)
  const onException = (error: unknown) => errors.push(error)
  process.on('unhandledRejection', onRejection)
  process.on('uncaughtException', onException)
  return {
    errors,
    stop() {
      process.off('unhandledRejection', onRejection)
      process.off('uncaughtException', onException)
    },
  }
}

/** Every own property (names and symbols) of the shared prototypes, to prove none was added or changed. */
export function prototypeSnapshot(): Map<string, string> {
  const prototypes: [string, object][] = [
    ['Object.prototype', Object.prototype],
    ['Array.prototype', Array.prototype],
    ['Function.prototype', Function.prototype],
    ['String.prototype', String.prototype],
    ['Number.prototype', Number.prototype],
    ['Promise.prototype', Promise.prototype],
    ['Error.prototype', Error.prototype],
    ['Uint8Array.prototype', Uint8Array.prototype],
    ['Map.prototype', Map.prototype],
  ]
  const snapshot = new Map<string, string>()
  for (const [name, prototype] of prototypes) {
    for (const key of Reflect.ownKeys(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, key)!
      const shown = 'value' in descriptor ? describeValue(descriptor.value) : 'accessor'
      snapshot.set(`${name}.${String(key)}`, `${shown} ${descriptor.writable} ${descriptor.enumerable}`)
    }
    snapshot.set(`${name} [[Prototype]]`, String(Object.getPrototypeOf(prototype)?.constructor?.name ?? null))
  }
  return snapshot
}

function describeValue(value: unknown): string {
  if (typeof value === 'function') return `function ${value.name}`
  if (typeof value === 'object' && value !== null) return `object ${Object.keys(value).length}`
  return `${typeof value} ${String(value)}`
}

/** The differences between two prototype snapshots (empty when nothing changed). */
export function prototypeChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  const changes: string[] = []
  for (const [key, value] of after) if (before.get(key) !== value) changes.push(`${key}: ${before.get(key)} → ${value}`)
  for (const key of before.keys()) if (!after.has(key)) changes.push(`${key} removed`)
  return changes
}

/** Counts the inputs a fuzz suite feeds, by kind, and prints the totals when the file ends. */
export function fuzzCounter(suite: string): (kind: string, n?: number) => void {
  const fed: Record<string, number> = {}
  afterAll(() => {
    console.info(`[fuzz] ${suite} inputs: ${JSON.stringify(fed)}`)
  })
  return (kind, n = 1) => {
    fed[kind] = (fed[kind] ?? 0) + n
  }
}

/**
 * Fails every test of the file that leaves an unhandled rejection or uncaught exception behind;
 * `errors` lets a property check after each input.
 */
export function failOnUnhandled(): { readonly errors: unknown[] } {
  let unhandled: ReturnType<typeof trackUnhandled> | undefined
  beforeEach(() => {
    unhandled = trackUnhandled()
  })
  afterEach(() => {
    unhandled?.stop()
    expect(unhandled?.errors).toEqual([])
  })
  return {
    get errors() {
      return unhandled?.errors ?? []
    },
  }
}
