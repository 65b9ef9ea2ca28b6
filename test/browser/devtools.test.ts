import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchChromium } from './chromium.js'
import { shownErrors, storyUrl, type WatchedPage, waitForOpenDemos, watchedPage } from './pages.js'

const storybook = inject('storybookUrl')

let browser: Awaited<ReturnType<typeof launchChromium>>
let watched: WatchedPage
let page: Page
let panel: Locator
const shots = mkdtempSync(join(tmpdir(), 'rw-devtools-'))
beforeAll(async () => {
  browser = await launchChromium()
  watched = await watchedPage(browser)
  page = watched.page
  await page.setViewportSize({ width: 1280, height: 1000 })
  await page.goto(storyUrl(storybook, 'examples-dashboard--with-devtools'))
  await waitForOpenDemos(page)
  panel = page.getByTestId('wamp-devtools')
  await panel.waitFor()
})
afterAll(async () => {
  await browser?.cleanup()
})

/** The message rows of the panel's log with this name (newest first). */
const logged = (name: string, direction: 'in' | 'out') =>
  panel.locator(`[data-testid="devtools-messages"] button[data-name="${name}"][data-direction="${direction}"]`)

describe('the dashboard with <WampDevtools /> open', () => {
  it('lists the dashboard’s subscriptions and registrations, and shows no error', async () => {
    const subscriptions = panel.getByTestId('devtools-subscriptions')
    await subscriptions.locator('tr[data-topic="demo.prices.acme"]').waitFor()
    await subscriptions.locator('tr[data-topic="demo.prices.globex"]').waitFor()
    await subscriptions.locator('tr[data-topic="demo.chat"]').waitFor()
    // The tickers tick: their events per second show once the panel has counted a few.
    await page.waitForFunction(() => {
      const row = document.querySelector('[data-testid="devtools-subscriptions"] tr[data-topic="demo.prices.acme"]')
      return Number(row?.lastElementChild?.textContent) > 0
    })
    const registration = panel.locator(
      '[data-testid="devtools-registrations"] tr[data-procedure="demo.browser.slow_job"]',
    )
    await registration.filter({ hasText: 'active' }).waitFor()
    expect(await panel.getByTestId('devtools-connection').textContent()).toContain('open')
    await page.screenshot({ path: join(shots, 'dashboard-devtools.png'), fullPage: true })
    console.log(`devtools screenshots: ${shots}`)
    expect(await shownErrors(page)).toEqual([])
    expect(watched.problems).toEqual([])
  })

  it('shows a call in flight and cancels it from the panel: CANCEL goes out and the callee is interrupted', async () => {
    await page.getByRole('button', { name: 'Start slow job' }).click()
    const cancel = panel.getByRole('button', { name: 'Cancel demo.browser.slow_job' })
    await cancel.waitFor()
    const call = panel.locator('[data-testid="devtools-calls"] tr[data-procedure="demo.browser.slow_job"]')
    expect(await call.textContent()).toMatch(/\d+ ms|\d+\.\d s/)
    await page
      .locator(
        '[data-testid="devtools-registrations"] tr[data-procedure="demo.browser.slow_job"] [data-testid="devtools-in-flight"]',
      )
      .filter({ hasText: /^1$/ })
      .waitFor()
    await cancel.click()
    await page.getByTestId('slow-job-callee').filter({ hasText: '1 interrupt' }).waitFor()
    await page.getByTestId('slow-job-status').filter({ hasText: 'error' }).waitFor()
    expect(await page.getByTestId('slow-job-stopped').textContent()).toMatch(/cancelled from the devtools|Cancelled/i)
    await call.waitFor({ state: 'detached' })
    // The wire as the panel logged it: the CANCEL out, the INTERRUPT in (the callee is this browser).
    await logged('CANCEL', 'out').first().waitFor()
    await logged('INTERRUPT', 'in').first().waitFor()
    expect(watched.problems).toEqual([])
  })

  it('shows the messages of a publish, and the inspector shows one of them', async () => {
    const input = page.getByTestId('chat-card').getByLabel('message', { exact: true })
    await input.fill('hello from the test')
    await input.press('Enter')
    const published = logged('PUBLISH', 'out').first()
    await published.waitFor()
    expect(await published.textContent()).toContain('demo.chat')
    await logged('PUBLISHED', 'in').first().waitFor()
    await panel.locator('[data-testid="devtools-messages"] button[data-name="EVENT"]').first().waitFor()
    await published.click()
    const inspector = panel.getByTestId('devtools-inspector')
    expect(await inspector.textContent()).toContain('hello from the test')
    // Filter, pause and clear.
    await panel.getByLabel('filter messages').fill('PUBLISHED')
    await logged('PUBLISH', 'out').first().waitFor({ state: 'detached' })
    expect(await logged('PUBLISHED', 'in').count()).toBeGreaterThan(0)
    await panel.getByLabel('filter messages').fill('')
    // Paused, the tickers' events are counted but not logged: the cleared log stays empty.
    await panel.getByRole('button', { name: 'Pause' }).click()
    await panel.getByRole('button', { name: 'Clear' }).click()
    await panel
      .getByTestId('devtools-message-count')
      .filter({ hasText: /^0 of 0/ })
      .waitFor()
    await page.screenshot({ path: join(shots, 'dashboard-devtools-after.png'), fullPage: true })
    expect(watched.problems).toEqual([])
  })

  it('docked (the default position) it stays at the bottom of the window, at most half its height, and scrolls', async () => {
    const docked = await watchedPage(browser)
    try {
      await docked.page.setViewportSize({ width: 1280, height: 800 })
      await docked.page.goto(storyUrl(storybook, 'examples-dashboard--with-devtools', '&args=docked:!true'))
      await waitForOpenDemos(docked.page)
      const shown = docked.page.getByTestId('wamp-devtools')
      await shown.getByTestId('devtools-subscriptions').locator('tr[data-topic="demo.prices.acme"]').waitFor()
      const layout = await shown.evaluate((element) => {
        const rect = element.getBoundingClientRect()
        const body = element.querySelector('.rwd__body') as HTMLElement
        return {
          position: getComputedStyle(element).position,
          top: rect.top,
          bottom: rect.bottom,
          height: window.innerHeight,
          scrolls: body.scrollHeight > body.clientHeight,
        }
      })
      expect(layout.position).toBe('fixed')
      expect(layout.bottom).toBeLessThanOrEqual(layout.height)
      expect(layout.bottom - layout.top).toBeLessThanOrEqual(layout.height / 2 + 1)
      expect(layout.scrolls, 'the panel scrolls inside its half of the window').toBe(true)
      await docked.page.screenshot({ path: join(shots, 'dashboard-devtools-docked.png') })
      expect(docked.problems).toEqual([])
    } finally {
      await docked.page.close()
    }
  })
})
