/**
 * How the CBOR package of src/serializers/cbor.ts was chosen (issue 22): each candidate measured for
 * (1) the bytes a browser downloads for what we import (esbuild, minified, gzip), (2) CPU per
 * message to encode and to decode typical CALL, RESULT and EVENT messages, (3) the official WAMP
 * test vectors' CBOR samples: does it decode every one to what the MsgPack sample decodes to, and
 * does its encoding of that message decode back the same.
 * The candidates are not dependencies of the project: install them into a folder of their own.
 *
 *   npm install --prefix /tmp/cbor-cand cbor-x@1.6.9 cborg@6.1.5 @levischuck/tiny-cbor@0.3.6 cbor2@2.3.0
 *   CBOR_CANDIDATES=/tmp/cbor-cand/node_modules npx tsx bench/cbor-candidates.ts
 *   BENCH_ROUNDS=5 BENCH_MESSAGES=100000 BENCH_ONLY=cborg,react-wamp
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { gzipSync } from 'node:zlib'
import { decode as decodeMsgpack } from '@msgpack/msgpack'
import { build } from 'esbuild'

const DIR = process.env.CBOR_CANDIDATES ?? '/tmp/cbor-cand/node_modules'
const REPO = new URL('..', import.meta.url).pathname
/** Only the candidates whose name contains one of these (comma-separated), e.g. BENCH_ONLY=cborg,react-wamp. */
const ONLY = process.env.BENCH_ONLY?.split(',')
const ROUNDS = Number(process.env.BENCH_ROUNDS || 5)
const MESSAGES = Number(process.env.BENCH_MESSAGES || 100_000)

interface Codec {
  encode(message: unknown): Uint8Array
  decode(bytes: Uint8Array): unknown
}

/** What each candidate's browser entry imports, and how it is driven the way a WAMP serializer would. */
const candidates: Record<string, { entry: string; load(): Promise<Codec>; notCbor?: true }> = {
  'cbor-x 1.6.9': {
    entry:
      "import { Encoder, Decoder } from 'cbor-x'; export const e = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false, pack: false }), d = new Decoder({ useRecords: false, mapsAsObjects: true })",
    async load() {
      const { Encoder, Decoder } = await import(join(DIR, 'cbor-x/index.js'))
      const e = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false, pack: false })
      const d = new Decoder({ useRecords: false, mapsAsObjects: true })
      return { encode: (m) => e.encode(m), decode: (b) => d.decode(b) }
    },
  },
  'cborg 6.1.5': {
    entry: "export { encode, decode } from 'cborg'",
    async load() {
      const { encode, decode } = await import(join(DIR, 'cborg/cborg.js'))
      return { encode: (m) => encode(m), decode: (b) => decode(b, { allowUndefined: false }) }
    },
  },
  '@levischuck/tiny-cbor 0.3.6': {
    entry: "export { encodeCBOR, decodePartialCBOR } from '@levischuck/tiny-cbor'",
    async load() {
      const { encodeCBOR, decodeCBOR } = await import(join(DIR, '@levischuck/tiny-cbor/esm/index.js'))
      // It reads and writes maps as Map: the WAMP message's dicts are converted both ways.
      return { encode: (m) => encodeCBOR(toMaps(m)), decode: (b) => fromMaps(decodeCBOR(b)) }
    },
  },
  // For reference: the serializers as the client uses them (the checks around the package included).
  'react-wamp CBOR (cborg + checks)': {
    entry: "export { cborSerializer } from './src/serializers/cbor.ts'",
    async load() {
      const { cborSerializer } = await import('../src/serializers/cbor.js')
      return {
        encode: (m) => cborSerializer.encode(m as unknown[]) as Uint8Array,
        decode: (b) => cborSerializer.decode(b),
      }
    },
  },
  'react-wamp MsgPack (@msgpack/msgpack + checks)': {
    notCbor: true,
    entry: "export { msgpackSerializer } from './src/serializers/msgpack.ts'",
    async load() {
      const { msgpackSerializer } = await import('../src/serializers/msgpack.js')
      return {
        encode: (m) => msgpackSerializer.encode(m as unknown[]) as Uint8Array,
        decode: (b) => msgpackSerializer.decode(b),
      }
    },
  },
  'cbor2 2.3.0': {
    entry: "export { encode, decode } from 'cbor2'",
    async load() {
      const { encode, decode } = await import(join(DIR, 'cbor2/lib/index.js'))
      return { encode: (m) => encode(m), decode: (b) => decode(b) }
    },
  },
}

function toMaps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toMaps)
  if (value && typeof value === 'object' && !(value instanceof Uint8Array))
    return new Map(Object.entries(value).map(([k, v]) => [k, toMaps(v)]))
  return value
}
function fromMaps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromMaps)
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, fromMaps(v)]))
  return value
}

async function gzipBytes(entry: string): Promise<number> {
  const result = await build({
    // The candidates resolve from DIR; react-wamp's own files from the repository.
    stdin: { contents: entry, resolveDir: entry.includes('./src/') ? REPO : DIR, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    nodePaths: [DIR],
    logLevel: 'silent',
  })
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length
}

/** The echo payload of bench/worker.ts; IDs as a real router hands them out (global scope beyond 2^32). */
const payload = [1, 'hello', { a: 1 }]
const samples: Record<string, unknown[]> = {
  CALL: [48, 4711, {}, 'com.example.echo', payload],
  RESULT: [50, 4711, {}, payload],
  EVENT: [36, 5_512_315_355, 7_239_185_542_107, {}, [42, 'tick', 1.5], { source: 'sensor-7', ok: true }],
}

let sink = 0
function cpuPerMessage(run: () => unknown): number {
  const start = process.cpuUsage()
  for (let i = 0; i < MESSAGES; i++) if (run() === undefined) sink++
  const used = process.cpuUsage(start)
  return ((used.user + used.system) * 1000) / MESSAGES // ns
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

/** Bytes as plain Uint8Array, BigInts within ±2^53 as numbers: how both sides are compared. */
function normal(value: unknown): unknown {
  if (typeof value === 'bigint') return value >= -(2n ** 53n) && value <= 2n ** 53n ? Number(value) : value
  if (value instanceof Uint8Array) return Array.from(value)
  if (Array.isArray(value)) return value.map(normal)
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), normal(v)]))
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normal(v)]))
  return value
}

function vectors(codec: Codec): string {
  const file = new URL('../test/fixtures/wamp-vectors/testsuite.json', import.meta.url)
  const frames = (JSON.parse(readFileSync(file, 'utf8')) as { frames: { msgpack: string[]; cbor: string[] }[] }).frames
  let total = 0
  let decoded = 0
  let roundTrip = 0
  for (const frame of frames) {
    const want = normal(decodeMsgpack(Buffer.from(frame.msgpack[0]!, 'hex')))
    for (const hex of frame.cbor) {
      total++
      try {
        const got = codec.decode(new Uint8Array(Buffer.from(hex, 'hex')))
        if (isDeepStrictEqual(normal(got), want)) decoded++
        if (isDeepStrictEqual(normal(codec.decode(codec.encode(got))), want)) roundTrip++
      } catch {}
    }
  }
  return `${decoded}/${total} decoded, ${roundTrip}/${total} round trip`
}

const rows: string[] = []
for (const [name, candidate] of Object.entries(candidates)) {
  if (ONLY && !ONLY.some((part) => name.includes(part))) continue
  const codec = await candidate.load()
  const bytes = await gzipBytes(candidate.entry)
  const cells: string[] = []
  for (const [type, message] of Object.entries(samples)) {
    const encoded = codec.encode(message)
    const enc: number[] = []
    const dec: number[] = []
    for (let round = -1; round < ROUNDS; round++) {
      const e = cpuPerMessage(() => codec.encode(message))
      const d = cpuPerMessage(() => codec.decode(encoded))
      if (round < 0) continue
      enc.push(e)
      dec.push(d)
    }
    cells.push(`${type} ${Math.round(median(enc))}/${Math.round(median(dec))}`)
  }
  rows.push(
    `| ${name} | ${(bytes / 1000).toFixed(2)} kB | ${cells.join(', ')} | ${candidate.notCbor ? '—' : vectors(codec)} |`,
  )
}
console.log('| package | min+gzip | ns per message, encode/decode | official vectors (CBOR samples) |')
console.log('|---|---|---|---|')
for (const row of rows) console.log(row)
if (sink < 0) console.log(sink)
