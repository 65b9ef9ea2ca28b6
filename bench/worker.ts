/**
 * The measured side: one client (floor, ours, autobahn or wampy) in its own process. It checks the
 * negotiated subprotocol and the echoed payload, then times sequential calls, pipelined calls and
 * received events, and reports its own CPU time (`process.cpuUsage`) for each window.
 * Usage (by run.ts): node <bundle>/worker.mjs '<WorkerConfig as JSON>', or node --import tsx bench/worker.ts '…'
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { loadClient } from './clients/index.js'
import type { BenchClient } from './clients/types.js'
import { quantileOfSorted } from './stats.js'
import { emit, IN_FLIGHT, monotonicUs, PAYLOAD, sameValue, type Window, type WorkerConfig } from './workload.js'

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start)
  return used.user + used.system
}

/** Keeps IN_FLIGHT calls outstanding for `ms`, then lets the last ones finish. */
function pipelined(client: BenchClient, ms: number): Promise<Window> {
  return new Promise((resolve, reject) => {
    let inFlight = 0
    let count = 0
    let stopping = false
    const fromUs = monotonicUs()
    const cpu = process.cpuUsage()
    const start = performance.now()
    const end = start + ms
    const done = () => {
      count++
      inFlight--
      if (!stopping && (count & 63) === 0 && performance.now() >= end) stopping = true
      if (!stopping) {
        inFlight++
        client.call(done, reject)
      } else if (inFlight === 0) {
        const cpuUs = cpuSince(cpu)
        resolve({ count, elapsedMs: performance.now() - start, cpuUs, fromUs, toUs: monotonicUs() })
      }
    }
    for (let i = 0; i < IN_FLIGHT; i++) {
      inFlight++
      client.call(done, reject)
    }
  })
}

/** `n` calls one after the other (at most `maxMs`); returns the sorted round-trip times in µs. */
function sequential(
  client: BenchClient,
  n: number,
  maxMs: number,
): Promise<{ latencies: Float64Array; window: Window }> {
  return new Promise((resolve, reject) => {
    const latencies = new Float64Array(n)
    let i = 0
    let sent = 0
    const fromUs = monotonicUs()
    const cpu = process.cpuUsage()
    const start = performance.now()
    const next = () => {
      sent = performance.now()
      client.call(done, reject)
    }
    const done = () => {
      const now = performance.now()
      latencies[i++] = (now - sent) * 1000
      if (i < n && now - start < maxMs) return next()
      const window = { count: i, elapsedMs: now - start, cpuUs: cpuSince(cpu), fromUs, toUs: monotonicUs() }
      resolve({ latencies: latencies.subarray(0, i).sort(), window })
    }
    next()
  })
}

async function measureCalls(client: BenchClient): Promise<void> {
  await pipelined(client, config.warmupMs)
  const { latencies, window } = await sequential(client, config.sequentialCalls, config.seconds * 2000)
  const result = await pipelined(client, config.seconds * 1000)
  emit({
    type: 'calls',
    result: {
      p50Us: quantileOfSorted(latencies, 0.5),
      p99Us: quantileOfSorted(latencies, 0.99),
      sequential: window,
      pipelined: result,
    },
  })
}

async function measureEvents(client: BenchClient): Promise<void> {
  let count = 0
  let firstArgs: unknown
  let gotFirst: () => void = () => {}
  const first = new Promise<void>((resolve) => {
    gotFirst = resolve
  })
  await client.subscribe((args) => {
    if (count++ === 0) {
      firstArgs = args
      gotFirst()
    }
  })
  emit({ type: 'events-ready' }) // the driver now tells the service to publish
  const timer = setTimeout(() => fail(new Error('no event within 10 s')), 10_000)
  await first
  clearTimeout(timer)
  if (!sameValue(firstArgs, PAYLOAD))
    throw new Error(`event payload ${JSON.stringify(firstArgs)} is not the one published`)
  await sleep(config.warmupMs)
  const fromUs = monotonicUs()
  const cpu = process.cpuUsage()
  const before = count
  const start = performance.now()
  await sleep(config.seconds * 1000)
  const cpuUs = cpuSince(cpu)
  const window = { count: count - before, elapsedMs: performance.now() - start, cpuUs, fromUs, toUs: monotonicUs() }
  emit({ type: 'events', result: window })
}

async function main(): Promise<void> {
  const connect = await loadClient(config.client)
  const client = await connect(config.url, config.realm, config.serialization)
  const expected = `wamp.2.${config.serialization}`
  if (client.protocol !== expected) throw new Error(`negotiated subprotocol "${client.protocol}", not ${expected}`)
  emit({ type: 'protocol', protocol: client.protocol })
  const echoed = await client.echo()
  if (!sameValue(echoed, PAYLOAD)) throw new Error(`bench.echo returned ${JSON.stringify(echoed)}`)
  if (config.phases !== 'events') await measureCalls(client)
  if (config.phases !== 'calls') await measureEvents(client)
}

// Bounded: the worker ends by itself, and with the driver (its stdin closes).
setTimeout(() => fail(new Error('worker deadline passed')), (config.seconds * 4 + 60) * 1000).unref()
process.stdin.on('end', () => process.exit(2))
process.stdin.resume()

function fail(error: unknown): never {
  emit({ type: 'error', message: error instanceof Error ? error.message : String(error) })
  process.exit(1)
}

main().then(() => process.exit(0), fail)
