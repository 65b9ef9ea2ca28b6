/**
 * One session for every tab, in real Chromium (several pages of one browser context) against a
 * real router (nexus unless WAMP_ROUTERS names another): a page built with Vite the way an app
 * builds it (test/browser/tabs-page), in SharedWorker mode and in leader-election mode. The router's
 * meta API counts sessions and subscribers.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest'
import { type Client, connect } from '../../src/client/index.js'
import { countSubscribers, lookupSubscription, sessionCount } from '../../src/meta/index.js'
import { RPCError } from '../../src/protocol/errors.js'
import { selectedRouters, startRouter } from '../routers/start.js'
import type { RunningRouter } from '../routers/types.js'
import { until } from '../support/wait.js'
import { launchChromium } from './chromium.js'
import { storyUrl } from './pages.js'
import { buildTabsPage, serveDir } from './tabs-site.js'

const TOPIC = 'tabs.browser.tick'
const out = mkdtempSync(join(tmpdir(), 'rw-tabs-page-'))
let server: Server
let base: string
let router: RunningRouter
let browser: Awaited<ReturnType<typeof launchChromium>>
let meta: Client
const pages = new Set<Page>()
const problems: string[] = []

beforeAll(async () => {
  await buildTabsPage(out)
  ;({ server, url: base } = await serveDir(out))
  // Subscribers are counted through the subscription meta API, which every router here offers.
  const selected = selectedRouters()
  const name = selected.includes('nexus') ? 'nexus' : (selected[0] ?? 'local')
  router = await startRouter(name)
  meta = await connect(router.wsUrl, { realm: 'realm1' })
  browser = await launchChromium()
})

afterEach(async () => {
  await Promise.all([...pages].map((page) => page.close()))
  pages.clear()
  // The hub closes its session once the last tab is gone: the next test starts from the meta client alone.
  await waitSessions(1)
  expect(problems).toEqual([])
})

afterAll(async () => {
  await browser?.cleanup()
  await meta?.close().catch(() => {})
  await router?.stop()
  await new Promise((ok) => server?.close(ok))
  rmSync(out, { recursive: true, force: true })
})

let lastCount = 0
async function sessions(): Promise<number> {
  lastCount = await sessionCount(meta)
  return lastCount
}

async function waitSessions(count: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while ((await sessions()) !== count) {
    if (Date.now() > deadline) throw new Error(`the router has ${lastCount} sessions, not ${count}, after ${ms} ms`)
    await new Promise((ok) => setTimeout(ok, 50))
  }
}

async function subscribers(topic = TOPIC): Promise<number> {
  const id = await lookupSubscription(meta, topic)
  return id === undefined ? 0 : countSubscribers(meta, id)
}

async function openTab(mode: 'worker' | 'leader', name: string, callee = false, historyTopic?: string): Promise<Page> {
  const page = await browser.newPage()
  pages.add(page)
  page.on('pageerror', (error) => problems.push(`${name}: ${error.message}`))
  const query = new URLSearchParams({ url: router.wsUrl, realm: 'realm1', mode, name, callee: callee ? '1' : '0' })
  if (historyTopic) query.set('historyTopic', historyTopic)
  await page.goto(`${base}/index.html?${query}`)
  await sessionOf(page, (s) => s.startsWith('open:'))
  const via = await page.evaluate(() => (window as unknown as { wamp: { sharedVia?: string } }).wamp.sharedVia)
  expect(via).toBe(mode === 'worker' ? 'shared-worker' : 'leader-election')
  return page
}

async function sessionOf(page: Page, ready?: (session: string) => boolean, ms = 15_000): Promise<string> {
  const read = () => page.getByTestId('session').textContent({ timeout: ms })
  if (ready) {
    const deadline = Date.now() + ms
    while (!ready((await read()) ?? '')) {
      if (Date.now() > deadline) throw new Error(`the tab shows ${await read()}`)
      await new Promise((ok) => setTimeout(ok, 20))
    }
  }
  return (await read()) ?? ''
}

const eventsOf = (page: Page) => page.evaluate(() => (window as unknown as { events: number[] }).events.slice())

async function publishThree(): Promise<number[]> {
  const ids: number[] = []
  for (const n of [1, 2, 3]) ids.push((await meta.publish(TOPIC, [n], {}, { acknowledge: true })) as number)
  return ids
}

async function callWho(): Promise<unknown> {
  try {
    return (await meta.call('tabs.browser.who')).args[0]
  } catch (error) {
    return error instanceof RPCError ? error.uri : String(error)
  }
}

async function commonChecks(mode: 'worker' | 'leader', callee?: string) {
  const tabs = [await openTab(mode, 'a'), await openTab(mode, 'b', callee === 'b'), await openTab(mode, 'c')]
  const ids = await Promise.all(tabs.map((page) => sessionOf(page)))
  expect(new Set(ids).size).toBe(1)
  await waitSessions(2) // the tabs' one session and this test's meta client
  expect(await subscribers()).toBe(1)
  const published = await publishThree()
  for (const page of tabs) {
    await page.waitForFunction((n) => (window as unknown as { events: number[] }).events.length >= n, 3)
  }
  await new Promise((ok) => setTimeout(ok, 100)) // a duplicate would have arrived by now
  for (const page of tabs) expect(await eventsOf(page)).toEqual(published)
  return tabs
}

describe.each(['worker', 'leader'] as const)('one session across tabs (%s mode)', (mode) => {
  it('three tabs holding one subscription: one session, one subscriber on the router, each event once per tab', async () => {
    await commonChecks(mode)
  })

  it("a tab's useRegister answers a Node caller; closing it hands the registration to the next tab, then removes it", async () => {
    const a = await openTab(mode, 'a', true)
    const b = await openTab(mode, 'b', true)
    await a.getByTestId('registration').filter({ hasText: 'active' }).waitFor()
    expect(await callWho()).toBe('a')
    // In leader mode, the first tab is the leader: its going also moves the session.
    const closedAt = Date.now()
    await a.close()
    pages.delete(a)
    const deadline = Date.now() + 15_000
    let answer = await callWho()
    while (answer !== 'b' && Date.now() < deadline) {
      await new Promise((ok) => setTimeout(ok, 25))
      answer = await callWho()
    }
    expect(answer).toBe('b')
    console.log(`[tabs ${mode}] registration handed over ${Date.now() - closedAt} ms after the callee tab closed`)
    await b.close()
    pages.delete(b)
    const gone = Date.now() + 10_000
    while ((await callWho()) !== 'wamp.error.no_such_procedure' && Date.now() < gone) {
      await new Promise((ok) => setTimeout(ok, 25))
    }
    expect(await callWho()).toBe('wamp.error.no_such_procedure')
  })

  it('a call cancelled in a tab interrupts the Node callee', async () => {
    const callee = await connect(router.wsUrl, { realm: 'realm1' })
    let invoked = 0
    let interrupted = 0
    await callee.register('tabs.browser.slow', ({ signal }) => {
      invoked += 1
      return new Promise((_ok, reject) =>
        signal.addEventListener('abort', () => {
          interrupted += 1
          reject(signal.reason)
        }),
      )
    })
    try {
      const tab = await openTab(mode, 'caller')
      await tab.evaluate(() => {
        const w = window as unknown as Record<string, unknown>
        const controller = new AbortController()
        const wamp = w.wamp as { call(p: string, a: unknown[], k: object, o: object): Promise<unknown> }
        w.outcome = wamp.call('tabs.browser.slow', [], {}, { signal: controller.signal, cancelMode: 'kill' }).then(
          () => 'resolved',
          (error: Error) => error.name,
        )
        w.abortCall = () => controller.abort()
      })
      await until('invoked', () => invoked === 1, 10_000)
      await tab.evaluate(() => (window as unknown as { abortCall(): void }).abortCall())
      expect(await tab.evaluate(() => (window as unknown as { outcome: Promise<string> }).outcome)).toBe('AbortError')
      await until('the callee was interrupted', () => interrupted === 1, 10_000)
    } finally {
      await callee.close()
    }
  })

  it('killing and restarting the router brings every tab back on one session', async () => {
    const tabs = [await openTab(mode, 'a'), await openTab(mode, 'b', true), await openTab(mode, 'c')]
    await waitSessions(2)
    await router.kill()
    for (const page of tabs) await sessionOf(page, (s) => !s.startsWith('open'))
    await router.restart()
    meta = await connect(router.wsUrl, { realm: 'realm1' })
    for (const page of tabs) await sessionOf(page, (s) => s.startsWith('open:'), 20_000)
    const ids = await Promise.all(tabs.map((page) => sessionOf(page)))
    expect(new Set(ids).size).toBe(1)
    await waitSessions(2)
    const deadline = Date.now() + 10_000
    while ((await subscribers()) !== 1 && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 50))
    expect(await subscribers()).toBe(1)
    let who = await callWho()
    while (who !== 'b' && Date.now() < deadline) {
      await new Promise((ok) => setTimeout(ok, 50))
      who = await callWho()
    }
    expect(who).toBe('b')
  })
})

describe('leader election', () => {
  it('closing the leader tab elects another; subscriptions and registrations are replayed once', async () => {
    const [leader, b, c] = await commonChecks('leader', 'b')
    await (b as Page).getByTestId('registration').filter({ hasText: 'active' }).waitFor()
    expect(await callWho()).toBe('b')
    const before = await sessionOf(b as Page)
    const closedAt = Date.now()
    await leader?.close()
    pages.delete(leader as Page)
    for (const page of [b, c] as Page[]) await sessionOf(page, (s) => s.startsWith('open:') && s !== before)
    const takeover = Date.now() - closedAt
    console.log(`[tabs leader] a new leader's session was open in every tab ${takeover} ms after the leader tab closed`)
    const ids = await Promise.all([b, c].map((page) => sessionOf(page as Page)))
    expect(new Set(ids).size).toBe(1)
    await waitSessions(2)
    expect(await subscribers()).toBe(1)
    const published = await publishThree()
    for (const page of [b, c] as Page[]) {
      await page.waitForFunction((n) => (window as unknown as { events: number[] }).events.length >= n, 6)
    }
    await new Promise((ok) => setTimeout(ok, 100))
    for (const page of [b, c] as Page[]) expect((await eventsOf(page)).slice(3)).toEqual(published)
    // The registration was asked for once on the new session: a second REGISTER would be refused, not active.
    await (b as Page).getByTestId('registration').filter({ hasText: 'active' }).waitFor()
    expect(await callWho()).toBe('b')
    expect(takeover).toBeLessThan(10_000)
  })
})

describe('the "Shared across tabs" story (two providers in one page on one hub)', () => {
  it('shows one session in both tabs, each publish once in each, and the callee handed over when tab A closes', async () => {
    const page = await browser.newPage()
    pages.add(page)
    page.on('pageerror', (error) => problems.push(`story: ${error.message}`))
    await page.goto(storyUrl(inject('storybookUrl'), 'examples-shared-across-tabs--one-session-for-two-tabs'))
    const bars = page.getByTestId('session')
    await page.waitForFunction(() => {
      const bars = [...document.querySelectorAll('[data-testid="session"]')]
      return bars.length === 2 && bars.every((e) => e.textContent?.startsWith('open ·'))
    })
    const [a, b] = await bars.allTextContents()
    expect(a?.split(' · ')[1]).toMatch(/^session \d+$/)
    expect(a?.split(' · ')[1]).toBe(b?.split(' · ')[1])
    await page.getByRole('button', { name: 'Publish from tab A' }).click()
    await page.getByTestId('events-tab A').filter({ hasText: '1 event, last from tab A' }).waitFor()
    await page.getByTestId('events-tab B').filter({ hasText: '1 event, last from tab A' }).waitFor()
    await page
      .getByRole('button', { name: /Call .*greet/ })
      .nth(1)
      .click()
    await page.getByTestId('answer-tab B').filter({ hasText: 'tab A answers tab B' }).waitFor()
    await page.getByRole('button', { name: 'Close tab A' }).click()
    await page
      .getByRole('button', { name: /Call .*greet/ })
      .first()
      .click()
    await page.getByTestId('answer-tab B').filter({ hasText: 'tab B answers tab B' }).waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('events-tab B').textContent()).toBe('1 event, last from tab A')
  })
})

describe('useSubscription({ history }) across tabs (SharedWorker)', () => {
  const HISTORY = 'test.history.gapfree' // kept by every test router (test/routers)

  it('the first tab starts with the last 3 stored events; a later tab shares the stream; one subscription for both', async () => {
    // nexus drops a history with its last subscriber, Crossbar.io stores only while one is subscribed.
    const keeper = await connect(router.wsUrl, { realm: 'realm1' })
    try {
      await keeper.subscribe(HISTORY, () => {})
      for (const n of [1, 2, 3, 4, 5]) await meta.publish(HISTORY, [n], {}, { acknowledge: true })
      const historyOf = (page: Page) =>
        page.evaluate(() => (window as unknown as { historyEvents: number[] }).historyEvents.slice())
      // Crossbar.io counts a subscriber of its own on history topics: count from here.
      const before = await subscribers(HISTORY)
      const a = await openTab('worker', 'a', false, HISTORY)
      await a
        .getByTestId('history')
        .filter({ hasText: /^active complete$/ })
        .waitFor()
      expect(await historyOf(a)).toEqual([3, 4, 5])
      const b = await openTab('worker', 'b', false, HISTORY)
      await b
        .getByTestId('history')
        .filter({ hasText: /^active complete$/ })
        .waitFor()
      expect(await subscribers(HISTORY)).toBe(before + 1) // the tabs' one session
      await meta.publish(HISTORY, [6], {}, { acknowledge: true })
      await a.waitForFunction(() => (window as unknown as { historyEvents: number[] }).historyEvents.length >= 4)
      await b.waitForFunction(() => (window as unknown as { historyEvents: number[] }).historyEvents.length >= 1)
      await new Promise((ok) => setTimeout(ok, 100)) // a duplicate would have arrived by now
      expect(await historyOf(a)).toEqual([3, 4, 5, 6])
      expect(await historyOf(b)).toEqual([6])
    } finally {
      await keeper.close()
    }
  })

  it('leader mode: when the leader tab closes, the other tab gets nothing twice and says partial (the switch is not read back)', async () => {
    // A topic of its own: what the test before left on its topic does not matter here.
    const SHORT = 'test.history.gapshort' // keeps 5 events on every test router
    const keeper = await connect(router.wsUrl, { realm: 'realm1' })
    try {
      await keeper.subscribe(SHORT, () => {})
      const base = 1000
      for (const n of [1, 2, 3]) await meta.publish(SHORT, [base + n], {}, { acknowledge: true })
      const historyOf = (page: Page) =>
        page.evaluate(() => (window as unknown as { historyEvents: number[] }).historyEvents.slice())
      const leader = await openTab('leader', 'a', false, SHORT)
      const b = await openTab('leader', 'b', false, SHORT)
      await leader
        .getByTestId('history')
        .filter({ hasText: /^active complete$/ })
        .waitFor()
      await b
        .getByTestId('history')
        .filter({ hasText: /^active complete$/ })
        .waitFor()
      expect(await historyOf(leader)).toEqual([base + 1, base + 2, base + 3])
      await meta.publish(SHORT, [base + 4], {}, { acknowledge: true })
      await b.waitForFunction(
        (n) => (window as unknown as { historyEvents: number[] }).historyEvents.includes(n),
        base + 4,
      )
      const before = await sessionOf(b)
      await leader.close()
      pages.delete(leader)
      await sessionOf(b, (s) => s.startsWith('open:') && s !== before)
      await b
        .getByTestId('history')
        .filter({ hasText: /^active partial$/ })
        .waitFor()
      await meta.publish(SHORT, [base + 5], {}, { acknowledge: true })
      await b.waitForFunction(
        (n) => (window as unknown as { historyEvents: number[] }).historyEvents.includes(n),
        base + 5,
      )
      await new Promise((ok) => setTimeout(ok, 100)) // a duplicate would have arrived by now
      // The new leader's stream starts with `last: 3` again: the tab drops what it had.
      expect(await historyOf(b)).toEqual([base + 4, base + 5])
    } finally {
      await keeper.close()
    }
  })
})
