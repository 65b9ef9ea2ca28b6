import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { cacheDir } from '../routers/ports.js'

/** A small Go program of the test suite: its module folder and what to call the binary. */
export interface GoProgram {
  /** The folder holding go.mod, go.sum and the sources. */
  sourceDir: string
  /** The files whose content decides the cache entry. */
  sourceFiles: string[]
  /** The cache folder's prefix (`<prefix>-<hash>` under cacheDir()). */
  cachePrefix: string
  binaryName: string
  /** For messages, e.g. "nexus test router". */
  label: string
}

const installHint = (label: string) =>
  `Go >= 1.25 is required to build the ${label}: install it from https://go.dev/dl (the golang-go of Debian and other distributions is often older), or with any Go >= 1.21 on PATH set GOTOOLCHAIN=auto so that go fetches 1.25 from the Go module proxy; then rerun npm test. WAMP_ROUTERS=local npm test needs no Go`

function run(cwd: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, env, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr: String(stderr) }))
      else resolve(String(stdout))
    })
  })
}

/** Builds the program with the machine's Go, once per source hash (cached under cacheDir()); returns the binary's path. */
export async function buildGoProgram(program: GoProgram): Promise<string> {
  const { sourceDir, label } = program
  const hash = createHash('sha256')
  for (const file of program.sourceFiles) hash.update(await readFile(join(sourceDir, file)))
  const dir = join(cacheDir(), `${program.cachePrefix}-${hash.digest('hex').slice(0, 12)}`)
  const binary = join(dir, program.binaryName)
  if (existsSync(binary)) return binary

  const env = { ...process.env, GOFLAGS: `${process.env.GOFLAGS ?? ''} -buildvcs=false`.trim() }
  let version: string
  try {
    version = await run(sourceDir, 'go', ['env', 'GOVERSION'], env)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(installHint(label))
    throw error
  }
  // Go >= 1.21 fetches the toolchain go.mod asks for by itself (GOTOOLCHAIN=auto); older ones cannot.
  const [major, minor] = (version.match(/go(\d+)\.(\d+)/) ?? []).slice(1).map(Number)
  if (major === 1 && minor !== undefined && minor < 21)
    throw new Error(`${installHint(label)} (found ${version.trim()})`)

  process.stderr.write(`building ${label}… (a cold build downloads modules and may take a minute)\n`)
  const started = Date.now()
  await mkdir(dir, { recursive: true })
  // Unique temporary name, then an atomic rename: concurrent builds cannot see a half-written binary.
  const tmp = `${binary}.tmp-${process.pid}-${Date.now()}`
  try {
    await run(sourceDir, 'go', ['build', '-trimpath', '-o', tmp, '.'], env)
    await rename(tmp, binary)
  } catch (error) {
    await rm(tmp, { force: true })
    const stderr = (error as { stderr?: string }).stderr ?? ''
    throw new Error(`building the ${label} failed (${installHint(label)}):\n${stderr || String(error)}`)
  }
  process.stderr.write(`built ${label} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${binary}\n`)
  return binary
}

/** One build per process at a time; a failed build may be retried. */
export function onceAtATime(build: () => Promise<string>): () => Promise<string> {
  let pending: Promise<string> | undefined
  return () => {
    pending ??= build().catch((error) => {
      pending = undefined
      throw error
    })
    return pending
  }
}
