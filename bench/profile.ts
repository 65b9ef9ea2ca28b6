/** Reads a V8 `.cpuprofile` (node --cpu-prof) and sums self time per function and per area. */
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}
interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

export interface SelfTime {
  name: string
  where: string
  area: string
  us: number
  share: number
}

export interface ProfileSummary {
  /** Sampled CPU time (µs, idle excluded) inside the window. */
  totalUs: number
  /** True when the samples were cut to the measured window (false: the whole process life). */
  windowed: boolean
  /** Every function with self time, most first. */
  functions: SelfTime[]
  areas: { area: string; us: number; share: number }[]
}

/** Where a function lives, in words: our src/, a package, Node.js itself, V8. */
function areaOf(url: string, name: string, source: string | undefined): string {
  if (name === '(garbage collector)') return 'GC'
  if (name === '(program)') return 'V8/native (program)'
  if (source?.startsWith('src/')) return 'react-wamp'
  if (source?.startsWith('bench/')) return 'bench harness'
  if (url.includes('/node_modules/')) {
    const parts = url.split('/node_modules/').pop()?.split('/') ?? []
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? url)
  }
  if (url.includes('/src/')) return 'react-wamp'
  if (url.includes('/bench/')) return 'bench harness'
  if (url.startsWith('node:')) return 'Node.js internals'
  return url === '' ? 'V8/native builtins' : url
}

function shortUrl(url: string, root: string): string {
  const path = url.startsWith('file://') ? new URL(url).pathname : url
  return path.startsWith('/') ? relative(root, path) : path
}

/** esbuild marks each module of a bundle with a `// src/…/file.ts` line: the source file of a bundle line. */
const bundleLines = new Map<string, string[] | undefined>()
function bundleSource(url: string, line: number): string | undefined {
  if (!url.startsWith('file://') || url.includes('/node_modules/')) return undefined
  if (!bundleLines.has(url)) {
    let lines: string[] | undefined
    try {
      const text = readFileSync(new URL(url), 'utf8')
      lines = /^\/\/ (src|bench)\//m.test(text) ? text.split('\n') : undefined
    } catch {
      lines = undefined
    }
    bundleLines.set(url, lines)
  }
  const lines = bundleLines.get(url)
  for (let i = Math.min(line, (lines?.length ?? 0) - 1); lines && i >= 0; i--) {
    const marker = /^\/\/ ((?:src|bench)\/\S+)$/.exec(lines[i] ?? '')
    if (marker) return marker[1]
  }
  return undefined
}

/** Self time per function between fromUs and toUs (monotonic µs); the whole profile when they miss it. */
export function summarizeProfile(file: string, fromUs: number, toUs: number, root: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const windowed = fromUs >= profile.startTime && toUs <= profile.endTime
  const selfByKey = new Map<string, SelfTime>()
  let time = profile.startTime
  let totalUs = 0
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0
    time += delta
    if (windowed && (time < fromUs || time > toUs)) return
    const node = byId.get(id)
    if (!node) return
    const { functionName, url, lineNumber } = node.callFrame
    if (functionName === '(idle)') return
    const name = functionName || '(anonymous)'
    const source = bundleSource(url, lineNumber)
    // A bundle line means nothing once the bundle is gone (and tsx puts whole modules on line 1): name the file.
    const where =
      source ?? (url.includes('/src/') ? shortUrl(url, root) : url ? `${shortUrl(url, root)}:${lineNumber + 1}` : '')
    const key = `${name} ${where}`
    const entry = selfByKey.get(key) ?? { name, where, area: areaOf(url, name, source), us: 0, share: 0 }
    entry.us += delta
    totalUs += delta
    selfByKey.set(key, entry)
  })
  const entries = [...selfByKey.values()]
  for (const entry of entries) entry.share = entry.us / totalUs
  const areas = new Map<string, number>()
  for (const entry of entries) areas.set(entry.area, (areas.get(entry.area) ?? 0) + entry.us)
  return {
    totalUs,
    windowed,
    functions: entries.sort((a, b) => b.us - a.us),
    areas: [...areas].map(([area, us]) => ({ area, us, share: us / totalUs })).sort((a, b) => b.us - a.us),
  }
}
