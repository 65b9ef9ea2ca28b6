/**
 * Installs Crossbar.io into a cached Python virtual environment.
 *
 * The venv lives in `cacheDir()/crossbar-venv-<hash>`, where the hash covers requirements.txt and the
 * Python version, so editing the requirements (or changing Python) installs afresh, while another clone
 * on the same machine reuses it. It is built in a sibling temp dir and renamed into place, so an
 * interrupted install is never used. Set CROSSBAR_PYTHON to use another interpreter than `python3`.
 */
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cacheDir } from '../ports.js'

// Not `new URL(…, import.meta.url)`: under a DOM test environment `URL` is the DOM's, which fileURLToPath refuses.
const REQUIREMENTS = join(dirname(fileURLToPath(import.meta.url)), 'requirements.txt')
const INSTALL_HINT =
  'Crossbar.io needs Python >= 3.11 with the venv module. On Debian/Ubuntu: ' +
  '`apt-get install -y python3 python3-venv` (or point CROSSBAR_PYTHON at such an interpreter).'

let pending: Promise<string> | undefined

/** Returns the path of the `crossbar` executable, installing it first if needed (takes about a minute). */
export function ensureCrossbar(): Promise<string> {
  pending ??= install().catch((err) => {
    pending = undefined
    throw err
  })
  return pending
}

function log(msg: string): void {
  process.stderr.write(`[crossbar-install] ${msg}\n`)
}

function pythonVersion(python: string): string {
  const probe = spawnSync(python, ['-c', 'import sys, venv, ensurepip; print("%d.%d.%d" % sys.version_info[:3])'], {
    encoding: 'utf8',
  })
  if (probe.error) throw new Error(`cannot run ${python} (${probe.error.message}). ${INSTALL_HINT}`)
  if (probe.status !== 0) {
    throw new Error(`${python} lacks the venv/ensurepip modules: ${probe.stderr.trim()}. ${INSTALL_HINT}`)
  }
  const version = probe.stdout.trim()
  const [major = 0, minor = 0] = version.split('.').map(Number)
  if (major < 3 || (major === 3 && minor < 11)) throw new Error(`${python} is Python ${version}. ${INSTALL_HINT}`)
  return version
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PYTHONNOUSERSITE: '1' },
    })
    const tail: string[] = []
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue
        tail.push(line)
        if (tail.length > 40) tail.shift()
        // pip is chatty; show only the lines that tell progress or trouble
        if (/^(Collecting|Successfully|ERROR|error|WARNING)/.test(line)) log(line.slice(0, 200))
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolve()
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${tail.join('\n')}`))
    })
  })
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Removes temp dirs left by installs whose process is gone. */
function removeStaleTemps(base: string): void {
  for (const name of readdirSync(base)) {
    const m = /^crossbar-venv-[0-9a-f]+\.tmp-(\d+)-/.exec(name)
    if (m && !isAlive(Number(m[1]))) rmSync(`${base}/${name}`, { recursive: true, force: true })
  }
}

/** A venv hard-codes its own path in bin/ scripts: point them at the final location before the rename. */
function relocateScripts(tmp: string, final: string): void {
  for (const name of readdirSync(`${tmp}/bin`)) {
    const file = `${tmp}/bin/${name}`
    const st = lstatSync(file)
    if (!st.isFile() || st.size > 1_000_000) continue
    const buf = readFileSync(file)
    if (buf.includes(0)) continue // binary (e.g. flatc)
    const text = buf.toString('utf8')
    if (text.includes(tmp)) writeFileSync(file, text.split(tmp).join(final))
  }
  const cfg = `${tmp}/pyvenv.cfg`
  writeFileSync(cfg, readFileSync(cfg, 'utf8').split(tmp).join(final))
}

async function install(): Promise<string> {
  const python = process.env.CROSSBAR_PYTHON || 'python3'
  const requirements = readFileSync(REQUIREMENTS, 'utf8')
  const version = pythonVersion(python)
  const hash = createHash('sha256').update(`python ${version}\n`).update(requirements).digest('hex').slice(0, 16)
  const base = cacheDir()
  const final = `${base}/crossbar-venv-${hash}`
  const exe = `${final}/bin/crossbar`
  if (existsSync(exe)) return exe

  mkdirSync(base, { recursive: true })
  // one install at a time per venv (parallel test workers): the others wait for it
  const lock = `${final}.lock`
  const giveUp = Date.now() + 15 * 60_000
  for (;;) {
    try {
      mkdirSync(lock)
      writeFileSync(`${lock}/pid`, String(process.pid))
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    if (existsSync(exe)) return exe
    let owner = 0
    try {
      owner = Number(readFileSync(`${lock}/pid`, 'utf8'))
    } catch {
      // lock just made, pid not yet written
    }
    const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0)
    const orphaned = owner ? !isAlive(owner) : age > 30_000
    if (orphaned) {
      rmSync(lock, { recursive: true, force: true })
      continue
    }
    if (Date.now() > giveUp) throw new Error(`gave up waiting for the Crossbar.io install holding ${lock}`)
    log(`waiting for the install running in process ${owner || '?'}`)
    await new Promise((r) => setTimeout(r, 2_000))
  }
  try {
    if (existsSync(exe)) return exe
    await installInto(python, version, base, final)
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
  return exe
}

async function installInto(python: string, version: string, base: string, final: string): Promise<void> {
  const exe = `${final}/bin/crossbar`
  removeStaleTemps(base)
  const tmp = `${final}.tmp-${process.pid}-${Date.now()}`
  const started = Date.now()
  log(`installing Crossbar.io (Python ${version}) into ${final} - this takes a minute or two`)
  try {
    await run(python, ['-m', 'venv', tmp])
    // --no-compile: byte-code is compiled below with the final path, so tracebacks name real files
    await run(`${tmp}/bin/python`, ['-m', 'pip', 'install', '--no-compile', '-r', REQUIREMENTS])
    await run(`${tmp}/bin/python`, ['-m', 'compileall', '-q', '-j', '0', '-s', tmp, '-p', final, `${tmp}/lib`]).catch(
      () => {}, // a few packages ship files that don't compile; Python compiles lazily anyway
    )
    relocateScripts(tmp, final)
    // smoke test (through the interpreter: the rewritten shebang points at the not yet existing final dir)
    await run(`${tmp}/bin/python`, [`${tmp}/bin/crossbar`, 'version'])
    try {
      renameSync(tmp, final)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || !existsSync(exe)) throw err
      log('another process finished the same install first; using it')
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
  log(`installed in ${((Date.now() - started) / 1000).toFixed(0)} s`)
}
