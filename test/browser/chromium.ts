import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium } from 'playwright-core'
import { CHROMIUM_HINT, requireChromium } from './find-chromium.js'

/**
 * The one place that starts Chromium: headless, and kept on loopback by these flags
 * (no background networking; every host but 127.0.0.1 and localhost resolves to nothing).
 */
export async function launchChromium(): Promise<BrowserContext & { cleanup(): Promise<void> }> {
  const executable = requireChromium()
  const profile = mkdtempSync(join(tmpdir(), 'rw-chromium-'))
  let browser: BrowserContext
  try {
    // A persistent context is how Playwright takes --user-data-dir: a new empty folder each run.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: executable,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-default-apps',
        '--disable-extensions',
        '--metrics-recording-only',
        '--no-pings',
        '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
      ],
      env: { ...process.env, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile },
    })
  } catch (error) {
    rmSync(profile, { recursive: true, force: true })
    throw new Error(`Chromium could not start from ${executable} (${CHROMIUM_HINT}): ${(error as Error).message}`)
  }
  return Object.assign(browser, {
    async cleanup() {
      await browser.close().catch(() => {})
      rmSync(profile, { recursive: true, force: true })
    },
  })
}
