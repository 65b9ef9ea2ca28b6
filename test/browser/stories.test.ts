import { mkdirSync, readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type Client, connect } from '../../src/client/index.js'
import { launchChromium } from './chromium.js'

const storybook = inject('storybookUrl')
const screenshots = 'test-results/screenshots'

let browser: Awaited<ReturnType<typeof launchChromium>>
beforeAll(async () => {
  browser = await launchChromium()
  mkdirSync(screenshots, { recursive: true })
})
afterAll(async () => {
  await browser?.cleanup()
})

/** Opens one story alone (the iframe), optionally pointed at a real router. */
async function openStory(id: string, query = ''): Promise<Page> {
  const page = await browser.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(`${storybook}/iframe.html?id=${id}&viewMode=story${query}`)
  await page.getByTestId('session').filter({ hasText: 'open' }).waitFor({ timeout: 15_000 })
  expect(errors).toEqual([])
  return page
}

describe('Storybook demos in headless Chromium (in-process router)', () => {
  it('useCall: a slow search shows pending, and Cancel cancels it', async () => {
    const page = await openStory('hooks-usecall--slow-search')
    await page.getByTestId('call-status').filter({ hasText: 'pending' }).waitFor()
    await page.getByRole('button', { name: 'Cancel' }).click()
    await expect(page.getByTestId('call-error').textContent()).resolves.toBe('Cancelled')
    await page.getByRole('button', { name: 'Search again' }).click()
    await page.getByTestId('call-data').waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('call-data').textContent()).toContain('Amsterdam')
    await page.close()
  })

  it('useCall: an RPCError from the callee is shown', async () => {
    const page = await openStory('hooks-usecall--quick-search')
    await page.getByLabel('query').fill('fail')
    await page.getByTestId('call-error').waitFor()
    expect(await page.getByTestId('call-error').textContent()).toContain('refused "fail"')
    await page.close()
  })

  it('useProgressCall: the progress bar reaches 100%, then the result arrives', async () => {
    const page = await openStory('hooks-useprogresscall--progress-bar')
    await page.getByRole('button', { name: 'Start export' }).click()
    await page.getByTestId('progress-result').waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('progress').getAttribute('value')).toBe('100')
    expect(await page.getByTestId('progress-text').textContent()).toMatch(/^100% · 20 progress messages · success/)
    await page.close()
  })

  it('useSubscription: events arrive and the bounded list keeps the last ones', async () => {
    const page = await openStory('hooks-usesubscription--live-ticker')
    await page.waitForFunction(() => {
      const text = document.querySelector('[data-testid="ticker-count"]')?.textContent ?? ''
      return Number.parseInt(text.split('·')[1] ?? '0', 10) >= 10
    })
    expect(await page.getByTestId('ticker-events').locator('li').count()).toBe(8)
    await page.close()
  })

  it('useRegister: the browser-side callee answers the caller panel', async () => {
    const page = await openStory('hooks-useregister--browser-side-callee')
    await page.getByTestId('callee-status').filter({ hasText: 'active' }).waitFor()
    await page.getByRole('button', { name: /^Call / }).click()
    await page.getByTestId('caller-result').filter({ hasText: 'success: Hello, Ada!' }).waitFor()
    expect(await page.getByTestId('callee-status').textContent()).toContain('1 invocations')
    await page.close()
  })

  it('useWampSession: dropping the connection reconnects', async () => {
    const page = await openStory('hooks-usewampsession--connection-status')
    const before = await page.getByTestId('session').textContent()
    await page.getByRole('button', { name: 'Drop the connection' }).click()
    // A new session: the badge shows another session ID once the connection is back.
    await page.waitForFunction(
      (old) => {
        const text = document.querySelector('[data-testid="session"]')?.textContent ?? ''
        return text !== old && text.includes('open') && text.includes('session')
      },
      before,
      { timeout: 10_000 },
    )
    await page.close()
  })

  it('saves a screenshot of every story', async () => {
    const index = JSON.parse(readFileSync('storybook-static/index.json', 'utf8')) as {
      entries: Record<string, { id: string; type: string }>
    }
    const stories = Object.values(index.entries).filter((entry) => entry.type === 'story')
    expect(stories.length).toBeGreaterThanOrEqual(8)
    for (const story of stories) {
      const page = await openStory(story.id)
      await page.waitForTimeout(700)
      await page.screenshot({ path: `${screenshots}/${story.id}.png`, fullPage: true })
      await page.close()
    }
    // Each hook's docs page: its description (options table) and its live stories.
    const docs = Object.values(index.entries).filter((entry) => entry.type === 'docs')
    expect(docs.length).toBeGreaterThanOrEqual(7)
    for (const doc of docs) {
      const page = await browser.newPage()
      await page.goto(`${storybook}/iframe.html?id=${doc.id}&viewMode=docs`)
      await page.getByTestId('session').first().waitFor({ timeout: 15_000 })
      await page.waitForTimeout(500)
      await page.screenshot({ path: `${screenshots}/${doc.id}.png`, fullPage: true })
      await page.close()
    }
  }, 120_000)
})

describe('hooks in the page against a real router over a real WebSocket (nexus unless WAMP_ROUTERS omits it)', () => {
  let backend: Client
  const url = inject('routerWsUrl')
  beforeAll(async () => {
    backend = await connect(url, { realm: 'realm1' })
  })
  afterAll(async () => {
    await backend?.close().catch(() => {})
  })

  it('the useRegister story registers in the browser; a Node client calls it through the router', async () => {
    const page = await openStory('hooks-useregister--browser-side-callee', `&wampUrl=${encodeURIComponent(url)}`)
    expect(await page.getByTestId('session').textContent()).toContain(`router ${url}`)
    await page.getByTestId('callee-status').filter({ hasText: 'active' }).waitFor()
    const procedure = (await page.getByTestId('callee-status').textContent())!.split(':')[0]!.trim()
    const result = await backend.call(procedure, ['Node'])
    expect(result.args).toEqual(['Hello, Node!'])
    await page.close()
  })

  it('the useSubscription story receives events a Node client publishes through the router', async () => {
    const page = await openStory('hooks-usesubscription--live-ticker', `&wampUrl=${encodeURIComponent(url)}`)
    // The page's own demo backend publishes on the router too: events flow browser → router → browser.
    await page.waitForFunction(() => {
      const text = document.querySelector('[data-testid="ticker-count"]')?.textContent ?? ''
      return text.startsWith('active') && Number.parseInt(text.split('·')[1] ?? '0', 10) >= 5
    })
    await page.close()
  })
})
