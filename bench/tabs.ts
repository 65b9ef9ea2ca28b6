/**
 * One session across tabs, measured in headless Chromium against nexus: router sessions (one
 * socket each) for N tabs of one site, and the round trip of a call from a tab with a session of
 * its own, through the SharedWorker, and through the elected leader tab (from another tab).
 * `npx tsx bench/tabs.ts` (prints a Markdown section for BENCHMARKS.md).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { connect } from '../src/client/index.js'
import { sessionCount } from '../src/meta/index.js'
import { launchChromium } from '../test/browser/chromium.js'
import { buildTabsPage, serveDir } from '../test/browser/tabs-site.js'
import { startRouter } from '../test/routers/start.js'

const TABS = 6
const CALLS = 1000
const WARMUP = 200
const modes = ['direct', 'worker', 'leader'] as const
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms))

const out = mkdtempSync(join(tmpdir(), 'rw-tabs-bench-'))
await buildTabsPage(out)
const site = await serveDir(out)
const router = await startRouter('nexus')
const meta = await connect(router.wsUrl, { realm: 'realm1' })
await meta.register('bench.tabs.echo', ({ args }) => ({ args }))
const browser = await launchChromium()

async function open(mode: string, name: string): Promise<Page> {
  const page = await browser.newPage()
  const query = new URLSearchParams({ url: router.wsUrl, realm: 'realm1', mode, name })
  await page.goto(`${site.url}/index.html?${query}`)
  await page
    .getByTestId('session')
    .filter({ hasText: /^open:/ })
    .waitFor({ timeout: 20_000 })
  return page
}

async function settleSessions(expected: number): Promise<number> {
  let count = await sessionCount(meta)
  for (let i = 0; i < 100 && count !== expected; i++) {
    await sleep(50)
    count = await sessionCount(meta)
  }
  return count
}

const rows: string[] = []
try {
  for (const mode of modes) {
    const pages: Page[] = []
    for (let i = 0; i < TABS; i++) pages.push(await open(mode, `t${i}`))
    const sessions = (await settleSessions(mode === 'direct' ? TABS + 1 : 2)) - 1
    // Latency from the last tab (in leader mode: not the leader, so every call crosses the BroadcastChannel).
    const page = pages[pages.length - 1] as Page
    // A string, not a function: tsx's helpers (__name) do not exist in the page.
    const { p50, p99, mean } = (await page.evaluate(`(async () => {
      const wamp = window.wamp
      const times = []
      for (let i = 0; i < ${CALLS + WARMUP}; i++) {
        const start = performance.now()
        const result = await wamp.call('bench.tabs.echo', [i])
        if (result.args[0] !== i) throw new Error('wrong echo')
        if (i >= ${WARMUP}) times.push(performance.now() - start)
      }
      times.sort((a, b) => a - b)
      const pick = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))]
      return { p50: pick(0.5), p99: pick(0.99), mean: times.reduce((a, b) => a + b, 0) / times.length }
    })()`)) as { p50: number; p99: number; mean: number }
    rows.push(
      `| ${mode} | ${TABS} | ${sessions} | ${(p50 * 1000).toFixed(0)} | ${(p99 * 1000).toFixed(0)} | ${(mean * 1000).toFixed(0)} |`,
    )
    for (const p of pages) await p.close()
    await settleSessions(1)
  }
} finally {
  await browser.cleanup()
  await meta.close().catch(() => {})
  await router.stop()
  site.server.close()
  rmSync(out, { recursive: true, force: true })
}

console.log(`## One session across tabs (\`npx tsx bench/tabs.ts\`)

Headless Chromium (one browser context, ${TABS} tabs of one site) against the nexus test router on
127.0.0.1; the page of test/browser/tabs-page built with Vite. A Node service answers \`bench.tabs.echo\`.
Sessions: router sessions (\`wamp.session.count\`, each one WebSocket) held by the ${TABS} tabs. Round trip:
${CALLS} sequential calls from the last tab opened (after ${WARMUP} warm-up calls), in µs; in leader mode
that tab is not the leader, so each call crosses a BroadcastChannel twice.

| mode | tabs | router sessions (sockets) | call p50 µs | call p99 µs | call mean µs |
|---|---|---|---|---|---|
${rows.join('\n')}
`)
