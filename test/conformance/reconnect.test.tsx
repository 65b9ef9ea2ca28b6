// @vitest-environment happy-dom
import { cleanup, render, waitFor } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type Client, connect } from '../../src/client/index.js'
import { useRegister, useSubscription, useWampSession, WampProvider } from '../../src/react/index.js'
import { selectedRouters, startRouter } from '../routers/start.js'
import type { RunningRouter } from '../routers/types.js'
import { wireSpy } from '../support/wire-spy.js'
import { uniqueUri } from './targets.js'

const reconnect = { initialDelay: 100, maxDelay: 400 }

/** Joins, retrying while the router comes back. */
async function joinWhenUp(url: string): Promise<Client> {
  for (let i = 0; ; i++) {
    try {
      return await connect(url, { realm: 'realm1' })
    } catch (error) {
      if (i > 100) throw error
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}

function Widgets({
  topic,
  procedure,
  log,
}: {
  topic: string
  procedure: string
  log: { events: unknown[]; calls: unknown[]; statuses: string[] }
}) {
  const status = useWampSession((s) => s.status)
  if (log.statuses.at(-1) !== status) log.statuses.push(status)
  const sub = useSubscription(topic, { onEvent: (e) => log.events.push(e.args[0]) })
  const reg = useRegister(procedure, ({ args }) => {
    log.calls.push(args[0])
    return { args: ['ok'] }
  })
  return (
    <p data-testid="widgets">
      {status}/{sub.status}/{reg.status}
    </p>
  )
}

describe.each(selectedRouters())('reconnection against %s (own router processes)', (name) => {
  const routers: RunningRouter[] = []
  const clients: Client[] = []
  beforeAll(async () => {
    routers.push(await startRouter(name), await startRouter(name))
  })
  afterEach(async () => {
    cleanup()
    await Promise.all(clients.splice(0).map((c) => (c.isOpen ? c.close().catch(() => {}) : undefined)))
  })
  afterAll(async () => {
    await Promise.all(routers.map((r) => r.stop()))
  })

  it('router killed and restarted on the same port: reconnecting → open, subscription and registration back, no handler runs twice', async () => {
    const router = routers[0]!
    const spy = wireSpy()
    const topic = uniqueUri('reconnect.topic')
    const procedure = uniqueUri('reconnect.proc')
    const log = { events: [] as unknown[], calls: [] as unknown[], statuses: [] as string[] }
    const view = render(
      <StrictMode>
        <WampProvider
          url={router.wsUrl}
          realm="realm1"
          reconnect={reconnect}
          liveness={false}
          createWebSocket={spy.createWebSocket}
        >
          <Widgets topic={topic} procedure={procedure} log={log} />
        </WampProvider>
      </StrictMode>,
    )
    await waitFor(() => expect(view.getByTestId('widgets').textContent).toBe('open/active/active'))
    const before = await joinWhenUp(router.wsUrl)
    clients.push(before)
    await before.publish(topic, ['before'], {}, { acknowledge: true })
    expect((await before.call(procedure, ['first'])).args).toEqual(['ok'])
    await waitFor(() => expect(log.events).toEqual(['before']))

    await router.kill()
    await waitFor(() => expect(view.getByTestId('widgets').textContent).toMatch(/^reconnecting\//))
    await router.restart()
    await waitFor(() => expect(view.getByTestId('widgets').textContent).toBe('open/active/active'), { timeout: 15_000 })

    const after = await joinWhenUp(router.wsUrl)
    clients.push(after)
    await after.publish(topic, ['after'], {}, { acknowledge: true })
    expect((await after.call(procedure, ['second'])).args).toEqual(['ok'])
    await waitFor(() => expect(log.events).toEqual(['before', 'after']))
    expect(log.calls).toEqual(['first', 'second'])
    expect(log.statuses).toEqual(expect.arrayContaining(['connecting', 'open', 'reconnecting']))
    expect(log.statuses.at(-1)).toBe('open')
    // Two sessions, each with exactly one SUBSCRIBE and one REGISTER.
    expect(spy.ofType(32)).toHaveLength(2)
    expect(spy.ofType(64)).toHaveLength(2)
  })

  it('with two routers in the url list, killing the one in use moves the session to the other', async () => {
    const [first, second] = routers as [RunningRouter, RunningRouter]
    const topic = uniqueUri('failover.topic')
    const procedure = uniqueUri('failover.proc')
    const log = { events: [] as unknown[], calls: [] as unknown[], statuses: [] as string[] }
    const urls: string[] = []
    function Url() {
      const url = useWampSession((s) => (s.status === 'open' ? s.url : undefined))
      if (url && urls.at(-1) !== url) urls.push(url)
      return null
    }
    const view = render(
      <StrictMode>
        <WampProvider url={[first.wsUrl, second.wsUrl]} realm="realm1" reconnect={reconnect} liveness={false}>
          <Url />
          <Widgets topic={topic} procedure={procedure} log={log} />
        </WampProvider>
      </StrictMode>,
    )
    await waitFor(() => expect(view.getByTestId('widgets').textContent).toBe('open/active/active'))
    expect(urls).toEqual([first.wsUrl])
    await first.kill()
    await waitFor(() => expect(view.getByTestId('widgets').textContent).toBe('open/active/active'), { timeout: 15_000 })
    await waitFor(() => expect(urls).toEqual([first.wsUrl, second.wsUrl]))
    const peer = await joinWhenUp(second.wsUrl)
    clients.push(peer)
    await peer.publish(topic, ['on second'], {}, { acknowledge: true })
    expect((await peer.call(procedure, ['x'])).args).toEqual(['ok'])
    await waitFor(() => expect(log.events).toEqual(['on second']))
    await first.restart()
  })
})
