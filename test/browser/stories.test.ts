import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type Client, connect } from '../../src/client/index.js'
import { createRouter, listenWebSocket } from '../../src/router/index.js'
import { launchChromium } from './chromium.js'
import { shownErrors, storyUrl, waitForOpenDemos, watchedPage } from './pages.js'

const storybook = inject('storybookUrl')

let browser: Awaited<ReturnType<typeof launchChromium>>
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.cleanup()
})

/** Opens one story alone (the iframe), optionally pointed at a real router; fails on page errors. */
async function openStory(id: string, query = ''): Promise<Page & { problems: string[] }> {
  const { page, problems } = await watchedPage(browser)
  await page.goto(storyUrl(storybook, id, query))
  await waitForOpenDemos(page)
  return Object.assign(page, { problems })
}

const isStale = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate((e) => e.closest('.rw-stale, [data-stale="true"]') !== null)

describe('Storybook demos in headless Chromium (in-process router)', () => {
  it('useCall: Cancel shows the cancellation and marks the last list stale; Search again answers', async () => {
    const page = await openStory('hooks-usecall--quick-search')
    await page.getByTestId('call-status').filter({ hasText: 'success' }).waitFor()
    expect(await isStale(page, 'call-data')).toBe(false)
    // A slow search: the last list stays, marked stale, while it runs and after it is cancelled.
    await page.getByLabel('delay').fill('3000')
    await page.getByTestId('call-status').filter({ hasText: 'pending' }).waitFor()
    expect(await isStale(page, 'call-data')).toBe(true)
    await page.getByRole('button', { name: 'Cancel' }).click()
    expect(await page.getByTestId('call-error').textContent()).toMatch(/^Cancelled/)
    expect(await isStale(page, 'call-data')).toBe(true)
    await page.getByLabel('delay').fill('100')
    await page.getByTestId('call-status').filter({ hasText: 'success' }).waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('call-data').textContent()).toContain('Amsterdam')
    expect(await isStale(page, 'call-data')).toBe(false)
    expect(page.problems).toEqual([])
    await page.close()
  })

  it('useCall: an RPCError from the callee is shown, and the old list is not shown as current', async () => {
    const page = await openStory('hooks-usecall--quick-search')
    await page.getByTestId('call-status').filter({ hasText: 'success' }).waitFor()
    await page.getByLabel('query').fill('fail')
    await page.getByTestId('call-error').waitFor()
    expect(await page.getByTestId('call-error').textContent()).toContain('demo.error.search_failed')
    expect(await page.getByTestId('call-error').textContent()).toContain('refused "fail"')
    expect(await isStale(page, 'call-data')).toBe(true)
    await page.close()
  })

  it('useProgressCall: the bar reaches 100 %, then the result; a cancelled run says so and marks that file stale', async () => {
    const page = await openStory('hooks-useprogresscall--progress-bar')
    await page.getByRole('button', { name: 'Start export' }).click()
    await page.getByTestId('progress-result').waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('progress').getAttribute('value')).toBe('100')
    expect(await page.getByTestId('progress-text').textContent()).toBe('100% · 24,680 rows · 20 progress messages')
    await page.getByRole('button', { name: 'Start export' }).click()
    await page.getByTestId('progress-status').filter({ hasText: 'pending' }).waitFor()
    await page.getByRole('button', { name: 'Cancel' }).click()
    expect(await page.getByTestId('progress-error').textContent()).toMatch(/^Stopped at \d+%: Cancelled/)
    expect(await page.getByTestId('progress-result').count()).toBe(0)
    expect(await page.getByTestId('progress-stale').textContent()).toContain('Previous export: export-')
    expect(page.problems).toEqual([])
    await page.close()
  })

  it('useProgressCall: an export cut by a dropped connection shows the reason', async () => {
    const page = await openStory('hooks-useprogresscall--progress-bar')
    await page.getByRole('button', { name: 'Start export' }).click()
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="progress"]')?.getAttribute('value')) >= 20,
    )
    await page.getByRole('button', { name: /^Drop the connection/ }).click()
    const error = await page.getByTestId('progress-error').textContent()
    expect(error).toMatch(/^Stopped at \d+%: Connection lost: the router went away/)
    await page.close()
  })

  it('useSubscription: events arrive, formatted, and the bounded list keeps the last ones', async () => {
    const page = await openStory('hooks-usesubscription--live-ticker')
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="ticker-count"]')?.getAttribute('data-count')) >= 10,
    )
    expect(await page.getByTestId('ticker-events').locator('li').count()).toBe(8)
    expect(await page.getByTestId('ticker-price').textContent()).toMatch(/^\d{1,3}(,\d{3})*\.\d\d$/)
    await page.close()
  })

  it('useSubscription: "Drop the connection for 3 s" leaves no hole in the live chart (history backfill)', async () => {
    const page = await openStory('hooks-usesubscription--live-ticker')
    const chart = page.getByTestId('ticker-completeness')
    const filled = () =>
      page.waitForFunction(() => {
        const note = document.querySelector('[data-testid="ticker-completeness"]')
        const status = document.querySelector('[data-testid="ticker-status"]')?.textContent
        return status === 'active' && note?.getAttribute('data-filling') === 'false'
      })
    await filled()
    expect(await chart.getAttribute('data-status')).toBe('complete')
    const count = async () => Number(await page.getByTestId('ticker-count').getAttribute('data-count'))
    const before = await count()
    await page.getByRole('button', { name: 'Drop the connection for 3 s' }).click()
    await page.getByTestId('ticker-status').filter({ hasNotText: 'active' }).waitFor({ timeout: 2000 })
    await page.getByTestId('ticker-status').filter({ hasText: 'active' }).waitFor({ timeout: 15_000 })
    await filled()
    // The feed kept publishing (one tick every 150 ms): every tick is in the chart, none skipped.
    expect((await count()) - before).toBeGreaterThanOrEqual(18)
    expect(await chart.getAttribute('data-skipped')).toBe('0')
    expect(await chart.getAttribute('data-status')).toBe('complete')
    expect(page.problems).toEqual([])
    await page.close()
  })

  it('usePublish: a published message shows in the log of the same card', async () => {
    const page = await openStory('hooks-usepublish--chat-room')
    await page.getByTestId('chat-card').locator('.rw-badge').filter({ hasText: 'active' }).waitFor()
    await page.getByLabel('message').fill('hello from Chromium')
    await page.getByRole('button', { name: 'Publish' }).click()
    await page.getByTestId('chat-log').filter({ hasText: 'me: hello from Chromium' }).waitFor()
    expect(await page.getByLabel('message').inputValue()).toBe('')
    expect(page.problems).toEqual([])
    await page.close()
  })

  it('useRegister: the browser-side callee answers the caller card', async () => {
    const page = await openStory('hooks-useregister--browser-side-callee')
    await page.getByTestId('callee-status').filter({ hasText: 'active' }).waitFor()
    await page.getByRole('button', { name: /^Call / }).click()
    await page.getByTestId('caller-result').filter({ hasText: 'Hello, Ada!' }).waitFor()
    expect(await page.getByTestId('caller-status').textContent()).toBe('success')
    expect(await page.getByTestId('callee-status').textContent()).toContain('1 invocation')
    await page.close()
  })

  it('useSuspenseCall: the fallback, then both readers of one key; the boundary catches an RPCError, a retry calls again', async () => {
    const page = await openStory('hooks-usesuspensecall--loading-then-report')
    await page.getByTestId('suspense-fallback').waitFor()
    await page.getByTestId('report-summary').waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('report-summary').textContent()).toMatch(/north: \d+ orders/)
    expect(await page.getByTestId('report-detail').textContent()).toMatch(/north: \d+ orders/)
    expect(await page.getByTestId('suspense-fallback').count()).toBe(0)
    expect(page.problems).toEqual([])
    await page.getByLabel('delay').selectOption('100')
    await page.getByLabel('region').selectOption('atlantis')
    await page.getByTestId('suspense-caught').waitFor()
    expect(await page.getByTestId('suspense-caught').textContent()).toContain('demo.error.no_such_region')
    await page.getByRole('button', { name: 'Try again' }).click()
    await page.getByTestId('suspense-caught').waitFor()
    await page.getByLabel('region').selectOption('east')
    await page.getByTestId('report-summary').filter({ hasText: 'east' }).waitFor()
    await page.close()
  })

  it('TanStack Query: the query shows the list, published sales update it in the cache, a mutation restocks', async () => {
    const page = await openStory('integrations-tanstack-query--live-inventory')
    await page.getByTestId('query-status').filter({ hasText: 'success' }).waitFor()
    await page.getByTestId('query-subscription').filter({ hasText: 'active' }).waitFor()
    const stock = async () =>
      (await page.getByTestId('query-data').locator('.rw-num').allTextContents()).map((n) =>
        Number(n.replace(/,/g, '')),
      )
    const before = await stock()
    // A sale every 700 ms: the total drops without a refetch.
    await page.waitForFunction(
      (total) =>
        [...document.querySelectorAll('[data-testid="query-data"] .rw-num')]
          .map((n) => Number(n.textContent?.replace(/,/g, '')))
          .reduce((a, b) => a + b, 0) < total,
      before.reduce((a, b) => a + b, 0),
      { timeout: 10_000 },
    )
    const bolts = Number((await page.getByTestId('stock-b-12').textContent())?.replace(/,/g, ''))
    await page.getByRole('button', { name: 'restock Bolts' }).click()
    await page.getByTestId('mutation-status').filter({ hasText: 'success' }).waitFor()
    expect(await page.getByTestId('mutation-status').textContent()).toMatch(/now \d+/)
    const after = Number((await page.getByTestId('stock-b-12').textContent())?.replace(/,/g, ''))
    expect(after).toBeGreaterThan(bolts)
    expect(page.problems).toEqual([])
    await page.close()
  })
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
    expect(page.problems).toEqual([])
    await page.close()
  })

  it('the useSubscription story receives events its backend publishes through the router', async () => {
    const page = await openStory('hooks-usesubscription--live-ticker', `&wampUrl=${encodeURIComponent(url)}`)
    // The page's own demo backend publishes on the router too: events flow browser → router → browser.
    await page.getByTestId('ticker-status').filter({ hasText: 'active' }).waitFor()
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="ticker-count"]')?.getAttribute('data-count')) >= 5,
    )
    expect(page.problems).toEqual([])
    await page.close()
  })

  it('"Drop the connection for 3 s" on the real router: reconnecting, then open, and the backend answers again', async () => {
    const page = await openStory('hooks-usecall--quick-search', `&wampUrl=${encodeURIComponent(url)}`)
    await page.getByTestId('call-status').filter({ hasText: 'success' }).waitFor()
    await page.getByRole('button', { name: /^Drop the connection/ }).click()
    await page.getByTestId('session').filter({ hasText: 'reconnecting' }).waitFor({ timeout: 2000 })
    await waitForOpenDemos(page, 1, 12_000)
    // The provider re-calls on the new session; the backend's registration came back first.
    await page.waitForTimeout(1000)
    expect(await page.getByTestId('call-status').textContent()).toBe('success')
    expect(await shownErrors(page)).toEqual([])
    expect(page.problems).toEqual([])
    await page.close()
  })

  it('the useCall story, pointed at the router, answers from its backend there', async () => {
    const page = await openStory('hooks-usecall--quick-search', `&wampUrl=${encodeURIComponent(url)}`)
    await page.getByTestId('call-status').filter({ hasText: 'success' }).waitFor()
    expect(await page.getByTestId('call-data').textContent()).toContain('Amsterdam')
    expect(page.problems).toEqual([])
    await page.close()
  })
})

describe('a real router that starts after the page', () => {
  it('the demo backend shows its retries, then registers, and the story runs', async () => {
    // A port that is free now: nothing answers there until the router below listens on it.
    const probe = await listenWebSocket(createRouter({ realms: { realm1: {} } }), { host: '127.0.0.1' })
    const { port, url } = probe
    await probe.close()
    const { page } = await watchedPage(browser)
    await page.goto(storyUrl(storybook, 'hooks-usecall--quick-search', `&wampUrl=${encodeURIComponent(url)}`))
    const waiting = page.locator('.rw-card').filter({ hasText: 'Starting the demo backend' })
    await waiting.filter({ hasText: /attempt [2-9]/ }).waitFor({ timeout: 5000 })
    expect(await waiting.textContent()).toContain('The router is not answering')
    const router = createRouter({ realms: { realm1: {} } })
    const listener = await listenWebSocket(router, { host: '127.0.0.1', port })
    try {
      await page.getByTestId('call-status').filter({ hasText: 'success' }).waitFor({ timeout: 10_000 })
      expect(await page.getByTestId('call-data').textContent()).toContain('Amsterdam')
    } finally {
      await page.close()
      await router.close()
      await listener.close()
    }
  })
})
