/**
 * CPU per message of the MsgPack serializer, before and after issue 15: the hand-written codec
 * (bench/msgpack-codec-old.ts, as src/serializers used it) against @msgpack/msgpack as
 * src/serializers/msgpack.ts now drives it, on typical CALL, RESULT and EVENT messages.
 * Rounds interleave the two (alternating which goes first), so drift hits both alike; each cell
 * is the median over rounds of CPU time (process.cpuUsage, user + system) ÷ messages.
 *
 *   npx tsx bench/msgpack-codec.ts      (re-runs itself as an esbuild bundle under plain node)
 *   BENCH_ROUNDS=7 BENCH_MESSAGES=200000
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROUNDS = Number(process.env.BENCH_ROUNDS || 7)
const MESSAGES = Number(process.env.BENCH_MESSAGES || 200_000)

/** The echo payload of bench/worker.ts; IDs as a real router hands them out (global scope beyond 2^32). */
const payload = [1, 'hello', { a: 1 }]
const samples: Record<string, unknown[]> = {
  CALL: [48, 4711, {}, 'com.example.echo', payload],
  RESULT: [50, 4711, {}, payload],
  EVENT: [36, 5_512_315_355, 7_239_185_542_107, {}, [42, 'tick', 1.5], { source: 'sensor-7', ok: true }],
}

interface Codec {
  encode(message: unknown[]): Uint8Array
  decode(bytes: Uint8Array): unknown
}

async function codecs(): Promise<Record<'old' | 'new', Codec>> {
  const old = await import('./msgpack-codec-old.js')
  const { msgpackSerializer } = await import('../src/serializers/msgpack.js')
  return {
    // As src/serializers/msgpack.ts wrapped the old codec (its catch path never runs here).
    old: { encode: (m) => old.encodeMsgPack(m), decode: (b) => old.decodeMsgPack(b) },
    new: { encode: (m) => msgpackSerializer.encode(m) as Uint8Array, decode: (b) => msgpackSerializer.decode(b) },
  }
}

let sink = 0
function cpuPerMessage(run: () => unknown): number {
  const start = process.cpuUsage()
  for (let i = 0; i < MESSAGES; i++) if (run() === undefined) sink++
  const used = process.cpuUsage(start)
  return ((used.user + used.system) * 1000) / MESSAGES // ns
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

async function measure(): Promise<void> {
  const all = await codecs()
  const cells = new Map<string, number[]>()
  const add = (key: string, ns: number) => cells.set(key, [...(cells.get(key) ?? []), ns])
  for (let round = -1; round < ROUNDS; round++) {
    // Round -1 warms both up and is not counted.
    const order: ('old' | 'new')[] = round % 2 ? ['old', 'new'] : ['new', 'old']
    for (const [name, message] of Object.entries(samples)) {
      for (const which of order) {
        const codec = all[which]
        const bytes = codec.encode(message)
        const encode = cpuPerMessage(() => codec.encode(message))
        const decode = cpuPerMessage(() => codec.decode(bytes))
        if (round >= 0) {
          add(`${name} encode ${which}`, encode)
          add(`${name} decode ${which}`, decode)
        }
      }
    }
  }
  const lines = [
    `| message | bytes | op | old codec, ns ↓ | @msgpack/msgpack, ns ↓ | new ÷ old (rounds) |`,
    '|---|---|---|---|---|---|',
  ]
  for (const [name, message] of Object.entries(samples)) {
    for (const op of ['encode', 'decode']) {
      const old = cells.get(`${name} ${op} old`)!
      const now = cells.get(`${name} ${op} new`)!
      const ratios = old.map((o, i) => now[i]! / o)
      const size = all.new.encode(message).length
      lines.push(
        `| ${name} | ${size} | ${op} | ${median(old).toFixed(0)} | ${median(now).toFixed(0)} | **${median(ratios).toFixed(2)}** (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) |`,
      )
    }
  }
  console.log(`${ROUNDS} rounds × ${MESSAGES} messages per cell, Node ${process.version}, ${os.cpus().length} cores`)
  console.log(lines.join('\n'))
  if (sink) console.log('(sink)', sink)
}

async function main(): Promise<void> {
  if (process.env.BENCH_BUNDLED) return measure()
  // Under tsx every closure carries a __name() wrapper; measure an esbuild bundle under plain node.
  const esbuild = await import('esbuild')
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-msgpack-'))
  try {
    const outfile = join(dir, 'msgpack-codec.mjs')
    await esbuild.build({
      entryPoints: [fileURLToPath(import.meta.url)],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'es2022',
      outfile,
      logLevel: 'silent',
    })
    const child = spawnSync(process.execPath, [outfile], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_BUNDLED: '1' },
    })
    process.exitCode = child.status ?? 1
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
