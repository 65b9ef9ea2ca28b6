import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchChromium } from './chromium.js'
import { docsUrl, shownErrors, storyUrl, waitForOpenDemos, watchedPage } from './pages.js'
import { storybookEntries } from './storybook-index.js'

const storybook = inject('storybookUrl')
const entries = storybookEntries()
const stories = entries.filter((entry) => entry.type === 'story')
const docs = entries.filter((entry) => entry.type === 'docs')
// Screenshots of every page, for a person to look at; the path is printed once.
const screenshots = mkdtempSync(join(tmpdir(), 'rw-stories-'))

let browser: Awaited<ReturnType<typeof launchChromium>>
beforeAll(async () => {
  browser = await launchChromium()
  console.log(`screenshots of every story and docs page: ${screenshots}`)
})
afterAll(async () => {
  await browser?.cleanup()
})

/** Loads `url` in a new page; after the demos settle, nothing shows or logs an error. */
async function expectCleanLoad(url: string, demos: number, shot: string): Promise<void> {
  const { page, problems } = await watchedPage(browser)
  try {
    await page.goto(url)
    await waitForOpenDemos(page, demos)
    // Long enough for every story's first call (the quick search answers in 100 ms) to come back.
    await page.waitForTimeout(800)
    await waitForOpenDemos(page, demos, 1000)
    expect(await shownErrors(page)).toEqual([])
    expect(problems).toEqual([])
    await page.screenshot({ path: join(screenshots, `${shot}.png`), fullPage: true })
  } finally {
    await page.close()
  }
}

describe('every story and docs page, each on a fresh load, shows and logs no error', () => {
  it('the index has every hook', () => {
    expect(stories.length).toBeGreaterThanOrEqual(8)
    expect(docs.length).toBeGreaterThanOrEqual(7)
  })

  it.for(stories.map((story) => [story.id] as const))('story %s', async ([id]) => {
    await expectCleanLoad(storyUrl(storybook, id), 1, id)
  })

  // A docs page runs all its component's stories at once: the backend must be ready for each.
  it.for(docs.map((doc) => [doc.id, stories.filter((s) => s.title === doc.title).length] as const))(
    'docs page %s',
    async ([id, count]) => {
      await expectCleanLoad(docsUrl(storybook, id), count, id)
    },
  )
})
