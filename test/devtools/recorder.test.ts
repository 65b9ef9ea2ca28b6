import { afterEach, describe, expect, it } from 'vitest'
import { type Client, connectLocal } from '../../src/client/index.js'
import { type Connection, createConnection } from '../../src/connection/index.js'
import { createRecorder } from '../../src/devtools/index.js'
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
afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.close()))
})

function localConnection() {
  const router = createRouter({ realms: { realm1: {} } })
  const opened: Client[] = []
  const connection = createConnection({
    realm: 'realm1',
    liveness: false,
    reconnect: { initialDelay: 5, maxDelay: 10 },
    open: async (_url, config) => {
      const client = await connectLocal(router, config)
      opened.push(client)
      return client
    },
  })
  connections.push(connection)
  return { connection, router, opened }
}

describe('createRecorder', () => {
  it('records state changes (bounded), messages and event rates; pause skips; stop leaves nothing attached', async () => {
    const { connection, router, opened } = localConnection()
    const recorder = createRecorder(connection, { capacity: 50, transitions: 4 })
    expect(recorder.transitions.map((t) => t.status)).toEqual(['idle'])
    connection.start()
    await until('open', () => connection.getSnapshot().status === 'open')
    expect(recorder.transitions.map((t) => t.status)).toEqual(['idle', 'connecting', 'open'])
    expect(recorder.log.entries().map((e) => `${e.direction} ${e.name}`)).toEqual(['out HELLO', 'in WELCOME'])

    const lease = connection.acquireSubscription('com.example.ticks', () => {})
    await until('subscribed', () => lease.status.getSnapshot().status === 'active')
    const publisher = await connectLocal(router, { realm: 'realm1' })
    for (let i = 0; i < 3; i++) await publisher.publish('com.example.ticks', [i], {}, { acknowledge: true })
    await until('three events', () => recorder.log.entries().filter((e) => e.name === 'EVENT').length === 3)
    const id = lease.status.getSnapshot().id!
    expect(recorder.rates.perSecond(id, Date.now())).toBe(3)

    recorder.paused = true
    await publisher.publish('com.example.ticks', ['paused'], {}, { acknowledge: true })
    await until('counted while paused', () => recorder.skipped === 1)
    expect(recorder.rates.perSecond(id, Date.now())).toBe(4)
    expect(recorder.log.entries().filter((e) => e.name === 'EVENT')).toHaveLength(3)
    recorder.paused = false

    opened[0]!.terminate()
    await until('open again', () => opened.length === 2 && connection.getSnapshot().status === 'open')
    // Bounded to the last 4 changes, the newest last: lost, a new attempt, open with the new session.
    expect(recorder.transitions).toHaveLength(4)
    expect(recorder.transitions.at(-1)).toMatchObject({ status: 'open', sessionId: opened[1]!.id })
    expect(recorder.transitions.some((t) => t.status === 'reconnecting' && t.error !== undefined)).toBe(true)

    // Invocations in flight, per registration, as the wire shows them.
    let finish: (() => void) | undefined
    const registration = connection.acquireRegistration('com.example.slow', async () => {
      await new Promise<void>((resolve) => {
        finish = resolve
      })
    })
    await until('registered', () => registration.status.getSnapshot().status === 'active')
    const call = publisher.call('com.example.slow')
    await until('running', () => finish !== undefined)
    const registrationId = registration.status.getSnapshot().id!
    expect(recorder.invocations.of(registrationId)).toBe(1)
    finish?.()
    await call
    await until('done', () => recorder.invocations.of(registrationId) === 0)
    registration.release()

    recorder.stop()
    expect(opened[1]!.tap).toBeUndefined()
    const kept = recorder.log.total
    await publisher.publish('com.example.ticks', ['after'], {}, { acknowledge: true })
    await sleep(20)
    expect(recorder.log.total).toBe(kept)
    lease.release()
    await publisher.close()
  })
})
