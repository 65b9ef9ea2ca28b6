/**
 * `npm test`: prepares the environment, runs vitest with the arguments given, and prints the last
 * line, `N passed, N failed, N skipped`, whatever failed: the setup (counted as one failure), a
 * test, or vitest itself after its reporters (a global setup that threw, an unhandled error).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { prepare, setupFailed } from './prepare.js'
import { COUNTS_FILE_ENV, readCounts, summaryLine } from './support/summary.js'

const args = process.argv.slice(2)
await prepare(args).catch(setupFailed)

const root = fileURLToPath(new URL('..', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'wamp-test-run-'))
const file = join(dir, 'counts.json')
const vitest = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...args], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, [COUNTS_FILE_ENV]: file },
})
const counts = readCounts(file) ?? { passed: 0, failed: 0, skipped: 0 }
rmSync(dir, { recursive: true, force: true })
const code = vitest.status ?? 1 // killed by a signal: a failure
if (code !== 0 && counts.failed === 0) counts.failed = 1
process.stdout.write(`\n${summaryLine(counts)}\n`)
process.exit(code === 0 && counts.failed > 0 ? 1 : code)
