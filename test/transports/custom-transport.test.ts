import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { type Client, ConnectionLostError, createClient } from '../../src/client/index.js'
import { type Connection, createConnection } from '../../src/connection/index.js'
import type { Transport, TransportCloseInfo, TransportReceiver } from '../../src/transports/transport.js'
import { quietLogger, WELCOME_DETAILS } from '../support/fake-router.js'

type Envelope = { wamp: readonly unknown[] } | { ping: number } | { pong: number }

/**
 * A transport this library does not ship: WAMP messages as structured clones over a
 * worker_threads MessagePort, with a ping of its own (`{ ping }` answered by `{ pong }`).
 */
class MessagePortTransport implements Transport {
  readonly serialization = 'structured-clone'
  readonly closed: Promise<TransportCloseInfo>
  readonly ping: (() => Promise<void>) | undefined
  private receiver: TransportReceiver | undefined
  private closedLocally = false
  private isClosed = false
  private pings = new Map<number, () => void>()
  private nextPing = 0

  constructor(
    private readonly port: MessagePort,
    withPing: boolean,
  ) {
    this.closed = new Promise((resolve) => {
      port.once('close', () => {
        this.isClosed = true
        resolve({ local: this.closedLocally, reason: this.closedLocally ? 'closed locally' : 'port closed' })
      })
    })
    port.on('message', (envelope: Envelope) => {
      if ('wamp' in envelope) this.receiver?.message(envelope.wamp)
      else if ('pong' in envelope) this.pings.get(envelope.pong)?.()
    })
    this.ping = withPing
      ? () =>
          new Promise<void>((resolve) => {
            const id = ++this.nextPing
            this.pings.set(id, () => {
              this.pings.delete(id)
              resolve()
            })
            port.postMessage({ ping: id } satisfies Envelope)
          })
      : undefined
  }

  send(message: readonly unknown[]): void {
    if (this.isClosed) throw new ConnectionLostError('the port is closed')
    this.port.postMessage({ wamp: message } satisfies Envelope)
  }

  listen(receiver: TransportReceiver): void {
    this.receiver = receiver
  }

  close(): void {
    if (this.closedLocally || this.isClosed) return
    this.closedLocally = true
    this.port.close()
  }
}

/** The router's end of the port: HELLO → WELCOME, CALL → RESULT (or ERROR for unknown procedures), GOODBYE → GOODBYE. */
class ScriptedRouter {
  readonly received: unknown[][] = []
  pingsSeen = 0
  /** While frozen nothing is answered (a dead link). */
  frozen = false

  constructor(readonly port: MessagePort) {
    port.on('message', (envelope: Envelope) => {
      if (this.frozen) return
      if ('ping' in envelope) {
        this.pingsSeen += 1
        port.postMessage({ pong: envelope.ping } satisfies Envelope)
        return
      }
      if (!('wamp' in envelope)) return
      const message = [...envelope.wamp]
      this.received.push(message)
      const reply = (wamp: unknown[]) => port.postMessage({ wamp } satisfies Envelope)
      switch (message[0]) {
        case 1:
          reply([2, 99, WELCOME_DETAILS])
          break
        case 48:
          if (message[3] === 'com.example.echo') reply([50, message[1], {}, message[4] ?? []])
          else reply([8, 48, message[1], {}, 'wamp.error.no_such_procedure'])
          break
        case 6:
          reply([6, {}, 'wamp.close.goodbye_and_out'])
          break
      }
    })
  }

  calls(procedure: string): number {
    return this.received.filter((m) => m[0] === 48 && m[3] === procedure).length
  }
}

function pair(withPing = true): { transport: MessagePortTransport; router: ScriptedRouter } {
  const { port1, port2 } = new MessageChannel()
  return { transport: new MessagePortTransport(port1, withPing), router: new ScriptedRouter(port2) }
}

async function waitUntil(what: string, condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

const PROBE = 'react_wamp.liveness.probe'
const clients: Client[] = []
const connections: Connection[] = []
afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.close()))
  await Promise.all(clients.splice(0).map((c) => (c.isOpen ? c.close().catch(() => {}) : undefined)))
})

describe('createClient(transport, config) with a custom transport', () => {
  it('joins, calls, and leaves with GOODBYE, then closes the transport', async () => {
    const { transport, router } = pair()
    const client = await createClient(transport, { realm: 'realm1', logger: quietLogger() })
    clients.push(client)
    expect(client.id).toBe(99)
    expect(router.received[0]?.[0]).toBe(1)
    expect(router.received[0]?.[1]).toBe('realm1')
    expect((await client.call('com.example.echo', ['a', 1])).args).toEqual(['a', 1])
    await client.close()
    expect(router.received.at(-1)?.[0]).toBe(6)
    expect((await transport.closed).local).toBe(true)
  })

  it('the far end closing the transport ends the session with ConnectionLostError', async () => {
    const { transport, router } = pair()
    const client = await createClient(transport, { realm: 'realm1', logger: quietLogger() })
    router.port.close()
    const info = await client.closed
    expect(info.initiator).toBe('transport')
    expect(info.error).toBeInstanceOf(ConnectionLostError)
    expect(info.error?.message).toContain('port closed')
  })
})

describe('liveness on a custom transport', () => {
  /** A connection whose every session runs on a fresh MessagePort pair. */
  function connectionOver(withPing: boolean, liveness: { interval: number; timeout: number; transportPing?: boolean }) {
    const routers: ScriptedRouter[] = []
    const connection = createConnection({
      realm: 'realm1',
      logger: quietLogger(),
      liveness,
      reconnect: { initialDelay: 10, maxDelay: 20 },
      open: (_url, config) => {
        const { transport, router } = pair(withPing)
        routers.push(router)
        return createClient(transport, config)
      },
    })
    connections.push(connection)
    // Reconnecting over a MessagePort takes well under a millisecond: record every status, do not poll.
    const ended: { at: number; error?: Error }[] = []
    let last = connection.getSnapshot().status
    connection.subscribe(() => {
      const { status, error } = connection.getSnapshot()
      if (last === 'open' && status !== 'open') ended.push({ at: Date.now(), error })
      last = status
    })
    return { connection, routers, ended }
  }

  it('uses the transport’s ping when it has one (no probe calls) and ends a frozen session within interval + timeout', async () => {
    const { connection, routers, ended } = connectionOver(true, { interval: 40, timeout: 60 })
    connection.start()
    await waitUntil('open', () => connection.getSnapshot().status === 'open')
    await waitUntil('three pings answered', () => routers[0]!.pingsSeen >= 3)
    expect(ended).toEqual([])
    expect(routers[0]!.calls(PROBE)).toBe(0)

    routers[0]!.frozen = true
    const frozenAt = Date.now()
    await waitUntil('the session ends', () => ended.length > 0)
    expect(ended[0]!.at - frozenAt).toBeLessThan(40 + 60 + 300)
    const { error } = ended[0]!
    expect(error).toBeInstanceOf(ConnectionLostError)
    expect(error?.message).toBe('the router did not answer the liveness check (transport ping) within 60 ms')

    // The connection reconnects on a fresh transport.
    await waitUntil('open again', () => connection.getSnapshot().status === 'open' && routers.length === 2)
    expect(ended).toHaveLength(1)
  })

  it('falls back to a call round trip when the transport has no ping (a browser WebSocket)', async () => {
    const { connection, routers, ended } = connectionOver(false, { interval: 40, timeout: 60 })
    connection.start()
    await waitUntil('open', () => connection.getSnapshot().status === 'open')
    await waitUntil('three probe calls answered', () => routers[0]!.calls(PROBE) >= 3)
    expect(ended).toEqual([])

    routers[0]!.frozen = true
    await waitUntil('the session ends', () => ended.length > 0)
    expect(ended[0]!.error?.message).toBe('the router did not answer the liveness check (call round trip) within 60 ms')
  })

  it('transportPing: false uses the call round trip even where the transport can ping', async () => {
    const { connection, routers } = connectionOver(true, { interval: 40, timeout: 60, transportPing: false })
    connection.start()
    await waitUntil('open', () => connection.getSnapshot().status === 'open')
    await waitUntil('two probe calls answered', () => routers[0]!.calls(PROBE) >= 2)
    expect(routers[0]!.pingsSeen).toBe(0)
  })
})
