/**
 * The bench processes as plain JavaScript: one esbuild bundle of bench/worker.ts and bench/service.ts
 * (react-wamp's src/ included, the clients split into chunks), built like the library (ES2022, not
 * minified, no keepNames). So the measured processes run without tsx, whose loader thread and
 * `__name()` wrappers around every closure would otherwise cost CPU. Package imports point at the
 * repository's node_modules by absolute URL, so the bundle can live in a temporary directory.
 */
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const benchDir = dirname(fileURLToPath(import.meta.url))
const repoDir = join(benchDir, '..')

export interface Launchers {
  /** Node arguments that run each bench process. */
  worker: string[]
  service: string[]
  /** The bundle directory, to remove at the end (none when falling back to tsx). */
  dir?: string
  note: string
}

const viaTsx = (script: string) => ['--import', 'tsx', join(benchDir, script)]

export async function buildBenchProcesses(): Promise<Launchers> {
  let esbuild: typeof import('esbuild')
  try {
    esbuild = await import('esbuild')
  } catch {
    const note = 'bench processes run through tsx (esbuild, which tsx brings along, was not found)'
    return { worker: viaTsx('worker.ts'), service: viaTsx('service.ts'), note }
  }
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-build-'))
  await esbuild.build({
    absWorkingDir: repoDir,
    entryPoints: { worker: 'bench/worker.ts', service: 'bench/service.ts' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
    plugins: [
      {
        name: 'packages-by-absolute-url',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) => ({ path: import.meta.resolve(args.path), external: true }))
        },
      },
    ],
  })
  return {
    worker: [join(dir, 'worker.mjs')],
    service: [join(dir, 'service.mjs')],
    dir,
    note: `bench processes are an esbuild ${esbuild.version} bundle of bench/ and src/ (ES2022, no minify, no keepNames), run by plain node`,
  }
}
