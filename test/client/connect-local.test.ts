/**
 * Issue 17, case 6: connectLocal passed values by structuredClone, so a test on the in-process
 * router saw Date, undefined and -0 where JSON or MsgPack on a real router change or drop them.
 * Now the local transport serializes for real with the client's serialization: a subscriber on
 * connectLocal receives exactly what a subscriber over WebSocket receives.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { type Client, connect, connectLocal, type Event } from '../../src/client/index.js'
import { createRouter, listenWebSocket, type Router } from '../../src/router/index.js'

const quiet = { debug() {}, warn() {}, error() {} }
const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function serve(): Promise<{ router: Router; url: string }> {
  const router = createRouter({ realms: { realm1: {} } })
  const listener = await listenWebSocket(router)
  cleanups.push(
    () => router.close(),
    () => listener.close(),
  )
  return { router, url: listener.url }
}

function nextEvent(client: Client, topic: string): Promise<Event> {
  return new Promise((resolve) => void client.subscribe(topic, resolve))
}

const when = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6))
const args = [when, undefined, -0, { nested: undefined, kept: 1, at: when }, Uint8Array.of(1, 2), [undefined, -0]]
const kwargs = { when, gone: undefined, zero: -0 }

describe.each(['json', 'msgpack', 'cbor'] as const)(
  'connectLocal delivers what %s on the wire delivers (case 6)',
  (serialization) => {
    it('a subscriber on connectLocal gets the same event as one over WebSocket', async () => {
      const { router, url } = await serve()
      const local = await connectLocal(router, { realm: 'realm1', serialization, logger: quiet })
      const wire = await connect(url, { realm: 'realm1', serialization, logger: quiet })
      const publisher = await connectLocal(router, { realm: 'realm1', serialization, logger: quiet })
      cleanups.push(
        () => local.close(),
        () => wire.close(),
        () => publisher.close(),
      )
      const overLocal = nextEvent(local, 'com.example.values')
      const overWire = nextEvent(wire, 'com.example.values')
      await new Promise((resolve) => setTimeout(resolve, 20))
      await publisher.publish('com.example.values', args, kwargs, { acknowledge: true })
      const [a, b] = await Promise.all([overLocal, overWire])
      expect(a.args).toEqual(b.args)
      expect(a.kwargs).toEqual(b.kwargs)
      if (serialization === 'json') {
        const iso = when.toISOString()
        expect(a.args).toEqual([iso, null, 0, { kept: 1, at: iso }, Uint8Array.of(1, 2), [null, 0]])
        expect(a.kwargs).toEqual({ when: iso, zero: 0 })
      } else {
        expect(a.args[0]).toEqual(when)
        expect(Object.is(a.args[2], -0)).toBe(Object.is(b.args[2], -0))
      }
    })

    it('a value the serialization cannot carry is refused locally as over the wire', async () => {
      const { router, url } = await serve()
      const local = await connectLocal(router, { realm: 'realm1', serialization, logger: quiet })
      const wire = await connect(url, { realm: 'realm1', serialization, logger: quiet })
      cleanups.push(
        () => local.close(),
        () => wire.close(),
      )
      // A BigInt beyond 64 bits: neither JSON nor MsgPack peers can read it.
      const value = 2n ** 70n
      const refusedLocally = await local.publish('com.example.values', [value]).catch((e: unknown) => e)
      const refusedOnWire = await wire.publish('com.example.values', [value]).catch((e: unknown) => e)
      expect(refusedLocally).toBeInstanceOf(Error)
      expect((refusedLocally as Error).constructor).toBe((refusedOnWire as Error).constructor)
      expect(local.isOpen && wire.isOpen).toBe(true)
    })
  },
)
