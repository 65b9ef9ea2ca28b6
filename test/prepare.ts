/**
 * What `npm test` needs before vitest starts: every router that WAMP_ROUTERS selects (built or
 * installed, cached outside the clone), React 18 for the second React run, and Chromium, each only
 * when a project that uses it runs (all by default; `--project` narrows). Throws, saying how to
 * install what is missing.
 */
import { requireChromium } from './browser/find-chromium.js'
import { ensureReact18 } from './react18/install.js'
import { selectedRouters } from './routers/start.js'
import { summaryLine } from './support/summary.js'

/** The projects named by `--project` in vitest's arguments; empty when every project runs. */
function projects(args: readonly string[]): string[] {
  return args.flatMap((arg, i) =>
    arg === '--project' ? [args[i + 1] ?? ''] : arg.startsWith('--project=') ? [arg.slice(10)] : [],
  )
}

export async function prepare(args: readonly string[] = []): Promise<void> {
  const chosen = projects(args)
  const runs = (...names: string[]) => chosen.length === 0 || names.some((name) => chosen.includes(name))
  // First the check that takes no time, so a missing browser fails the run at once.
  if (runs('browser')) requireChromium()
  if (runs('conformance', 'react18', 'browser')) {
    for (const name of selectedRouters()) {
      if (name === 'nexus') {
        await (await import('./routers/nexus/install.js')).ensureNexus()
        await (await import('./peers/nexus-client/install.js')).ensureNexusPeer()
      }
      // The Crossbar.io venv also holds Autobahn|Python, which test/peers/autobahn-python runs.
      if (name === 'crossbar') await (await import('./routers/crossbar/install.js')).ensureCrossbar()
    }
  }
  if (runs('react18')) ensureReact18()
}

/** A setup failure ends like a test run: its reason, then a last line that counts it. */
export function setupFailed(error: unknown): never {
  process.stderr.write(`\nThe test environment could not be prepared:\n${(error as Error).message}\n`)
  process.stdout.write(`\n${summaryLine({ passed: 0, failed: 1, skipped: 0 })}\n`)
  process.exit(1)
}
