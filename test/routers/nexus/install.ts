import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cacheDir } from '../ports.js'

const sourceDir = dirname(fileURLToPath(import.meta.url))
const sourceFiles = ['go.mod', 'go.sum', 'main.go']
const installHint =
  'Go >= 1.25 is required to build the nexus test router: install it from https://go.dev/dl (the golang-go of Debian and other distributions is often older), or with any Go >= 1.21 on PATH set GOTOOLCHAIN=auto so that go fetches 1.25 from the Go module proxy; then rerun npm test. WAMP_ROUTERS=local npm test needs no Go'

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: sourceDir, env, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr: String(stderr) }))
      else resolve(String(stdout))
    })
  })
}

async function build(): Promise<string> {
  const hash = createHash('sha256')
  for (const file of sourceFiles) hash.update(await readFile(join(sourceDir, file)))
  const dir = join(cacheDir(), `nexus-${hash.digest('hex').slice(0, 12)}`)
  const binary = join(dir, 'nexus-test-router')
  if (existsSync(binary)) return binary

  const env = { ...process.env, GOFLAGS: `${process.env.GOFLAGS ?? ''} -buildvcs=false`.trim() }
  let version: string
  try {
    version = await run('go', ['env', 'GOVERSION'], env)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(installHint)
    throw error
  }
  // Go >= 1.21 fetches the toolchain go.mod asks for by itself (GOTOOLCHAIN=auto); older ones cannot.
  const [major, minor] = (version.match(/go(\d+)\.(\d+)/) ?? []).slice(1).map(Number)
  if (major === 1 && minor !== undefined && minor < 21) throw new Error(`${installHint} (found ${version.trim()})`)

  process.stderr.write('building nexus test router… (a cold build downloads modules and may take a minute)\n')
  const started = Date.now()
  await mkdir(dir, { recursive: true })
  // Unique temporary name, then an atomic rename: concurrent builds cannot see a half-written binary.
  const tmp = `${binary}.tmp-${process.pid}-${Date.now()}`
  try {
    await run('go', ['build', '-trimpath', '-o', tmp, '.'], env)
    await rename(tmp, binary)
  } catch (error) {
    await rm(tmp, { force: true })
    const stderr = (error as { stderr?: string }).stderr ?? ''
    throw new Error(`building the nexus test router failed (${installHint}):\n${stderr || String(error)}`)
  }
  process.stderr.write(`built nexus test router in ${((Date.now() - started) / 1000).toFixed(1)} s: ${binary}\n`)
  return binary
}

let pending: Promise<string> | undefined

/** Builds (once per source hash, cached under cacheDir()) and returns the path of the nexus test router binary. */
export function ensureNexus(): Promise<string> {
  pending ??= build().catch((error) => {
    pending = undefined
    throw error
  })
  return pending
}
