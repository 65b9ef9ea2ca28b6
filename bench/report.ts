/** Turns the per-round measurements into the comparison table, the target verdicts and BENCHMARKS.md. */
import type { ProfileSummary } from './profile.js'
import { ratios, type Summary, summarize } from './stats.js'
import {
  type CallsResult,
  CLIENT_LABEL,
  CLIENTS,
  type ClientName,
  SERIALIZATIONS,
  type Serialization,
  type Window,
} from './workload.js'

export interface Measurement {
  round: number
  client: ClientName
  serialization: Serialization
  protocol?: string
  calls?: CallsResult
  events?: Window
  error?: string
}

/** The three measured windows of a worker. */
export type WindowKind = 'sequential' | 'pipelined' | 'events'

export function windowOf(m: Measurement, kind: WindowKind): Window | undefined {
  return kind === 'events' ? m.events : m.calls?.[kind]
}

export type MetricKey =
  | 'p50'
  | 'p99'
  | 'cpuPerCallSequential'
  | 'callsPerSec'
  | 'cpuPerCall'
  | 'eventsPerSec'
  | 'cpuPerEvent'

interface Metric {
  key: MetricKey
  label: string
  window: WindowKind
  digits: number
  get(m: Measurement): number | undefined
}

const perSecond = (w: Window | undefined) => w && (w.count / w.elapsedMs) * 1000
const cpuPer = (w: Window | undefined) => w && w.cpuUs / w.count
const METRICS: Metric[] = [
  { key: 'p50', label: 'sequential call p50, µs ↓', window: 'sequential', digits: 0, get: (m) => m.calls?.p50Us },
  { key: 'p99', label: 'sequential call p99, µs ↓', window: 'sequential', digits: 0, get: (m) => m.calls?.p99Us },
  {
    key: 'cpuPerCallSequential',
    label: 'client CPU per sequential call, µs ↓',
    window: 'sequential',
    digits: 1,
    get: (m) => cpuPer(m.calls?.sequential),
  },
  {
    key: 'callsPerSec',
    label: 'pipelined calls/s (100 in flight) ↑',
    window: 'pipelined',
    digits: 0,
    get: (m) => perSecond(m.calls?.pipelined),
  },
  {
    key: 'cpuPerCall',
    label: 'client CPU per pipelined call, µs ↓',
    window: 'pipelined',
    digits: 1,
    get: (m) => cpuPer(m.calls?.pipelined),
  },
  { key: 'eventsPerSec', label: 'events/s received ↑', window: 'events', digits: 0, get: (m) => perSecond(m.events) },
  {
    key: 'cpuPerEvent',
    label: 'client CPU per event, µs ↓',
    window: 'events',
    digits: 1,
    get: (m) => cpuPer(m.events),
  },
]

const PEERS = ['floor', 'decoding', 'autobahn', 'wampy'] as const

export interface Target {
  serialization: Serialization
  metric: MetricKey
  window: WindowKind
  text: string
  met: boolean
  /** The figure the verdict rests on. */
  evidence: string
  /** Some rounds fall on each side of the threshold: the verdict is within the noise. */
  straddles: boolean
}

export interface Row {
  serialization: Serialization
  metric: Metric
  /** Per client: the summary of its per-round values. */
  values: Record<ClientName, Summary>
  /** ours ÷ peer: the summary of the per-round ratios. */
  ours: Record<(typeof PEERS)[number], Summary>
  /** Each client ÷ floor, per-round ratios. */
  vsFloor: Record<ClientName, Summary>
  targets: Target[]
}

export interface Analysis {
  rounds: number
  rows: Row[]
  targets: Target[]
  errors: Measurement[]
  protocols: Map<string, Set<string>>
}

function perRound(measurements: Measurement[], rounds: number, ser: Serialization, client: ClientName, metric: Metric) {
  const values = new Array<number>(rounds).fill(Number.NaN)
  for (const m of measurements) {
    if (m.serialization !== ser || m.client !== client || m.round > rounds) continue
    const value = metric.get(m)
    if (value !== undefined && Number.isFinite(value)) values[m.round - 1] = value
  }
  return values
}

function targetsFor(ser: Serialization, metric: Metric, ours: Row['ours']): Target[] {
  const make = (text: string, ratio: Summary, met: (r: number) => boolean, versus: string): Target => ({
    serialization: ser,
    metric: metric.key,
    window: metric.window,
    text,
    met: ratio.n > 0 && met(ratio.median),
    evidence: `ours÷${versus} ${ratio.median.toFixed(3)}, rounds ${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)}`,
    straddles: met(ratio.min) !== met(ratio.max),
  })
  switch (metric.key) {
    case 'cpuPerCall':
    case 'cpuPerCallSequential':
    case 'cpuPerEvent':
      return [make('ours ≤ 1.15× floor', ours.floor, (r) => r <= 1.15, 'floor')]
    case 'callsPerSec':
      return [
        make('ours ≥ 0.95× floor', ours.floor, (r) => r >= 0.95, 'floor'),
        make('ours > Autobahn|JS', ours.autobahn, (r) => r > 1, 'Autobahn|JS'),
        make('ours > wampy', ours.wampy, (r) => r > 1, 'wampy'),
      ]
    default:
      return []
  }
}

export function analyze(measurements: Measurement[], rounds: number): Analysis {
  const rows: Row[] = []
  for (const ser of SERIALIZATIONS) {
    for (const metric of METRICS) {
      const raw = Object.fromEntries(
        CLIENTS.map((client) => [client, perRound(measurements, rounds, ser, client, metric)]),
      ) as Record<ClientName, number[]>
      const values = Object.fromEntries(CLIENTS.map((c) => [c, summarize(raw[c])])) as Row['values']
      const ours = Object.fromEntries(PEERS.map((p) => [p, summarize(ratios(raw.ours, raw[p]))])) as Row['ours']
      const vsFloor = Object.fromEntries(
        CLIENTS.map((c) => [c, summarize(ratios(raw[c], raw.floor))]),
      ) as Row['vsFloor']
      rows.push({ serialization: ser, metric, values, ours, vsFloor, targets: targetsFor(ser, metric, ours) })
    }
  }
  const protocols = new Map<string, Set<string>>()
  for (const m of measurements) {
    if (!m.protocol) continue
    const key = CLIENT_LABEL[m.client]
    protocols.set(key, (protocols.get(key) ?? new Set()).add(m.protocol))
  }
  return {
    rounds,
    rows,
    targets: rows.flatMap((r) => r.targets),
    errors: measurements.filter((m) => m.error),
    protocols,
  }
}

/** At most 3 significant digits, spaces between thousands: 41 234 → "41 200", 23.14 → "23.1". */
function number(value: number, digits: number): string {
  if (!Number.isFinite(value)) return '—'
  if (Math.abs(value) >= 1000) return Number(value.toPrecision(3)).toLocaleString('en-US').replace(/,/g, ' ')
  return value.toFixed(value >= 100 ? 0 : digits)
}

function absoluteCell(s: Summary, digits: number, rounds: number): string {
  if (s.n === 0) return 'failed'
  const partial = s.n < rounds ? ` (n=${s.n})` : ''
  return `${number(s.median, digits)} ±${Math.round(s.spread * 100)}%${partial}`
}

function ratioCell(s: Summary): string {
  if (s.n === 0) return '—'
  return `**${s.median.toFixed(2)}** (${s.min.toFixed(2)}–${s.max.toFixed(2)})`
}

function verdict(targets: Target[]): string {
  return targets.map((t) => `${t.met ? '✅' : '❌'} ${t.text}`).join('<br>')
}

const SER_LABEL: Record<Serialization, string> = { json: 'JSON', msgpack: 'MsgPack', cbor: 'CBOR' }
const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join(
    '\n',
  )

/** The one comparison table (Markdown, readable in a terminal too). */
export function renderTable(analysis: Analysis): string {
  const head = [
    'serialization',
    'metric',
    ...CLIENTS.map((c) => CLIENT_LABEL[c]),
    'ours ÷ floor',
    'ours ÷ floor + decode',
    'ours ÷ Autobahn|JS',
    'ours ÷ wampy',
    'target',
  ]
  return table(
    head,
    analysis.rows.map((row) => [
      SER_LABEL[row.serialization],
      row.metric.label,
      ...CLIENTS.map((c) => absoluteCell(row.values[c], row.metric.digits, analysis.rounds)),
      ratioCell(row.ours.floor),
      ratioCell(row.ours.decoding),
      ratioCell(row.ours.autobahn),
      ratioCell(row.ours.wampy),
      verdict(row.targets),
    ]),
  )
}

/** Every client against the floor, for the CPU and throughput rows (to compare with earlier measurements). */
function renderVsFloor(analysis: Analysis): string {
  const keep: MetricKey[] = ['cpuPerCallSequential', 'callsPerSec', 'cpuPerCall', 'eventsPerSec', 'cpuPerEvent']
  const clients = CLIENTS.filter((c) => c !== 'floor')
  return table(
    ['serialization', 'metric', ...clients.map((c) => `${CLIENT_LABEL[c]} ÷ floor`)],
    analysis.rows
      .filter((r) => keep.includes(r.metric.key))
      .map((row) => [SER_LABEL[row.serialization], row.metric.label, ...clients.map((c) => ratioCell(row.vsFloor[c]))]),
  )
}

const metricLabel = (key: MetricKey) => METRICS.find((m) => m.key === key)?.label ?? key

export function renderTargets(analysis: Analysis): string {
  return analysis.targets
    .map(
      (t) =>
        `- ${t.met ? '✅ met' : '❌ missed'}: ${SER_LABEL[t.serialization]}, ${metricLabel(t.metric)}: ${t.text} (${t.evidence})${t.straddles ? ' — within the noise: rounds fall on both sides' : ''}`,
    )
    .join('\n')
}

export interface Meta {
  command: string
  rounds: number
  seconds: number
  sequentialCalls: number
  warmupMs: number
  cpu: string
  cores: number
  node: string
  os: string
  date: string
  loadAverage: string
  /** How the bench processes were built and run (bundle, or tsx). */
  build: string
  runtimeSeconds: number
}

/** One profiled window: the same window of react-wamp and of the floor, from runs made one after the other. */
export interface ProfileSection {
  serialization: Serialization
  window: WindowKind
  runs: Partial<Record<'ours' | 'floor', { summary: ProfileSummary; count: number; cpuUs: number }>>
}

const WINDOW_WORDS: Record<WindowKind, { what: string; per: string }> = {
  sequential: { what: 'sequential calls', per: 'call' },
  pipelined: { what: 'pipelined calls', per: 'call' },
  events: { what: 'received events', per: 'event' },
}

function renderProfile(section: ProfileSection): string {
  const { ours, floor } = section.runs
  const { what, per } = WINDOW_WORDS[section.window]
  if (!ours) return `#### ${SER_LABEL[section.serialization]}, ${what}: the profiled run failed`
  const perMessage = (us: number, count: number) => (us / count).toFixed(2)
  const areaNames = [...new Set([...ours.summary.areas, ...(floor?.summary.areas ?? [])].map((a) => a.area))]
  const usOf = (run: typeof ours | undefined, area: string) =>
    run ? perMessage(run.summary.areas.find((a) => a.area === area)?.us ?? 0, run.count) : '—'
  const areaRows = areaNames
    .map((area) => [area, usOf(ours, area), usOf(floor, area)])
    .filter(([, a, b]) => Number(a) >= 0.05 || Number(b) >= 0.05)
  const total = (run: typeof ours | undefined) => (run ? perMessage(run.summary.totalUs, run.count) : '—')
  const cpu = (run: typeof ours | undefined) => (run ? perMessage(run.cpuUs, run.count) : '—')
  areaRows.push(['**sampled total**', total(ours), total(floor)])
  // Where react-wamp spends more than the floor, with its heaviest functions there.
  const excess = areaNames
    .map((area) => ({ area, us: Number(usOf(ours, area)) - Number(usOf(floor, area)) }))
    .filter((e) => e.us >= 0.1)
    .sort((a, b) => b.us - a.us)
    .map(({ area, us }) => {
      const heaviest = ours.summary.functions
        .filter((f) => f.area === area)
        .slice(0, 3)
        .map((f) => {
          const same = floor?.summary.functions.find((g) => g.name === f.name && g.where === f.where)
          const versus = same && floor ? ` (floor ${perMessage(same.us, floor.count)})` : ''
          return `\`${f.name}\` ${perMessage(f.us, ours.count)}${versus}`
        })
      return `${area} +${us.toFixed(2)} µs (${heaviest.join(', ')})`
    })
  areaRows.push(['process.cpuUsage (all threads, for reference)', cpu(ours), cpu(floor)])
  const scope = ours.summary.windowed ? 'the measured window' : 'the whole process (the window could not be cut)'
  return [
    `#### ${SER_LABEL[section.serialization]}, ${what}`,
    '',
    `Self time over ${scope}, in µs per ${per} (${ours.count} ${per}s for react-wamp, ${floor?.count ?? 0} for the floor):`,
    '',
    table(['area', `react-wamp µs/${per}`, `floor µs/${per}`], areaRows),
    '',
    floor && excess.length
      ? `Largest excess over the floor, per ${per}: ${excess.join('; ')}.`
      : 'No area costs react-wamp 0.1 µs more than the floor.',
    '',
    `Top react-wamp functions by self time:`,
    '',
    table(
      ['self', `µs/${per}`, 'function', 'area', 'source'],
      ours.summary.functions
        .slice(0, 12)
        .map((t) => [
          `${(t.share * 100).toFixed(1)}%`,
          perMessage(t.us, ours.count),
          `\`${t.name}\``,
          t.area,
          t.where ? `\`${t.where}\`` : '',
        ]),
    ),
  ].join('\n')
}

export function renderMarkdown(analysis: Analysis, meta: Meta, profiles: ProfileSection[]): string {
  const missed = analysis.targets.filter((t) => !t.met)
  const protocols = [...analysis.protocols]
    .map(([client, set]) => `${client}: ${[...set].sort().join(', ')}`)
    .join('; ')
  const errors = analysis.errors.map(
    (m) => `- round ${m.round}, ${CLIENT_LABEL[m.client]}, ${SER_LABEL[m.serialization]}: ${m.error?.split('\n')[0]}`,
  )
  const lines = [
    '# Benchmarks',
    '',
    'react-wamp against Autobahn|JS and wampy, and against a floor: a bare `ws` socket that sends pre-encoded',
    'CALL frames and counts RESULT / EVENT frames without decoding them; and a second floor, "floor + decode",',
    'the same socket that also decodes every RESULT and EVENT (`JSON.parse`, a reused @msgpack/msgpack',
    'Decoder, or cborg) and drops it: the least any WAMP client must do. Generated by `bench/run.ts`; rerun it rather',
    'than editing this file.',
    '',
    '## Run',
    '',
    `- Command: \`${meta.command}\` (${meta.rounds} rounds, ${meta.seconds} s windows, ${meta.sequentialCalls} sequential calls, ${meta.warmupMs} ms warm-up); took ${Math.round(meta.runtimeSeconds)} s.`,
    `- Machine: ${meta.cpu}, ${meta.cores} cores, Node.js ${meta.node}, ${meta.os}; load average at start ${meta.loadAverage}; ${meta.date}.`,
    `- Build: ${meta.build}; react-wamp from src/, the other clients from node_modules (autobahn 22.11.1, wampy 8.0.2, ws 8).`,
    '- Router: the nexus test router (`test/routers/nexus`, out_queue_size 10000) on 127.0.0.1, WebSocket transport.',
    `- Negotiated subprotocols, checked by every worker: ${protocols}.`,
    '',
    '## Method',
    '',
    '- The driver starts nexus once. For every round, serialization and client, in the order floor,',
    '  floor + decode, react-wamp, Autobahn|JS, wampy (interleaved, so drift hits every client alike), it',
    '  starts two processes:',
    '  a service (always react-wamp, same serialization: registers `bench.echo`, which returns its argument,',
    '  and later publishes) and a worker running the measured client.',
    '- The worker checks the subprotocol and one echoed payload (`[1, "hello", {"a": 1}]`), warms up, then:',
    '  1. sequential calls, one at a time: p50 and p99 round trip, and its CPU time per call;',
    '  2. pipelined calls, 100 in flight, for one window: calls/s, and its own CPU time (`process.cpuUsage`,',
    '     user + system) ÷ calls;',
    '  3. events on `bench.events` from the service publishing without acknowledge (every 101st publish is',
    '     acknowledged, to pace the publisher to the router): events/s received and CPU time ÷ events.',
    '- Absolute cells: median over rounds ± half the min–max range. Ratio cells: **median of the per-round',
    '  ratios** (min–max), each ratio taken between measurements of the same round. ↓ lower is better, ↑ higher.',
    '- On 2 shared cores the router, the service and the worker compete for CPU, so throughput is mostly the',
    "  router's; the client's own CPU per message is what tells clients apart. A sequential call pays a",
    '  wake-up, a read and a write of its own; pipelined calls share them, so the client code weighs more there.',
    '- All `ws`-based clients (both floors, react-wamp, wampy: ws 8; Autobahn|JS: its own ws 7) use the installed',
    '  `bufferutil`/`utf-8-validate` native add-ons alike. Autobahn|JS runs with its default promises (when.js).',
    '',
    '## Results',
    '',
    renderTable(analysis),
    '',
    '### Every client ÷ floor',
    '',
    renderVsFloor(analysis),
    '',
    '## Targets (reported, not asserted)',
    '',
    renderTargets(analysis),
    '',
  ]
  if (errors.length) lines.push('### Failed measurements', '', ...errors, '')
  if (profiles.length) {
    lines.push(
      '## Profile',
      '',
      missed.length
        ? 'Targets were missed, so the driver ran react-wamp and then the floor once more under `node --cpu-prof` for each missed window and summed self time over the measured window.'
        : 'Profiles asked for with `BENCH_PROFILE=1`: react-wamp and the floor under `node --cpu-prof`, self time summed over the measured window.',
      'Sampled time counts the main thread only; `writev`/`writeBuffer` are the socket writes (the syscall included).',
      '',
      ...profiles.flatMap((p) => [renderProfile(p), '']),
    )
  }
  return lines.join('\n')
}
