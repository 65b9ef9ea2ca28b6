import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { type Client, connectLocal } from '../../src/client/index.js'
import { type Connection, createConnection, inspectConnection, observeConnection } from '../../src/connection/index.js'
import { createRouter } from '../../src/router/index.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until(what: string, check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`)
    await sleep(3)
  }
}

const connections: Connection[] = []
const peers: Client[] = []
afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.close()))
  await Promise.all(peers.splice(0).map((p) => p.close().catch(() => {})))
})

const CALL = 48
const CANCEL = 49
const INTERRUPT = 69

function localConnection(errors: unknown[] = []) {
  const router = createRouter({ realms: { realm1: {} } })
  const opened: Client[] = []
  const connection = createConnection({
    realm: 'realm1',
    liveness: false,
    logger: { debug() {}, warn() {}, error: (...args) => errors.push(args) },
    open: async (_url, config) => {
      const client = await connectLocal(router, config)
      opened.push(client)
      return client
    },
  })
  connections.push(connection)
  return { connection, router, opened }
}

async function peer(router: ReturnType<typeof createRouter>): Promise<Client> {
  const client = await connectLocal(router, { realm: 'realm1' })
  peers.push(client)
  return client
}

describe('observeConnection: the message tap', () => {
  it('sees the handshake and every message in and out; nothing is tapped once the observer leaves', async () => {
    const { connection, opened } = localConnection()
    const seen: [string, number][] = []
    const stop = observeConnection(connection, (direction, message) =>
      seen.push([direction, (message as number[])[0] as number]),
    )
    connection.start()
    await until('open', () => connection.getSnapshot().status === 'open')
    expect(seen.slice(0, 2)).toEqual([
      ['out', 1],
      ['in', 2],
    ])
    await connection.publish('com.example.t', [1], {}, { acknowledge: true })
    expect(seen.slice(2)).toEqual([
      ['out', 16],
      ['in', 17],
    ])
    stop()
    expect(opened[0]!.tap).toBeUndefined()
    expect(connection.tap).toBeUndefined()
    await connection.publish('com.example.t', [2], {}, { acknowledge: true })
    expect(seen).toHaveLength(4)
  })

  it('without an observer a session has no tap at all (one check per message, nothing kept)', async () => {
    const { connection, opened } = localConnection()
    connection.start()
    await until('open', () => connection.getSnapshot().status === 'open')
    expect(opened[0]!.tap).toBeUndefined()
    const stop = observeConnection(connection, () => {})
    expect(opened[0]!.tap).toBeTypeOf('function')
    stop()
    stop() // idempotent
    expect(opened[0]!.tap).toBeUndefined()
  })

  it('an observer that throws is logged; the session and the other observers go on', async () => {
    const errors: unknown[] = []
    const { connection } = localConnection(errors)
    let other = 0
    observeConnection(connection, () => {
      throw new Error('observer bug')
    })
    observeConnection(connection, () => {
      other += 1
    })
    connection.start()
    await until('open', () => connection.getSnapshot().status === 'open')
    await expect(connection.publish('com.example.t', [], {}, { acknowledge: true })).resolves.toBeTypeOf('number')
    expect(other).toBe(4)
    expect(errors.length).toBe(4)
  })

  it('observers follow the connection to its next session', async () => {
    const { connection, opened } = localConnection()
    const names: number[] = []
    observeConnection(connection, (_direction, message) => names.push((message as number[])[0] as number))
    connection.start()
    await until('open', () => connection.getSnapshot().status === 'open')
    opened[0]!.terminate()
    await until('a second session', () => opened.length === 2 && connection.getSnapshot().status === 'open')
    expect(opened[1]!.tap).toBeTypeOf('function')
    expect(names.filter((type) => type === 1)).toHaveLength(2) // two HELLOs
  })

  it('ClientConfig.tap sees a plain client’s messages; its throw goes to the logger', async () => {
    const router = createRouter({ realms: { realm1: {} } })
    const errors: unknown[] = []
    let count = 0
    const client = await connectLocal(router, {
      realm: 'realm1',
      logger: { debug() {}, warn() {}, error: (...args) => errors.push(args) },
      tap: () => {
        count += 1
        if (count === 3) throw new Error('tap bug')
      },
    })
    peers.push(client)
    await client.publish('com.example.t', [], {}, { acknowledge: true })
    expect(count).toBe(4)
    expect(errors).toHaveLength(1)
  })

  it('model: the tap is set exactly while some observer is attached, and each sees only its own span', async () => {
    const { connection, opened } = localConnection()
    connection.start()
    await until('open', () => connection.getSnapshot().status === 'open')
    const client = opened[0]!
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constant('observe' as const), fc.constant('send' as const), fc.nat(5)), {
          maxLength: 25,
        }),
        async (steps) => {
          const attached: { stop: () => void; seen: number; expected: number }[] = []
          for (const step of steps) {
            if (step === 'observe') {
              const record = { stop: () => {}, seen: 0, expected: 0 }
              record.stop = observeConnection(connection, () => {
                record.seen += 1
              })
              attached.push(record)
            } else if (step === 'send') {
              await connection.publish('com.example.model', [], {}, { acknowledge: true })
              for (const record of attached) record.expected += 2
            } else if (attached.length > 0) {
              const [gone] = attached.splice(step % attached.length, 1)
              gone!.stop()
            }
            // Invariants after every step.
            expect(client.tap === undefined).toBe(attached.length === 0)
            for (const record of attached) expect(record.seen).toBe(record.expected)
          }
          for (const record of attached) record.stop()
          expect(client.tap).toBeUndefined()
        },
      ),
      { numRuns: 30 },
    )
  })
})

describe('inspectConnection', () => {
  it('lists subscriptions with their holders, and registrations with their invocations', async () => {
    const { connection, router } = localConnection()
    connection.start()
    const a = connection.acquireSubscription('com.example.prices', () => {}, { match: 'prefix' })
    const b = connection.acquireSubscription('com.example.prices', () => {}, { match: 'prefix' })
    let release: (() => void) | undefined
    const registration = connection.acquireRegistration('com.example.slow', async () => {
      await new Promise<void>((resolve) => {
        release = resolve
      })
      return { args: ['done'] }
    })
    await until('active', () => registration.status.getSnapshot().status === 'active')
    await until('subscribed', () => a.status.getSnapshot().status === 'active')
    const caller = await peer(router)
    const result = caller.call('com.example.slow', ['x'])
    await until('the callee runs', () => release !== undefined)
    const view = inspectConnection(connection)
    expect(view.state.status).toBe('open')
    expect(view.phase).toBe('open')
    expect(view.subscriptions).toEqual([
      {
        topic: 'com.example.prices',
        options: { match: 'prefix' },
        holders: 2,
        status: expect.objectContaining({ status: 'active' }),
      },
    ])
    expect(view.registrations).toEqual([
      {
        procedure: 'com.example.slow',
        options: {},
        holders: 1,
        status: expect.objectContaining({ status: 'active', invocationCount: 1 }),
      },
    ])
    release?.()
    await expect(result).resolves.toMatchObject({ args: ['done'] })
    a.release()
    b.release()
    registration.release()
  })

  it('a call’s cancel() sends CANCEL and interrupts the callee; its holders get an AbortError', async () => {
    const { connection, router } = localConnection()
    const wire: number[][] = []
    observeConnection(connection, (direction, message) => {
      if (direction === 'out') wire.push(message as number[])
    })
    connection.start()
    await until('open', () => connection.getSnapshot().status === 'open')
    const callee = await peer(router)
    let interrupted: unknown
    const calleeSeen: number[] = []
    await callee.register('com.example.forever', ({ signal }) => {
      calleeSeen.push(CALL)
      return new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          interrupted = signal.reason
          calleeSeen.push(INTERRUPT)
          reject(signal.reason)
        })
      })
    })
    const lease = connection.acquireCall('k', 'com.example.forever', [1, 'two'], { a: 1 }, {})
    const settled = lease.promise.then(
      () => 'resolved',
      (error: Error) => error.name,
    )
    await until('the callee runs', () => calleeSeen.length === 1)
    const [call] = inspectConnection(connection).calls
    expect(call).toMatchObject({
      key: 'k',
      procedure: 'com.example.forever',
      args: [1, 'two'],
      kwargs: { a: 1 },
      holders: 1,
      progressCount: 0,
    })
    expect(Date.now() - call!.startedAt).toBeGreaterThanOrEqual(0)
    call!.cancel()
    expect(await settled).toBe('AbortError')
    await until('the callee is interrupted', () => interrupted !== undefined)
    expect(wire.filter((m) => m[0] === CANCEL)).toHaveLength(1)
    expect(inspectConnection(connection).calls).toEqual([])
    lease.release()
  })

  it('direct calls (mutations) are listed and cancellable only while observed; their own signal still works', async () => {
    const { connection, router } = localConnection()
    connection.start()
    await until('open', () => connection.getSnapshot().status === 'open')
    const callee = await peer(router)
    let interrupts = 0
    await callee.register('com.example.wait', ({ signal }) => {
      return new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => {
          interrupts += 1
          reject(signal.reason)
        }),
      )
    })
    const unobserved = connection.call('com.example.wait').catch((error: Error) => error.name)
    await sleep(20)
    expect(connection.watchCall).toBeUndefined()
    expect(inspectConnection(connection).calls).toEqual([])
    const stop = observeConnection(connection, () => {})
    const chunks: unknown[] = []
    const observed = connection
      .call('com.example.wait', ['a'], {}, { onProgress: (r) => chunks.push(r) })
      .catch((error: Error) => error.name)
    const own = new AbortController()
    const ownCall = connection.call('com.example.wait', ['b'], {}, { signal: own.signal }).catch((e: Error) => e.name)
    await until('listed', () => inspectConnection(connection).calls.length === 2)
    const [first, second] = inspectConnection(connection).calls
    expect(first).toMatchObject({ procedure: 'com.example.wait', args: ['a'], holders: 1, progressCount: 0 })
    expect(second).toMatchObject({ procedure: 'com.example.wait', args: ['b'] })
    first!.cancel()
    expect(await observed).toBe('AbortError')
    own.abort()
    expect(await ownCall).toBe('AbortError')
    await until('both callees interrupted', () => interrupts === 2)
    expect(inspectConnection(connection).calls).toEqual([])
    stop()
    expect(connection.watchCall).toBeUndefined()
    const pending = inspectConnection(connection).calls
    expect(pending).toEqual([])
    await connection.close()
    expect(await unobserved).not.toBe('AbortError') // it ended with the connection, not from the panel
  })
})
