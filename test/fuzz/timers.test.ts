/**
 * Issue 17, case 4: huge durations everywhere one is accepted. Timers hold 32-bit signed
 * milliseconds: 2^31 ms or more fires after 1 ms unless capped (src/protocol/timer.ts). Each
 * property draws values in [2^31, 2^53], 2^32, 1e300 and Infinity, and checks that nothing
 * fires within a few ms (an overflowing timer fires after 1 ms). Liveness is covered by
 * test/reliability/timer-overflow.test.ts once src/connection/liveness.ts uses the helper.
 */
import { createServer, type Socket } from 'node:net'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_DELAY, timerDelay } from '../../src/client/timer.js'
import { ConnectionLostError, connect, connectLocal, createConnection } from '../../src/core.js'
import { createRouter } from '../../src/router/index.js'
import { failOnUnhandled, fuzzCounter, fuzzParams, scaled } from '../reliability/support.js'
import { joinedClient } from '../support/fake-router.js'
import { settledWithin } from '../support/wait.js'

const count = fuzzCounter('timers')
failOnUnhandled()

const huge = fc.oneof(
  fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom(2 ** 31, 2 ** 32, 1e300, Number.POSITIVE_INFINITY),
)

/** Durations that travel in a message: finite (JSON and MsgPack cannot carry Infinity). */
const hugeFinite = fc.oneof(fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(2 ** 32, 1e300))

describe('huge durations are capped, never fired at once (issue 17)', () => {
  it('timerDelay: any number maps into [0, 2^31 − 1], and is unchanged inside it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), huge, fc.integer({ min: 0, max: MAX_DELAY })), (ms) => {
        count('timerDelay values')
        const delay = timerDelay(ms)
        expect(delay >= 0 && delay <= MAX_DELAY).toBe(true)
        if (ms > 0 && ms <= MAX_DELAY) expect(delay).toBe(ms)
        if (ms >= MAX_DELAY) expect(delay).toBe(MAX_DELAY)
      }),
      fuzzParams(2000, 50_000, 61),
    )
  })

  it(
    'responseTimeout (a request, and close() waiting for the GOODBYE echo)',
    async () => {
      await fc.assert(
        fc.asyncProperty(huge, async (ms) => {
          count('responseTimeout values')
          const { client } = await joinedClient({ responseTimeout: ms })
          const subscribing = client.subscribe('com.example.topic', () => {})
          subscribing.catch(() => {})
          expect(await settledWithin(subscribing, 5)).toBe(false)
          const closing = client.close()
          expect(await settledWithin(closing, 5)).toBe(false)
          client.terminate()
          await closing
        }),
        fuzzParams(25, 250, 62),
      )
    },
    scaled(10_000, 60_000),
  )

  it(
    'a call’s options.timeout, and an INVOCATION’s Details.timeout',
    async () => {
      const { client, router } = await joinedClient()
      let release: (() => void) | undefined
      let aborted = 0
      const registering = client.register('com.example.slow', ({ signal }) => {
        signal.addEventListener('abort', () => void aborted++)
        return new Promise<{ args: string[] }>((resolve) => {
          release = () => resolve({ args: ['done'] })
        })
      })
      await router.nextSent(64)
      router.deliver(65, (router.sentOfType(64)[0] as number[])[1], 7)
      await registering
      let request = 100
      await fc.assert(
        fc.asyncProperty(hugeFinite, async (ms) => {
          count('call and invocation timeout values')
          const call = client.call('com.example.long', [], {}, { timeout: ms })
          call.catch(() => {})
          expect(await settledWithin(call, 5)).toBe(false)
          request += 1
          router.deliver(68, request, 7, { timeout: ms })
          await new Promise((resolve) => setTimeout(resolve, 5))
          expect(aborted).toBe(0)
          expect(router.sentOfType(8)).toEqual([])
          release?.()
          await new Promise((resolve) => setTimeout(resolve, 1))
          expect(router.sent.at(-1)).toEqual([70, request, {}, ['done']])
        }),
        fuzzParams(25, 250, 63),
      )
      client.terminate()
    },
    scaled(10_000, 60_000),
  )

  it(
    'the router’s dealer-side call timeout',
    async () => {
      const router = createRouter({ realms: { realm1: {} } })
      const callee = await connectLocal(router, { realm: 'realm1' })
      const caller = await connectLocal(router, { realm: 'realm1' })
      const releases: (() => void)[] = []
      await callee.register(
        'com.example.slow',
        () => new Promise<undefined>((resolve) => void releases.push(() => resolve(undefined))),
      )
      await fc.assert(
        fc.asyncProperty(hugeFinite, async (ms) => {
          count('dealer timeout values')
          const call = caller.call('com.example.slow', [], {}, { timeout: ms })
          call.catch(() => {})
          expect(await settledWithin(call, 5)).toBe(false)
          for (const release of releases.splice(0)) release()
          await expect(call).resolves.toMatchObject({ args: [] })
        }),
        fuzzParams(25, 250, 64),
      )
      await router.close()
    },
    scaled(10_000, 60_000),
  )

  it(
    'connect()’s open timeout (responseTimeout) over ws:// and tcp:// to a router that never answers',
    async () => {
      const sockets: Socket[] = []
      const server = createServer((socket) => {
        sockets.push(socket)
        socket.on('error', () => {})
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const { port } = server.address() as { port: number }
      await fc.assert(
        fc.asyncProperty(huge, fc.constantFrom('ws', 'tcp'), async (ms, scheme) => {
          count('open timeout values')
          const url = scheme === 'ws' ? `ws://127.0.0.1:${port}/ws` : `tcp://127.0.0.1:${port}`
          const opening = connect(url, { realm: 'realm1', responseTimeout: ms })
          opening.catch(() => {})
          // Measured from the moment the router has the connection (loading the transport comes first).
          while (sockets.length === 0) await new Promise((resolve) => setTimeout(resolve, 1))
          expect(await settledWithin(opening, 10)).toBe(false)
          for (const socket of sockets.splice(0)) socket.destroy()
          await expect(opening).rejects.toBeInstanceOf(ConnectionLostError)
        }),
        fuzzParams(6, 40, 65),
      )
      server.close()
    },
    scaled(10_000, 60_000),
  )

  it(
    'the connection’s reconnect delays (initialDelay, maxDelay)',
    async () => {
      await fc.assert(
        fc.asyncProperty(huge, huge, async (initialDelay, maxDelay) => {
          count('reconnect delay values')
          let attempts = 0
          const connection = createConnection({
            realm: 'realm1',
            liveness: false,
            reconnect: { initialDelay, maxDelay },
            open: async () => {
              attempts += 1
              throw new ConnectionLostError('the router is away')
            },
          })
          connection.start()
          await new Promise((resolve) => setTimeout(resolve, 10))
          expect(attempts).toBe(1)
          await connection.close()
        }),
        fuzzParams(10, 100, 66),
      )
    },
    scaled(10_000, 60_000),
  )
})
