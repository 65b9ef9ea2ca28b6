// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { type Client, connectLocal, type Event } from '../../src/client/index.js'
import { type Connection, createConnection, retryDelay } from '../../src/connection/index.js'
import { AuthenticationError, ClientClosedError, ConnectionLostError } from '../../src/protocol/errors.js'
import { createRouter } from '../../src/router/index.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await sleep(5)
  }
}

const connections: Connection[] = []
afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.close()))
})

function localConnection(router = createRouter({ realms: { realm1: {} } }), extra: Record<string, unknown> = {}) {
  const opened: Client[] = []
  const connection = createConnection({
    realm: 'realm1',
    liveness: false,
    reconnect: { initialDelay: 10, maxDelay: 20 },
    open: async (_url, config) => {
      const client = await connectLocal(router, config)
      opened.push(client)
      return client
    },
    ...extra,
  })
  connections.push(connection)
  return { connection, router, opened }
}

describe('retryDelay: exponential backoff with full jitter', () => {
  it('stays between 0 and the capped exponential', () => {
    const options = { initialDelay: 100, maxDelay: 1000, factor: 2 }
    expect(retryDelay(1, options, () => 1)).toBe(100)
    expect(retryDelay(3, options, () => 1)).toBe(400)
    expect(retryDelay(10, options, () => 1)).toBe(1000)
    expect(retryDelay(10, options, () => 0)).toBe(0)
    expect(retryDelay(2, options, () => 0.5)).toBe(100)
  })
})

describe('Connection state', () => {
  it('goes idle → connecting → open, and its snapshot changes identity only when the state changes', async () => {
    const { connection } = localConnection()
    const first = connection.getSnapshot()
    expect(first.status).toBe('idle')
    expect(connection.getSnapshot()).toBe(first)
    let notifications = 0
    connection.subscribe(() => {
      notifications += 1
    })
    connection.start()
    await until(() => connection.getSnapshot().status === 'open')
    const open = connection.getSnapshot()
    expect(open.sessionId).toBeGreaterThan(0)
    expect(connection.getSnapshot()).toBe(open)
    expect(notifications).toBeGreaterThan(0)
  })

  it('a lost session comes back, and durable subscriptions and registrations are replayed once', async () => {
    const { connection, router, opened } = localConnection()
    connection.start()
    const events: unknown[] = []
    const sub = connection.acquireSubscription('test.replay', (e: Event) => events.push(e.args[0]))
    let calls = 0
    const reg = connection.acquireRegistration('test.replay.proc', () => {
      calls += 1
      return { args: [calls] }
    })
    await until(() => sub.status.getSnapshot().status === 'active')
    const statuses: string[] = []
    connection.subscribe(() => statuses.push(connection.getSnapshot().status))
    opened[0]!.terminate()
    await until(() => opened.length === 2)
    await until(
      () =>
        connection.getSnapshot().status === 'open' &&
        sub.status.getSnapshot().status === 'active' &&
        reg.status.getSnapshot().status === 'active',
    )
    expect(opened).toHaveLength(2)
    expect(statuses).toContain('reconnecting')
    const peer = await connectLocal(router, { realm: 'realm1' })
    await until(() => peer.isOpen)
    await sleep(20)
    await peer.publish('test.replay', ['after'], {}, { acknowledge: true })
    expect((await peer.call('test.replay.proc')).args).toEqual([1])
    await until(() => events.length === 1)
    expect(events).toEqual(['after'])
    expect(connection.stats).toMatchObject({ subscriptions: 1, registrations: 1, sharedCalls: 0 })
    await peer.close()
  })

  it('does not retry after an authentication failure, and says why', async () => {
    let attempts = 0
    const { connection } = localConnection(undefined, {
      open: async () => {
        attempts += 1
        throw new AuthenticationError('wamp.error.not_authorized', { message: 'wrong ticket' })
      },
    })
    connection.start()
    await until(() => connection.getSnapshot().status === 'closed')
    await sleep(50)
    expect(attempts).toBe(1)
    expect(connection.getSnapshot().error).toBeInstanceOf(AuthenticationError)
  })

  it('gives up after maxAttempts, counting attempts in the state', async () => {
    let attempts = 0
    const { connection } = localConnection(undefined, {
      reconnect: { initialDelay: 5, maxDelay: 5, maxAttempts: 3 },
      open: async () => {
        attempts += 1
        throw new ConnectionLostError('refused')
      },
    })
    const seen = new Set<string>()
    connection.subscribe(() => seen.add(connection.getSnapshot().status))
    connection.start()
    await until(() => connection.getSnapshot().status === 'closed')
    expect(attempts).toBe(3)
    expect(connection.getSnapshot().attempt).toBe(3)
    expect(seen.has('reconnecting')).toBe(true)
  })

  it('the browser coming back online skips the wait', async () => {
    let attempts = 0
    const router = createRouter({ realms: { realm1: {} } })
    const { connection } = localConnection(router, {
      reconnect: { initialDelay: 60_000, maxDelay: 60_000 },
      open: async (_url: unknown, config: Parameters<typeof connectLocal>[1]) => {
        attempts += 1
        if (attempts === 1) throw new ConnectionLostError('offline')
        return connectLocal(router, config)
      },
    })
    connection.start()
    await until(
      () => connection.getSnapshot().status === 'reconnecting' && connection.getSnapshot().retryInMs !== undefined,
    )
    window.dispatchEvent(new Event('online'))
    await until(() => connection.getSnapshot().status === 'open', 1000)
    expect(attempts).toBe(2)
  })

  it('with waitForSession 0 calls fail at once when not connected; after close() they are refused as closed', async () => {
    const { connection } = localConnection(undefined, { waitForSession: 0 })
    await expect(connection.call('a.b')).rejects.toBeInstanceOf(ConnectionLostError)
    connection.start()
    await until(() => connection.getSnapshot().status === 'open')
    await connection.close()
    expect(connection.getSnapshot().status).toBe('closed')
    await expect(connection.call('a.b')).rejects.toBeInstanceOf(ClientClosedError)
  })

  it('a shared call goes out once for two holders and is cancelled a macrotask after the last leaves', async () => {
    const router = createRouter({ realms: { realm1: {} } })
    const callee = await connectLocal(router, { realm: 'realm1' })
    let invocations = 0
    let interrupted = false
    await callee.register('test.shared', ({ signal }) => {
      invocations += 1
      signal.addEventListener('abort', () => {
        interrupted = true
      })
      return new Promise(() => {})
    })
    const { connection } = localConnection(router)
    connection.start()
    await until(() => connection.getSnapshot().status === 'open')
    const a = connection.acquireCall('k', 'test.shared', [], {}, {})
    const b = connection.acquireCall('k', 'test.shared', [], {}, {})
    expect(a.promise).toBe(b.promise)
    a.promise.catch(() => {})
    await until(() => invocations === 1)
    a.release()
    b.release()
    // A holder coming back within the macrotask keeps the call alive.
    const c = connection.acquireCall('k', 'test.shared', [], {}, {})
    expect(c.promise).toBe(a.promise)
    await sleep(20)
    expect(interrupted).toBe(false)
    c.release()
    await until(() => interrupted)
    expect(invocations).toBe(1)
    expect(connection.stats.sharedCalls).toBe(0)
    await callee.close()
  })
})
