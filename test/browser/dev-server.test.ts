import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './chromium.js'
import { docsUrl, shownErrors, storyUrl, waitForOpenDemos, watchedPage } from './pages.js'

// `npm start` is the main job: the Storybook dev server (not the built Storybook the other browser
// tests open) serves the manager and the stories on a fresh start with no failed request (issue 18:
// a 404 for /vite-inject-mocker-entry.js was once logged here) and no error in its own log.

let server: ChildProcess | undefined
let url = ''
let log = ''
let browser: Awaited<ReturnType<typeof launchChromium>>

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** The `start` script of package.json, on a free port. */
async function startDevServer(): Promise<void> {
  const port = await freePort()
  url = `http://127.0.0.1:${port}`
  server = spawn(
    'npx',
    ['storybook', 'dev', '--port', String(port), '--host', '127.0.0.1', '--ci', '--disable-telemetry', '--no-open'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1' }, detached: true },
  )
  server.stdout?.on('data', (chunk: Buffer) => {
    log += chunk.toString()
  })
  server.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString()
  })
  const deadline = Date.now() + 90_000
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`storybook dev exited (${server.exitCode}):\n${log}`)
    const ready = await fetch(`${url}/index.json`).then(
      (response) => response.ok,
      () => false,
    )
    if (ready) return
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`storybook dev did not answer within 90 s:\n${log}`)
}

beforeAll(async () => {
  await startDevServer()
  browser = await launchChromium()
}, 120_000)

afterAll(async () => {
  await browser?.cleanup()
  // The whole process group: npx, storybook and Vite's workers, all started here.
  if (server?.pid && server.exitCode === null) process.kill(-server.pid, 'SIGTERM')
})

describe('npm start (the Storybook dev server)', () => {
  it('serves the manager, a docs page and a live story with no failed request or error', async () => {
    const manager = await watchedPage(browser)
    await manager.page.goto(url)
    await manager.page.waitForSelector('#storybook-preview-iframe', { timeout: 60_000 })

    const docs = await watchedPage(browser)
    await docs.page.goto(docsUrl(url, 'hooks-usecall--docs'))
    await waitForOpenDemos(docs.page, 2, 60_000)

    const story = await watchedPage(browser)
    await story.page.goto(storyUrl(url, 'examples-dashboard--overview'))
    await waitForOpenDemos(story.page, 1, 60_000)

    for (const { page, problems } of [manager, docs, story]) {
      expect(problems, page.url()).toEqual([])
    }
    expect(await shownErrors(docs.page)).toEqual([])
    expect(await shownErrors(story.page)).toEqual([])
    // Vite and Storybook report failed module requests in the server's own log.
    expect(log).not.toMatch(/\b404\b|Failed to load|Internal server error|\[vite\].*error/i)
  }, 180_000)
})
