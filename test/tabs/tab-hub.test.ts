import { afterEach, describe, expect, it } from 'vitest'
import { ticket } from '../../src/auth/index.js'
import type { Event } from '../../src/client/index.js'
import { RPCError } from '../../src/protocol/errors.js'
import { sessionKey } from '../../src/tabs/hubs.js'
import { until } from '../support/wait.js'
import { createHarness, type Harness } from './harness.js'

let harness: Harness
afterEach(async () => {
  await harness?.close()
})

describe('one session for every tab', () => {
  it('three tabs holding one subscription: one session, one router subscription, each event once per tab', async () => {
    harness = createHarness()
    const tabs = [harness.openTab(), harness.openTab(), harness.openTab()]
    const seen = tabs.map(() => [] as unknown[])
    const leases = tabs.map((tab, index) => {
      tab.start()
      return tab.acquireSubscription('tabs.tick', (event: Event) => seen[index]?.push(event.args[0]))
    })
    await until('every tab active', () => leases.every((lease) => lease.status.getSnapshot().status === 'active'))
    expect(harness.sessions).toHaveLength(1)
    expect(harness.routerSubscribes()).toBe(1)
    expect(tabs.map((tab) => tab.getSnapshot().status)).toEqual(['open', 'open', 'open'])
    expect(new Set(tabs.map((tab) => tab.getSnapshot().sessionId)).size).toBe(1)
    for (const n of [1, 2, 3]) await tabs[0]?.publish('tabs.tick', [n], {}, { exclude_me: false, acknowledge: true })
    await until('three events in every tab', () => seen.every((events) => events.length === 3))
    expect(seen).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ])
  })

  it('two components of one tab share the tab lease: the hub sees one holder per tab', async () => {
    harness = createHarness()
    const tab = harness.openTab()
    tab.start()
    const a = tab.acquireSubscription('tabs.same', () => {})
    const b = tab.acquireSubscription('tabs.same', () => {})
    await until('active', () => a.status.getSnapshot().status === 'active')
    expect(a.status).toBe(b.status)
    expect(tab.stats.subscriptions).toBe(1)
  })

  it('a registration is answered by the tab that made it, and handed over when that tab goes', async () => {
    harness = createHarness()
    const [first, second, caller] = [harness.openTab(), harness.openTab(), harness.openTab()]
    for (const tab of [first, second, caller]) tab?.start()
    const one = first?.acquireRegistration('tabs.who', () => ({ args: ['first'] }))
    await until('first active', () => one?.status.getSnapshot().status === 'active')
    const two = second?.acquireRegistration('tabs.who', () => ({ args: ['second'] }))
    await until(
      'second waits',
      () => two?.status.getSnapshot().status === 'pending' && two.status.getSnapshot().error !== undefined,
    )
    expect((await caller?.call('tabs.who'))?.args).toEqual(['first'])
    first?.vanish()
    await until('second active', () => two?.status.getSnapshot().status === 'active')
    expect((await caller?.call('tabs.who'))?.args).toEqual(['second'])
    second?.vanish()
    const hub = harness.hubs.hub(sessionKey({ realm: 'realm1' }))
    await until('no callee left', () => hub?.stats.registrationClaims === 0 && hub.connection.stats.registrations === 0)
    await expect(caller?.call('tabs.who')).rejects.toMatchObject({ uri: 'wamp.error.no_such_procedure' })
  })

  it('an abort in the caller tab cancels on the wire; the callee tab sees its signal abort', async () => {
    harness = createHarness()
    const [callee, caller] = [harness.openTab(), harness.openTab()]
    callee?.start()
    caller?.start()
    let aborted: unknown
    const reg = callee?.acquireRegistration('tabs.slow', ({ signal }) => {
      return new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          aborted = signal.reason
          reject(signal.reason)
        })
      })
    })
    await until('registered', () => reg?.status.getSnapshot().status === 'active')
    const controller = new AbortController()
    const call = caller?.call('tabs.slow', [], {}, { signal: controller.signal, cancelMode: 'kill' })
    await until('invoked', () => callee?.stats.invocations === 1)
    controller.abort(new Error('user left'))
    await expect(call).rejects.toMatchObject({ name: 'AbortError' })
    await until('callee interrupted', () => aborted !== undefined)
    await until('nothing left', () => callee?.stats.invocations === 0 && caller?.stats.requests === 0)
    const hub = harness.hubs.hub(sessionKey({ realm: 'realm1' }))
    await until('hub has no call or invocation', () => hub?.stats.calls === 0 && hub.stats.invocations === 0)
  })

  it('a callee tab that vanishes mid-call: the caller gets wamp.error.canceled, nothing stays in flight', async () => {
    harness = createHarness()
    const [callee, caller] = [harness.openTab(), harness.openTab()]
    callee?.start()
    caller?.start()
    const reg = callee?.acquireRegistration('tabs.hang', () => new Promise(() => {}))
    await until('registered', () => reg?.status.getSnapshot().status === 'active')
    const call = caller?.call('tabs.hang')
    await until('invoked', () => callee?.stats.invocations === 1)
    callee?.vanish()
    const error = await call?.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RPCError)
    expect((error as RPCError).uri).toBe('wamp.error.canceled')
  })

  it('a caller tab that vanishes mid-call: its call is cancelled on the wire', async () => {
    harness = createHarness()
    const [callee, caller] = [harness.openTab(), harness.openTab()]
    callee?.start()
    caller?.start()
    let interrupted = false
    const reg = callee?.acquireRegistration('tabs.wait', ({ signal }) => {
      return new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => {
          interrupted = true
          reject(signal.reason)
        }),
      )
    })
    await until('registered', () => reg?.status.getSnapshot().status === 'active')
    void caller?.call('tabs.wait').catch(() => {})
    await until('invoked', () => callee?.stats.invocations === 1)
    caller?.vanish()
    await until('interrupted', () => interrupted)
  })

  it('progressive results cross the boundary in order', async () => {
    harness = createHarness()
    const [callee, caller] = [harness.openTab(), harness.openTab()]
    callee?.start()
    caller?.start()
    const reg = callee?.acquireRegistration('tabs.count', (inv) => {
      for (const n of [1, 2, 3]) inv.progress([n])
      return { args: ['done'] }
    })
    await until('registered', () => reg?.status.getSnapshot().status === 'active')
    const chunks: unknown[] = []
    const result = await caller?.call('tabs.count', [], {}, { onProgress: (r) => chunks.push(r.args[0]) })
    expect(chunks).toEqual([1, 2, 3])
    expect(result?.args).toEqual(['done'])
  })

  it('tabs of another realm get a session of their own', async () => {
    harness = createHarness()
    const a = harness.openTab('realm1')
    const b = harness.openTab('realm2')
    a.start()
    b.start()
    await until('both open', () => a.getSnapshot().status === 'open' && b.getSnapshot().status === 'open')
    expect(harness.sessions).toHaveLength(2)
    expect(harness.hubs.size).toBe(2)
  })

  it('the last tab leaving closes the session', async () => {
    harness = createHarness()
    const tab = harness.openTab()
    tab.start()
    await until('open', () => tab.getSnapshot().status === 'open')
    await tab.close()
    await until('session closed', () => harness.sessions.every((s) => !s.isOpen))
    expect(harness.hubs.size).toBe(0)
  })
})

describe('what crosses the boundary is checked', () => {
  it.each([
    ['a string', 'hello'],
    ['null', null],
    ['an unknown kind', { t: 'rm -rf' }],
    [
      'a hello of another protocol version',
      { t: 'hello', v: 99, tab: 'x', options: { realm: 'realm1' }, hasAuth: false },
    ],
    ['a hello without realm', { t: 'hello', v: 1, tab: 'x', options: {}, hasAuth: false }],
    ['a call before hello', { t: 'call', id: 1, procedure: 'x', options: {}, progress: false }],
  ])('a new port sending %s is dropped with a reason; no hub is made', async (_what, value) => {
    harness = createHarness()
    const port = harness.rawPort()
    port.post(value)
    await until('logged', () =>
      harness.logged.some((entry) => entry.message.startsWith('dropped a message from a new tab')),
    )
    expect(harness.hubs.size).toBe(0)
  })

  it.each([
    ['a call with a numeric procedure', { t: 'call', id: 1, procedure: 7, options: {}, progress: false }],
    ['a sub with args for options', { t: 'sub', lease: 1, topic: 'a.b', options: [] }],
    ['a yield for an invocation never made', { t: 'yield', inv: 42 }],
    ['an unsub of a lease never held', { t: 'unsub', lease: 42 }],
    ['a negative lease', { t: 'unreg', lease: -1 }],
    ['a second hello', { t: 'hello', v: 1, tab: 'y', options: { realm: 'realm1' }, hasAuth: false }],
  ])('a hub receiving %s drops it, logs why, and keeps serving the tab', async (_what, value) => {
    harness = createHarness()
    const port = harness.rawPort()
    const replies: unknown[] = []
    port.listen((message) => replies.push(message))
    port.post({ t: 'hello', v: 1, tab: 'raw', options: { realm: 'realm1', liveness: false }, hasAuth: false })
    port.post(value)
    await until('logged', () =>
      harness.logged.some((entry) => entry.message.startsWith('dropped a message from tab raw')),
    )
    port.post({ t: 'call', id: 5, procedure: 'wamp.session.count', options: {}, progress: false })
    await until('the call still answered', () => replies.some((m) => (m as { t: string; id?: number }).t === 'reply'))
    expect(harness.sessions).toHaveLength(1)
  })

  it('a tab drops a malformed message from the hub and keeps working', async () => {
    harness = createHarness()
    const tab = harness.openTab()
    tab.start()
    await until('open', () => tab.getSnapshot().status === 'open')
    ;(tab as unknown as { receive(raw: unknown): void }).receive({ t: 'event', lease: 'x' })
    ;(tab as unknown as { receive(raw: unknown): void }).receive({ t: 'state', state: { status: 'weird', attempt: 0 } })
    expect(harness.logged.filter((entry) => entry.message.startsWith('dropped a message from the hub'))).toHaveLength(2)
    expect(tab.getSnapshot().status).toBe('open')
  })
})

describe('authentication across tabs', () => {
  it('the hub asks a tab for its methods before each attempt, and that tab answers the challenge', async () => {
    harness = createHarness()
    let asked = 0
    const auth = () => {
      asked += 1
      return [ticket('secret-alice')]
    }
    const a = harness.openTab('authrealm', { realm: 'authrealm', authid: 'alice', auth })
    const b = harness.openTab('authrealm', { realm: 'authrealm', authid: 'alice' })
    a.start()
    b.start()
    await until('both open', () => a.getSnapshot().status === 'open' && b.getSnapshot().status === 'open')
    expect(harness.sessions).toHaveLength(1)
    expect(asked).toBe(1)
    expect(harness.sessions[0]?.realmDetails.authid).toBe('alice')
  })

  it('tabs with another authid get a session of their own', async () => {
    harness = createHarness()
    const alice = harness.openTab('authrealm', { realm: 'authrealm', authid: 'alice', auth: [ticket('secret-alice')] })
    const bob = harness.openTab('authrealm', { realm: 'authrealm', authid: 'bob', auth: [ticket('secret-bob')] })
    alice.start()
    bob.start()
    await until('both open', () => alice.getSnapshot().status === 'open' && bob.getSnapshot().status === 'open')
    expect(harness.sessions.map((s) => s.realmDetails.authid).sort()).toEqual(['alice', 'bob'])
    expect(alice.getSnapshot().sessionId).not.toBe(bob.getSnapshot().sessionId)
  })

  it('a refused ticket shows in every tab as the connection error', async () => {
    harness = createHarness()
    const tab = harness.openTab('authrealm', {
      realm: 'authrealm',
      authid: 'mallory',
      auth: [ticket('guess')],
      reconnect: { maxAttempts: 1 },
    })
    tab.start()
    await until('closed', () => tab.getSnapshot().status === 'closed')
    expect(tab.getSnapshot().error?.message).toMatch(/wrong ticket|authentication/)
  })
})

describe('no hub reachable', () => {
  it('a call and a publish fail after waitForSession with a clear error; nothing is sent later', async () => {
    harness = createHarness()
    let reach: ((port: import('../../src/tabs/port.js').TabPort) => void) | undefined
    const { TabConnection } = await import('../../src/tabs/tab-connection.js')
    const tab = new TabConnection(
      { realm: 'realm1', waitForSession: 50 },
      {
        kind: 'test',
        open: (_id, onHub) => {
          reach = onHub
        },
        close: () => {},
      },
    )
    tab.start()
    const call = tab.call('tabs.nowhere').catch((error: Error) => error)
    const publish = tab.publish('tabs.nowhere').catch((error: Error) => error)
    expect(String(await call)).toMatch(
      /cannot call tabs.nowhere: no tab or worker held the shared session within 50 ms/,
    )
    expect(String(await publish)).toMatch(/cannot publish to tabs.nowhere/)
    const sent: unknown[] = []
    reach?.({ post: (m) => sent.push(m), listen: () => () => {}, close: () => {} })
    expect(sent.map((m) => (m as { t: string }).t)).toEqual(['hello'])
    await tab.close()
  })
})

describe('a new hub (a new leader) takes over', () => {
  it('every tab says hello again and asks for its subscriptions and registrations once; calls in flight fail, never resent', async () => {
    harness = createHarness()
    const { TabHubs } = await import('../../src/tabs/hubs.js')
    const { TabConnection } = await import('../../src/tabs/tab-connection.js')
    const { messagePortLink } = await import('../../src/tabs/port.js')
    const { connectLocal } = await import('../../src/client/index.js')
    type Port = import('../../src/tabs/port.js').MessagePortLike
    const opened: import('../../src/client/index.js').Client[] = []
    const makeHubs = () =>
      new TabHubs({
        logger: { debug() {}, warn() {}, error() {} },
        open: async (_url, config) => {
          const client = await connectLocal(harness.router, config)
          opened.push(client)
          return client
        },
      })
    const reaches: ((port: import('../../src/tabs/port.js').TabPort) => void)[] = []
    const attach = (hubs: InstanceType<typeof TabHubs>, index: number) => {
      const { port1, port2 } = new MessageChannel()
      hubs.serve(messagePortLink(port2 as unknown as Port))
      reaches[index]?.(messagePortLink(port1 as unknown as Port))
    }
    const tabs = [0, 1].map(
      (index) =>
        new TabConnection(
          { realm: 'realm1', liveness: false },
          {
            kind: 'test',
            open: (_id, onHub) => {
              reaches[index] = onHub
            },
            close() {},
          },
        ),
    )
    const first = makeHubs()
    for (const [index, tab] of tabs.entries()) {
      tab.start()
      attach(first, index)
    }
    const seen: number[][] = [[], []]
    const subs = tabs.map((tab, index) =>
      tab.acquireSubscription('tabs.takeover', (e: Event) => seen[index]?.push(e.publication)),
    )
    const reg = tabs[1]?.acquireRegistration('tabs.takeover.proc', () => new Promise(() => {}))
    await until(
      'active',
      () =>
        subs.every((s) => s.status.getSnapshot().status === 'active') && reg?.status.getSnapshot().status === 'active',
    )
    const inFlight = tabs[0]?.call('tabs.takeover.proc').catch((error: Error) => error)
    await until('invoked', () => tabs[1]?.stats.invocations === 1)

    // The leader goes: its session with it.
    await first.closeAll()
    const second = makeHubs()
    for (const index of [0, 1]) attach(second, index)
    expect(String(await inFlight)).toMatch(/ConnectionLostError|closed during the request/)
    await until(
      'active again',
      () =>
        subs.every((s) => s.status.getSnapshot().status === 'active') && reg?.status.getSnapshot().status === 'active',
    )
    expect(opened.filter((client) => client.isOpen)).toHaveLength(1)
    const hub = second.hub(sessionKey({ realm: 'realm1', liveness: false }))
    expect(hub?.connection.stats.subscriptions).toBe(1)
    expect(hub?.stats.registrationClaims).toBe(1)
    expect(tabs[1]?.stats.invocations).toBe(0)
    const publication = await tabs[0]?.publish('tabs.takeover', [], {}, { acknowledge: true, exclude_me: false })
    await until('each tab got it once', () => seen.every((list) => list.includes(publication as number)))
    expect(seen.map((list) => list.filter((id) => id === publication).length)).toEqual([1, 1])
    for (const tab of tabs) await tab.close()
    await second.closeAll()
  })
})
