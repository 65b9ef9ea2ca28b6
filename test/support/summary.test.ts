import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

/**
 * `npm test` (test/run.ts) tells the truth in its last line whatever fails: the setup (Chromium
 * missing), a global setup, a beforeAll. Each case runs in a child process with a fixture config.
 */
const root = fileURLToPath(new URL('../..', import.meta.url))
const tsx = join(root, 'node_modules/tsx/dist/cli.mjs')
const fixture = 'test/support/fixtures/failing/vitest.config.ts'
const emptyDir = mkdtempSync(join(tmpdir(), 'wamp-no-path-'))
afterAll(() => rmSync(emptyDir, { recursive: true, force: true }))

interface Ended {
  code: number | null
  lastLine: string
  output: string
}

function runTs(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ended> {
  return new Promise((resolve) => {
    const options = { cwd: root, timeout: 60_000, env: { ...process.env, ...env } }
    const child = execFile(process.execPath, [tsx, script, ...args], options, (_error, stdout, stderr) => {
      resolve({ code: child.exitCode, lastLine: stdout.trimEnd().split('\n').at(-1) ?? '', output: stdout + stderr })
    })
  })
}

// No chromium on PATH (an empty folder), no CHROMIUM_PATH; WAMP_ROUTERS=local builds nothing.
const noChromium = { PATH: emptyDir, CHROMIUM_PATH: '', WAMP_ROUTERS: 'local' }

describe('the last line of npm test counts every failure', () => {
  it.each(['test/install.ts', 'test/run.ts'])('%s without Chromium: exit 1, "0 passed, 1 failed"', async (script) => {
    const ended = await runTs(script, [], noChromium)
    expect(ended.code).toBe(1)
    expect(ended.lastLine).toBe('0 passed, 1 failed, 0 skipped')
    expect(ended.output).toContain('apt-get install -y chromium')
  })

  it('a global setup that throws counts as a failure', async () => {
    const ended = await runTs('test/run.ts', ['--config', fixture, '--project', 'failing-setup'], {})
    expect(ended.output).toContain('fixture: the global setup failed')
    expect(ended.code).not.toBe(0)
    expect(ended.lastLine).toBe('0 passed, 1 failed, 0 skipped')
  })

  it('a beforeAll that throws counts its file as failed, its tests as skipped', async () => {
    const ended = await runTs('test/run.ts', ['--config', fixture, '--project', 'failing-hook'], {})
    expect(ended.output).toContain('fixture: beforeAll failed')
    expect(ended.code).not.toBe(0)
    expect(ended.lastLine).toBe('1 passed, 1 failed, 2 skipped')
  })
})
