/**
 * Runs a small TypeScript script in its own Node process (`node --import tsx`), for the crash
 * cases: an unhandled 'error' event or rejection there ends that process, not the test runner.
 * The script imports the library by absolute path (`${SRC}/client/index.js`).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/** The repository root and its `src/`, for imports in child scripts. */
export const ROOT = resolve(import.meta.dirname, '../..')
export const SRC = join(ROOT, 'src')

export interface ChildOutcome {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Writes `source` to a temporary .mts file (ESM, top-level await) and runs it; resolves when the process exits (killed after `limitMs`). */
export async function runChild(source: string, limitMs = 15_000): Promise<ChildOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'react-wamp-child-'))
  const file = join(dir, 'script.mts')
  writeFileSync(file, source)
  try {
    return await new Promise<ChildOutcome>((resolvePromise, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', file], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NODE_OPTIONS: '' },
      })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk
      })
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk
      })
      const timer = setTimeout(() => child.kill('SIGKILL'), limitMs)
      child.on('error', reject)
      child.on('close', (code, signal) => {
        clearTimeout(timer)
        resolvePromise({ code, signal, stdout, stderr })
      })
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
