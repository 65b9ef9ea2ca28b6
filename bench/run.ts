/**
 * `npm run bench`: react-wamp against Autobahn|JS, wampy and a bare-socket floor, through the
 * nexus test router on 127.0.0.1, for JSON, MsgPack and CBOR. Prints the table; writes BENCHMARKS.md (tracked)
 * only when asked: `npm run bench -- --write`, or BENCH_OUT.
 *
 *   BENCH_ROUNDS=5       interleaved rounds (each: every serialization × every client)
 *   BENCH_SERIALIZERS=cbor  only these serializations (default json,msgpack,cbor)
 *   BENCH_SECONDS=2      length of the pipelined-call window and of the event window
 *   BENCH_SEQ_CALLS=4000 sequential calls timed for p50 / p99 (and at most 2 × BENCH_SECONDS)
 *   BENCH_PROFILE=1      profile react-wamp and the floor even when every target is met
 *   BENCH_OUT=path       write the report there (`--write` alone: BENCHMARKS.md at the repository root)
 *   BENCH_REACT_SECONDS=5 length of the React cost scenario (bench/react-cost.ts)
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startNexus } from '../test/routers/nexus/launch.js'
import type { RunningRouter } from '../test/routers/types.js'
import { buildBenchProcesses, type Launchers } from './build.js'
import { Child } from './child.js'
import { summarizeProfile } from './profile.js'
import { measureReactCost, renderReactCost } from './react-cost.js'
import {
  analyze,
  type Measurement,
  type Meta,
  type ProfileSection,
  renderMarkdown,
  renderTable,
  renderTargets,
  type WindowKind,
  windowOf,
} from './report.js'
import {
  CLIENT_LABEL,
  CLIENTS,
  type ClientName,
  SERIALIZATIONS,
  type Serialization,
  type WorkerConfig,
  type WorkerLine,
} from './workload.js'

const repoDir = join(dirname(fileURLToPath(import.meta.url)), '..')

function envNumber(name: string, fallback: number, min: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min}, not ${raw}`)
  return value
}

const rounds = Math.round(envNumber('BENCH_ROUNDS', 5, 1))
const seconds = envNumber('BENCH_SECONDS', 2, 0.1)
const sequentialCalls = Math.round(envNumber('BENCH_SEQ_CALLS', 4000, 10))
const warmupMs = 500
const forceProfile = process.env.BENCH_PROFILE === '1'
const outFile = process.env.BENCH_OUT || join(repoDir, 'BENCHMARKS.md')
// BENCHMARKS.md is tracked: a run for a look must not rewrite it.
const writeReport = process.argv.includes('--write') || Boolean(process.env.BENCH_OUT)

/** Sections of BENCHMARKS.md measured by other scripts (bench/msgpack-codec.ts…) start at this line and are kept. */
const KEEP_MARKER = '<!-- Measured by other scripts; bench/run.ts keeps what follows. -->'

function keptSections(): string {
  const current = existsSync(outFile) ? readFileSync(outFile, 'utf8') : ''
  const at = current.indexOf(KEEP_MARKER)
  return at < 0 ? '' : `\n${current.slice(at)}`
}

function log(text: string): void {
  process.stderr.write(`${text}\n`)
}

/** One service + one worker; never throws (a failed measurement carries `error`). */
async function measure(
  launchers: Launchers,
  router: RunningRouter,
  round: number,
  client: ClientName,
  serialization: Serialization,
  phases: WorkerConfig['phases'] = 'all',
  nodeArgs: string[] = [],
  windowSeconds = seconds,
): Promise<Measurement> {
  const m: Measurement = { round, client, serialization }
  const url = router.wsUrl
  const realm = router.realm
  const service = new Child(launchers.service, { url, realm, serialization, maxSeconds: seconds * 4 + 90 })
  try {
    await service.waitFor('ready', 30_000)
    const config: WorkerConfig = {
      client,
      serialization,
      url,
      realm,
      seconds: windowSeconds,
      sequentialCalls,
      warmupMs,
      phases,
    }
    const worker = new Child(launchers.worker, config, nodeArgs)
    worker.on('line', (line: WorkerLine) => {
      if (line.type === 'protocol') m.protocol = line.protocol
      else if (line.type === 'calls') m.calls = line.result
      else if (line.type === 'events-ready') service.send('publish')
      else if (line.type === 'events') m.events = line.result
      else if (line.type === 'error') m.error = line.message
    })
    // The worker has its own deadline; this one only guards against a hung child.
    const guard = setTimeout(() => worker.kill(), (seconds * 4 + 75) * 1000)
    const code = await worker.exited
    clearTimeout(guard)
    if (code !== 0 && !m.error) m.error = `worker exited with code ${code}`
    if (m.error && worker.stderrTail) m.error += `\n${worker.stderrTail}`
  } catch (error) {
    m.error = (error as Error).message
  } finally {
    await service.stop()
  }
  return m
}

function describe(m: Measurement): string {
  const head = `round ${m.round} ${m.serialization.padEnd(7)} ${CLIENT_LABEL[m.client].padEnd(15)}`
  if (m.error) return `${head} FAILED: ${m.error.split('\n')[0]}`
  const parts: string[] = []
  if (m.calls) {
    const { pipelined: p } = m.calls
    parts.push(
      `p50 ${m.calls.p50Us.toFixed(0)} µs, p99 ${m.calls.p99Us.toFixed(0)} µs`,
      `${Math.round((p.count / p.elapsedMs) * 1000)} calls/s, ${(p.cpuUs / p.count).toFixed(1)} µs CPU/call`,
    )
  }
  if (m.events) {
    const e = m.events
    parts.push(`${Math.round((e.count / e.elapsedMs) * 1000)} events/s, ${(e.cpuUs / e.count).toFixed(1)} µs CPU/event`)
  }
  return `${head} ${parts.join('; ')}`
}

/**
 * For each missed window: react-wamp, then the floor, once more under --cpu-prof (one worker per
 * phase), each profile cut to the measured window.
 */
async function profile(
  launchers: Launchers,
  router: RunningRouter,
  wanted: Array<[Serialization, WindowKind]>,
): Promise<ProfileSection[]> {
  const base = mkdtempSync(join(os.tmpdir(), 'bench-prof-'))
  const sections: ProfileSection[] = wanted.map(([serialization, window]) => ({ serialization, window, runs: {} }))
  const phaseOf = (kind: WindowKind) => (kind === 'events' ? 'events' : 'calls')
  const runs = new Set(wanted.map(([serialization, kind]) => `${serialization}/${phaseOf(kind)}`))
  try {
    for (const run of runs) {
      const [serialization, phase] = run.split('/') as [Serialization, 'calls' | 'events']
      for (const client of ['ours', 'floor'] as const) {
        // One directory per worker: node writes one profile per thread.
        const dir = join(base, `${client}-${serialization}-${phase}`)
        const nodeArgs = ['--cpu-prof', '--cpu-prof-interval', '250', '--cpu-prof-dir', dir]
        // Windows of at most 1 s: sampled every 250 µs, that is thousands of samples.
        const m = await measure(
          launchers,
          router,
          rounds + 1,
          client,
          serialization,
          phase,
          nodeArgs,
          Math.min(seconds, 1),
        )
        log(`profile ${describe(m)}`)
        const file = mainThreadProfile(dir)
        if (m.error || !file) {
          log(`profile of ${client} ${phase} ${serialization} failed: ${m.error ?? 'no main-thread profile written'}`)
          continue
        }
        for (const section of sections) {
          const window = windowOf(m, section.window)
          if (section.serialization !== serialization || phaseOf(section.window) !== phase || !window) continue
          const summary = summarizeProfile(file, window.fromUs, window.toUs, repoDir)
          section.runs[client] = { summary, count: window.count, cpuUs: window.cpuUs }
        }
      }
    }
  } finally {
    rmSync(base, { recursive: true, force: true })
  }
  return sections
}

/** Node names profiles CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; the main thread is 0. */
function mainThreadProfile(dir: string): string | undefined {
  const files = existsSync(dir) ? readdirSync(dir) : []
  const main = files.find((f) => f.split('.')[4] === '0' && f.endsWith('.cpuprofile'))
  return main && join(dir, main)
}

async function main(): Promise<void> {
  const started = performance.now()
  const cpus = os.cpus()
  const meta: Omit<Meta, 'runtimeSeconds' | 'build'> = {
    command: [
      'npm run bench -- --write',
      ...['BENCH_ROUNDS', 'BENCH_SECONDS', 'BENCH_SEQ_CALLS', 'BENCH_SERIALIZERS']
        .filter((k) => process.env[k])
        .map((k) => `${k}=${process.env[k]}`),
    ].join(' '),
    rounds,
    seconds,
    sequentialCalls,
    warmupMs,
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    loadAverage: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  }
  const launchers = await buildBenchProcesses()
  log(launchers.note)
  log(
    `bench: ${rounds} rounds × ${SERIALIZATIONS.length} serializations × ${CLIENTS.length} clients, ${seconds} s windows`,
  )
  let router: RunningRouter | undefined
  const measurements: Measurement[] = []
  let profiles: ProfileSection[] = []
  let analysis: ReturnType<typeof analyze>
  try {
    router = await startNexus()
    log(`nexus at ${router.wsUrl}`)
    for (let round = 1; round <= rounds; round++) {
      for (const serialization of SERIALIZATIONS) {
        for (const client of CLIENTS) {
          const m = await measure(launchers, router, round, client, serialization)
          measurements.push(m)
          log(describe(m))
        }
      }
    }
    analysis = analyze(measurements, rounds)
    const wanted = new Map<string, [Serialization, WindowKind]>()
    for (const t of analysis.targets) {
      if (!t.met || forceProfile) wanted.set(`${t.serialization}/${t.window}`, [t.serialization, t.window])
    }
    if (wanted.size) profiles = await profile(launchers, router, [...wanted.values()])
  } finally {
    await router?.stop()
    if (launchers.dir) rmSync(launchers.dir, { recursive: true, force: true })
  }
  log('React cost: 200 components, 50 topics, 2,000 events/s…')
  const reactCost = renderReactCost(await measureReactCost())
  const runtimeSeconds = (performance.now() - started) / 1000
  const markdown = renderMarkdown(analysis, { ...meta, build: launchers.note, runtimeSeconds }, profiles)
  if (writeReport) writeFileSync(outFile, `${markdown}\n${reactCost}${keptSections()}`)
  console.log(renderTable(analysis))
  console.log(`\n${renderTargets(analysis)}`)
  console.log(`\n${reactCost}`)
  const took = `${Math.round((performance.now() - started) / 1000)} s`
  log(
    writeReport
      ? `\nwrote ${outFile} (${took})`
      : `\n${took}; BENCHMARKS.md unchanged (\`npm run bench -- --write\` updates it)`,
  )
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
