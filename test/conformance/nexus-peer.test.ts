import { afterEach, describe, expect, inject, it } from 'vitest'
import { type Event, type Invocation, RPCError } from '../../src/client/index.js'
import { NexusPeer } from '../peers/nexus-client/peer.js'
import { until } from '../support/wait.js'
import { describeInt64Edges } from './peer-int64.js'
import { describePeerProgress } from './peer-progress.js'
import { nextValue, sessions, sleep, targets, uniqueUri } from './targets.js'

// Issue 16: the nexus Go client (v3.3) as a peer of our client, through nexus, Crossbar.io and our
// router. It sends a nil args beside kwargs as a null Arguments, and carries int64/uint64 exactly.

/** Resolves when the handler's signal aborts. */
const aborted = (inv: Invocation) =>
  new Promise<void>((resolve) => inv.signal.addEventListener('abort', () => resolve(), { once: true }))

// The Go peer is built with the Go that the nexus router needs: it runs when nexus is among
// WAMP_ROUTERS (the default), so that `WAMP_ROUTERS=local npm test` needs no Go.
const withGo = inject('routers').some((router) => router.name === 'nexus')

describe.skipIf(!withGo).each(targets({ transports: ['ws', 'inproc'] }))(
  'the nexus Go client as a peer: $label',
  (target) => {
    const pool = sessions(target)
    const peers: NexusPeer[] = []
    afterEach(async () => {
      await Promise.all(peers.splice(0).map((peer) => peer.close()))
      await pool.closeAll()
    })

    async function goPeer(): Promise<NexusPeer> {
      const peer = await NexusPeer.join(target.wsUrl, target.serialization)
      peers.push(peer)
      return peer
    }

    describe('kwargs-only payloads (Go sends null Arguments)', () => {
      it('Go publishes kwargs only; our subscriber gets them and its session lives on', async () => {
        const [client, go] = [await pool.join(), await goPeer()]
        const topic = uniqueUri('go.kwargs_event')
        const events = nextValue<Event>(target.router === 'crossbar' ? 500 : 5000)
        await client.subscribe(topic, (event) => events.push(event))
        await go.send({ op: 'publish', topic, args: null, kwargs: { only: 'kwargs' } })
        if (target.router === 'crossbar') {
          // Crossbar.io (Autobahn|Python's parser) refuses a PUBLISH whose Arguments is null: a router quirk.
          await expect(events.next()).rejects.toThrow(/nothing arrived/)
          expect(client.isOpen).toBe(true)
          return
        }
        const event = await events.next()
        expect([event.args, event.kwargs]).toEqual([[], { only: 'kwargs' }])
        expect(client.isOpen).toBe(true)
      })

      it('we publish kwargs only; the Go subscriber gets them', async () => {
        const [client, go] = [await pool.join(), await goPeer()]
        const topic = uniqueUri('go.kwargs_event_back')
        await go.send({ op: 'subscribe', topic })
        await client.publish(topic, undefined, { only: 'kwargs' }, { acknowledge: true })
        const event = await go.waitFor((line) => line.event === topic)
        expect(event.kwargs).toEqual({ only: 'kwargs' })
        expect(event.args ?? []).toEqual([])
      })

      it('Go calls with kwargs only; our callee answers with kwargs only, then with an error carrying kwargs only', async () => {
        const [client, go] = [await pool.join(), await goPeer()]
        const procedure = uniqueUri('go.kwargs_call')
        const seen: Invocation[] = []
        await client.register(procedure, (inv) => {
          seen.push(inv)
          if (inv.kwargs.fail) throw new RPCError('com.example.kwargs_error', [], { why: 'kwargs only' })
          return { kwargs: { echoed: inv.kwargs.k } }
        })
        const ok = await go.send({ op: 'call', procedure, args: null, kwargs: { k: 1 } })
        expect([seen[0]?.args, seen[0]?.kwargs]).toEqual([[], { k: 1 }])
        expect(ok.kwargs).toEqual({ echoed: 1 })
        const failed = await go.send({ op: 'call', procedure, args: null, kwargs: { fail: true } })
        expect([failed.error, failed.kwargs]).toEqual(['com.example.kwargs_error', { why: 'kwargs only' }])
        expect(client.isOpen).toBe(true)
      })

      it('we call a Go callee that answers with kwargs only (null Arguments), then with an error carrying kwargs only', async () => {
        const [client, go] = [await pool.join(), await goPeer()]
        const procedure = uniqueUri('go.kwargs_result')
        await go.send({ op: 'register', procedure, reply: { args: null, kwargs: { only: 'kwargs' } } })
        const result = await client.call(procedure, undefined, { k: 2 })
        expect([result.args, result.kwargs]).toEqual([[], { only: 'kwargs' }])
        const invocation = await go.waitFor((line) => line.invocation === procedure)
        expect(invocation.kwargs).toEqual({ k: 2 })

        const failing = uniqueUri('go.kwargs_error')
        await go.send({
          op: 'register',
          procedure: failing,
          reply: { error: 'com.example.oops', kwargs: { why: 'x' } },
        })
        const error = (await client.call(failing).catch((e: unknown) => e)) as RPCError
        expect(error).toBeInstanceOf(RPCError)
        expect([error.uri, error.args, error.kwargs]).toEqual(['com.example.oops', [], { why: 'x' }])
        expect(client.isOpen).toBe(true)
      })
    })

    describeInt64Edges('Go', 'go', () => pool.join(), goPeer)

    describe('cancellation', () => {
      it.each(['kill', 'killnowait', 'skip'] as const)('we cancel a call to a Go callee in %s mode', async (mode) => {
        const [client, go] = [await pool.join(), await goPeer()]
        const procedure = uniqueUri(`go.cancel_${mode}`)
        await go.send({ op: 'register', procedure, waitForCancelMs: 1500, reply: { args: ['finished'] } })
        const abort = new AbortController()
        const call = client.call(procedure, [], {}, { signal: abort.signal, cancelMode: mode }).catch((e: unknown) => e)
        await go.waitFor((line) => line.invocation === procedure)
        const abortedAt = performance.now()
        abort.abort('user gave up')
        const error = (await call) as Error
        // The nexus client answers an INTERRUPT at once with wamp.error.canceled, in every mode.
        expect(error.name).toBe('AbortError')
        expect(performance.now() - abortedAt).toBeLessThan(1000)
        if (mode === 'skip') {
          await sleep(200)
          expect(go.seen((line) => line.interrupted === procedure)).toEqual([])
        } else {
          await go.waitFor((line) => line.interrupted === procedure)
        }
        expect(client.stats.pendingRequests).toBe(0)
        expect(client.isOpen).toBe(true)
      })

      it.each(['kill', 'killnowait', 'skip'] as const)(
        'a Go caller cancels a call to our callee in %s mode',
        async (mode) => {
          const [client, go] = [await pool.join(), await goPeer()]
          const procedure = uniqueUri(`go.cancelled_${mode}`)
          let signal: AbortSignal | undefined
          await client.register(procedure, async (inv) => {
            signal = inv.signal
            await Promise.race([aborted(inv), sleep(1000)])
            await sleep(300)
            if (inv.signal.aborted) throw inv.signal.reason
            return { args: ['finished'] }
          })
          const answer = await go.ask({ op: 'call', procedure, cancelAfterMs: 200, cancelMode: mode })
          const elapsed = Number(answer.elapsedMs)
          if (mode === 'skip' && target.router === 'crossbar') {
            // Crossbar.io sends the caller no ERROR in skip mode, so the Go client waits out its
            // ResponseTimeout (2 s here); our own caller rejects at once (cancel-modes.test.ts).
            expect(answer.failure).toBe('timeout waiting for reply')
            expect(elapsed).toBeGreaterThanOrEqual(2150)
            expect(signal?.aborted).toBe(false)
            await sleep(400)
            expect(client.stats.activeInvocations).toBe(0)
            return
          }
          // The Go client ends a cancelled call with its context's error once the router's ERROR comes.
          expect(String(answer.failure ?? answer.error)).toMatch(/cancel/)
          if (mode === 'kill') {
            // kill waits for our handler, which answers 300 ms after its signal aborted.
            expect(elapsed).toBeGreaterThanOrEqual(480)
            expect(signal?.aborted).toBe(true)
          } else {
            expect(elapsed).toBeLessThan(480)
            if (mode === 'killnowait') {
              // INTERRUPT goes beside the caller's ERROR; under load a little later.
              await until('our handler’s signal aborts', () => signal?.aborted === true, 2000)
            } else {
              await sleep(50)
              expect(signal?.aborted).toBe(false)
            }
          }
          await sleep(mode === 'skip' ? 1200 : 400)
          expect(client.stats.activeInvocations).toBe(0)
          expect(client.isOpen).toBe(true)
        },
      )
    })

    describePeerProgress('Go', 'go', () => pool.join(), goPeer)
  },
)
