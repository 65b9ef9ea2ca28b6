import type { BrowserContext, Page } from 'playwright-core'

/** A page and everything that went wrong on it: console errors, page errors, failed requests. */
export interface WatchedPage {
  page: Page
  problems: string[]
}

/** A new page that records every console error, uncaught error, failed request and HTTP error. */
export async function watchedPage(browser: BrowserContext): Promise<WatchedPage> {
  const page = await browser.newPage()
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()} (${message.location().url})`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  )
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`)
  })
  return { page, problems }
}

/** The URL of one story alone (Storybook's iframe), or of one docs page. */
export function storyUrl(storybook: string, id: string, query = ''): string {
  return `${storybook}/iframe.html?id=${id}&viewMode=story${query}`
}
export function docsUrl(storybook: string, id: string): string {
  return `${storybook}/iframe.html?id=${id}&viewMode=docs`
}

/** Waits until the page shows at least `min` demos and every one has an open session. */
export async function waitForOpenDemos(page: Page, min = 1, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    (least) => {
      const demos = [...document.querySelectorAll('.rw-demo')]
      return (
        demos.length >= least &&
        demos.every((demo) => demo.querySelector('[data-testid="session"]')?.textContent?.startsWith('open'))
      )
    },
    min,
    { timeout },
  )
}

/**
 * Error text the page shows: alerts, failure words inside the demos, Storybook's error screen.
 * (Docs text is not searched: its options tables name `error` and `onError`.)
 */
export function shownErrors(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = []
    for (const alert of document.querySelectorAll('[role="alert"]')) found.push(`alert: ${alert.textContent}`)
    for (const demo of document.querySelectorAll<HTMLElement>('.rw-demo')) {
      // Field labels ("last error") are not messages; `data-log` marks a record of past failures.
      const copy = demo.cloneNode(true) as HTMLElement
      for (const label of copy.querySelectorAll('dt, [data-log]')) label.remove()
      const text = copy.textContent ?? ''
      const match = /\b(error|failed|refused|exception|cannot)\b|wamp\.error\.|no_such_/i.exec(text)
      if (match) found.push(`demo text: …${text.slice(Math.max(0, match.index - 60), match.index + 80)}…`)
    }
    if (document.body.classList.contains('sb-show-errordisplay')) {
      found.push(`storybook error: ${document.querySelector('#error-message')?.textContent}`)
    }
    return found
  })
}
