// @vitest-environment happy-dom
/**
 * The live chart story (Hooks/useSubscription, Live ticker) on its in-process demo router, under
 * <StrictMode>: "Drop the connection for 3 s" leaves no hole. The price feed is a server-side
 * session the page's outage does not touch and numbers its ticks; the chart's reducer counts the
 * ticks it skipped, and must count none.
 */
import { act, cleanup, render } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterAll, expect, it } from 'vitest'
import { Demo, OUTAGE_MS } from '../../stories/support/Demo.js'
import { dropConnection } from '../../stories/support/demo-router.js'
import { backend, Ticker } from '../../stories/useSubscription.stories.js'

afterAll(() => cleanup())

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
async function until(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`)
    await act(() => sleep(20))
  }
}

it('"Drop the connection for 3 s" leaves no hole in the live chart', async () => {
  const view = render(
    <StrictMode>
      <Demo backends={[backend]}>
        <Ticker symbol="acme" bufferSize={0} />
      </Demo>
    </StrictMode>,
  )
  const chart = () => view.queryByTestId('ticker-completeness')
  const count = () => Number(view.queryByTestId('ticker-count')?.getAttribute('data-count') ?? 0)
  const status = () => view.queryByTestId('ticker-status')?.textContent
  const filled = () =>
    chart()?.getAttribute('data-status') === 'complete' && chart()?.getAttribute('data-filling') === 'false'
  await until('live and filled', () => status() === 'active' && filled() && count() >= 10)

  const before = count()
  act(() => dropConnection(OUTAGE_MS))
  await until('dropped', () => status() !== 'active')
  await until('back, and filled from the history', () => status() === 'active' && filled(), 20_000)
  await act(() => sleep(500))
  // About 20 ticks came while away (one every 150 ms): all of them are in the chart, none skipped.
  expect(count() - before).toBeGreaterThanOrEqual(Math.floor(OUTAGE_MS / 150) - 2)
  expect(chart()?.getAttribute('data-skipped')).toBe('0')
  expect(chart()?.getAttribute('data-status')).toBe('complete')
}, 40_000)
