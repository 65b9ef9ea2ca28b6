/**
 * The logical workload every client runs, and the messages the bench processes exchange.
 * Imported by the driver (run.ts), the service (service.ts) and the measured side (worker.ts).
 */

export const PROCEDURE = 'bench.echo'
export const TOPIC = 'bench.events'
/** The single argument list of every call and event. */
export const PAYLOAD: readonly unknown[] = [1, 'hello', { a: 1 }]
/** Pipelined calls keep this many calls in flight. */
export const IN_FLIGHT = 100

export type Serialization = 'json' | 'msgpack' | 'cbor'
/** Every serialization, or those of BENCH_SERIALIZERS (e.g. `cbor`) for a shorter run. */
export const SERIALIZATIONS: readonly Serialization[] = (['json', 'msgpack', 'cbor'] as const).filter(
  (name) => !process.env.BENCH_SERIALIZERS || process.env.BENCH_SERIALIZERS.split(',').includes(name),
)

export type ClientName = 'floor' | 'decoding' | 'ours' | 'autobahn' | 'wampy'
/** The interleaving order within a round. */
export const CLIENTS: readonly ClientName[] = ['floor', 'decoding', 'ours', 'autobahn', 'wampy']
export const CLIENT_LABEL: Record<ClientName, string> = {
  floor: 'floor (bare ws)',
  decoding: 'floor + decode',
  ours: 'react-wamp',
  autobahn: 'Autobahn|JS',
  wampy: 'wampy',
}

/** What the driver hands a worker (one JSON argument on its command line). */
export interface WorkerConfig {
  client: ClientName
  serialization: Serialization
  url: string
  realm: string
  /** Length of the pipelined-call window and of the event window. */
  seconds: number
  /** Sequential calls timed one by one for the latency percentiles. */
  sequentialCalls: number
  /** JIT warm-up before each measured window. */
  warmupMs: number
  /** Which phases to run; the profiler runs them one at a time. */
  phases: 'all' | 'calls' | 'events'
}

/** One measured window: the worker's own CPU time (user + system) and what it got done. */
export interface Window {
  count: number
  elapsedMs: number
  cpuUs: number
  /** Start and end on the monotonic clock (µs, `process.hrtime`), to cut a CPU profile to the window. */
  fromUs: number
  toUs: number
}

/** Now on the monotonic clock, in µs. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n)
}

export interface CallsResult {
  /** Round-trip latency of sequential calls, µs. */
  p50Us: number
  p99Us: number
  sequential: Window
  pipelined: Window
}

/** Lines the children print on stdout start with this mark; anything else (library logs) is ignored. */
export const LINE_MARK = 'BENCH '

export type WorkerLine =
  | { type: 'protocol'; protocol: string }
  | { type: 'calls'; result: CallsResult }
  | { type: 'events-ready' }
  | { type: 'events'; result: Window }
  | { type: 'error'; message: string }

export type ServiceLine = { type: 'ready' } | { type: 'error'; message: string }

export function emit(line: WorkerLine | ServiceLine): void {
  process.stdout.write(`${LINE_MARK}${JSON.stringify(line)}\n`)
}

/** Deep equality for the small JSON-like payloads (Uint8Array-free). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]))
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    const ka = Object.keys(a)
    const kb = Object.keys(b)
    const ra = a as Record<string, unknown>
    const rb = b as Record<string, unknown>
    return ka.length === kb.length && ka.every((k) => sameValue(ra[k], rb[k]))
  }
  return false
}
