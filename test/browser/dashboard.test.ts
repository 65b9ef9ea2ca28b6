import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchChromium } from './chromium.js'
import { shownErrors, storyUrl, type WatchedPage, waitForOpenDemos, watchedPage } from './pages.js'

const storybook = inject('storybookUrl')

let browser: Awaited<ReturnType<typeof launchChromium>>
let watched: WatchedPage
let page: Page
const shots = mkdtempSync(join(tmpdir(), 'rw-dashboard-'))
beforeAll(async () => {
  browser = await launchChromium()
  watched = await watchedPage(browser)
  page = watched.page
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.goto(storyUrl(storybook, 'examples-dashboard--overview'))
  await waitForOpenDemos(page)
  // Settled as a person would see it: the search answered, the charts have some history.
  await page.getByTestId('call-status').filter({ hasText: 'success' }).waitFor()
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid="ticker-count"]')?.getAttribute('data-count')) >= 15,
  )
})
afterAll(async () => {
  await browser?.cleanup()
})

interface Box {
  top: number
  right: number
  bottom: number
  left: number
}

const box = (selector: string): Promise<Box> =>
  page
    .locator(selector)
    .first()
    .evaluate((element) => {
      const { top, right, bottom, left } = element.getBoundingClientRect()
      return { top, right, bottom, left }
    })

const inside = (inner: Box, outer: Box) =>
  inner.top >= outer.top && inner.left >= outer.left && inner.bottom <= outer.bottom && inner.right <= outer.right

describe('the dashboard story', () => {
  it('is laid out: the chat log inside its card above its input, nothing overflowing or clipped', async () => {
    await page.screenshot({ path: join(shots, 'dashboard.png'), fullPage: true })
    console.log(`dashboard screenshots (settled, during the outage): ${shots}`)

    const card = await box('[data-testid="chat-card"]')
    const log = await box('[data-testid="chat-log"]')
    const input = await box('[data-testid="chat-card"] input[aria-label="message"]')
    expect(inside(log, card), 'the chat log lies inside the chat card').toBe(true)
    expect(inside(input, card), 'the message input lies inside the chat card').toBe(true)
    expect(log.bottom).toBeLessThanOrEqual(input.top)

    const layout = await page.evaluate(() => {
      const width = document.documentElement.clientWidth
      const cards = [...document.querySelectorAll<HTMLElement>('.rw-card')]
      return {
        width,
        pageWidth: document.documentElement.scrollWidth,
        cards: cards.map((card) => {
          const rect = card.getBoundingClientRect()
          const style = getComputedStyle(card)
          return {
            title: card.querySelector('h3')?.textContent,
            left: rect.left,
            right: rect.right,
            padding: Number.parseFloat(style.paddingLeft),
            // Content wider than its card would be cut off or spill over the next one.
            clipped: card.scrollWidth > card.clientWidth + 1,
          }
        }),
      }
    })
    expect(layout.cards.length).toBe(6)
    expect(layout.pageWidth, 'no horizontal scrolling').toBeLessThanOrEqual(layout.width)
    for (const card of layout.cards) {
      expect(card.left, `${card.title} starts inside the viewport`).toBeGreaterThanOrEqual(0)
      expect(card.right, `${card.title} ends inside the viewport`).toBeLessThanOrEqual(layout.width)
      expect(card.padding, `${card.title} has padding`).toBeGreaterThanOrEqual(12)
      expect(card.clipped, `${card.title} has nothing clipped`).toBe(false)
    }
    expect(await shownErrors(page)).toEqual([])
    expect(watched.problems).toEqual([])
  })

  it('"Drop the connection for 3 s" shows reconnecting with its attempts and backoff, then open again', async () => {
    const status = page.getByTestId('connection-status')
    await page.getByRole('button', { name: 'Drop the connection for 3 s' }).click()
    await status.filter({ hasText: 'reconnecting' }).waitFor({ timeout: 2000 })
    // The attempts the router turns away are counted and explained, and the waits are listed.
    await page.getByTestId('connection-backoff').locator('li').nth(1).waitFor({ timeout: 4000 })
    expect(await page.getByTestId('connection-error').textContent()).toMatch(/router went away|router is down/)
    expect(
      await page
        .getByTestId('ticker-price')
        .first()
        .evaluate((e) => e.closest('.rw-stale') !== null),
    ).toBe(true)
    await page.screenshot({ path: join(shots, 'dashboard-outage.png'), fullPage: true })
    await status.filter({ hasText: 'open' }).waitFor({ timeout: 12_000 })
    // Everything comes back by itself: the tickers are live again and the search answers.
    await page.getByTestId('ticker-status').nth(1).filter({ hasText: 'active' }).waitFor({ timeout: 5000 })
    await page.getByRole('button', { name: 'Search again' }).click()
    await page.getByTestId('call-status').filter({ hasText: 'success' }).waitFor({ timeout: 5000 })
    expect(await shownErrors(page)).toEqual([])
    expect(watched.problems).toEqual([])
  })
})
