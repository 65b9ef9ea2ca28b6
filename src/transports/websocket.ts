import WebSocket from 'isomorphic-ws'
import { ConnectionLostError } from '../protocol/errors.js'
import type { Serializer } from '../serializers/serializer.js'
import { describeConnectError } from './connect-error.js'
import { deliverFrame } from './deliver.js'
import type { Transport, TransportCloseInfo, TransportReceiver } from './transport.js'

/** The subset of the WebSocket API this transport uses (browser WebSocket and `ws` both fit). */
export interface WebSocketLike {
  readonly protocol: string
  binaryType: string
  readonly readyState: number
  send(data: string | Uint8Array): void
  close(code?: number, reason?: string): void
  onopen: ((event: unknown) => void) | null
  onclose: ((event: { code: number; reason: string }) => void) | null
  onerror: ((event: { message?: string; error?: unknown }) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  /** `ws` (Node) only: sends a ping frame. With `on('pong')` it drives the liveness check. */
  ping?(data?: Uint8Array): void
  /** `ws` (Node) only: event listeners; the transport listens to `message` (instead of `onmessage`) and `pong`. */
  on?(event: 'message' | 'pong', listener: (data: unknown, isBinary: boolean) => void): unknown
  /** `ws` (Node) only: drops the connection without a closing handshake. */
  terminate?(): void
}

/** Builds the socket; the seed's `Dial`. Use it for headers, proxies or a custom agent (Node). */
export type WebSocketFactory = (url: string, protocols: string[]) => WebSocketLike

export interface WebSocketTransportOptions {
  serializer: Serializer
  /** Gives up opening after this many ms. */
  openTimeout: number
  createWebSocket?: WebSocketFactory
  /**
   * Node, `wss://`, default factory only: TLS options for `ws` (`ca`, `cert`, `key`,
   * `rejectUnauthorized`, …). Ignored when `createWebSocket` is given: pass them to your socket.
   */
  tls?: Record<string, unknown>
}

/** How long a local close may wait for the peer's closing handshake before the socket is dropped (Node). */
const CLOSE_GRACE_MS = 1000

const defaultFactory =
  (tls: Record<string, unknown> | undefined): WebSocketFactory =>
  (url, protocols) =>
    // Browsers take no third argument; `ws` reads TLS options (ca, cert, key, …) from it.
    (tls && /^wss:/i.test(url)
      ? new WebSocket(url, protocols, tls as WebSocket.ClientOptions)
      : new WebSocket(url, protocols)) as unknown as WebSocketLike

/** Opens a WebSocket that speaks `wamp.2.json` or `wamp.2.msgpack`; resolves once it is open. */
export function openWebSocket(url: string, options: WebSocketTransportOptions): Promise<Transport> {
  const { serializer } = options
  const socket = (options.createWebSocket ?? defaultFactory(options.tls))(url, [serializer.subprotocol])
  // Node's `ws` hands over its Buffer as is ('nodebuffer'); browsers need 'arraybuffer'.
  socket.binaryType = typeof socket.ping === 'function' ? 'nodebuffer' : 'arraybuffer'
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      fail(new ConnectionLostError(`could not open ${url} within ${options.openTimeout} ms`))
      socket.close()
    }, options.openTimeout)
    const fail = (error: Error) => {
      clearTimeout(timer)
      socket.onopen = socket.onerror = socket.onclose = null
      reject(error)
    }
    socket.onerror = (event) => {
      fail(new ConnectionLostError(`could not connect to ${url}: ${describeError(event)}`, { cause: event.error }))
    }
    socket.onclose = (event) =>
      fail(new ConnectionLostError(`${url} closed during the opening handshake (code ${event.code})`))
    socket.onopen = () => {
      clearTimeout(timer)
      if (socket.protocol !== serializer.subprotocol) {
        socket.onopen = socket.onerror = socket.onclose = null
        socket.close(1002, 'unsupported subprotocol')
        reject(
          new ConnectionLostError(
            `the router at ${url} accepted none of the offered WebSocket subprotocols (${serializer.subprotocol})`,
          ),
        )
        return
      }
      resolve(new WebSocketTransport(socket, serializer))
    }
  })
}

function describeError(event: { message?: string; error?: unknown }): string {
  if (event.error instanceof Error) return describeConnectError(event.error)
  return event.message || 'connection failed'
}

class WebSocketTransport implements Transport {
  readonly closed: Promise<TransportCloseInfo>
  readonly serialization: string
  /** Present where the socket can ping (`ws` in Node); browsers have no ping API. */
  readonly ping: (() => Promise<void>) | undefined
  private receiver: TransportReceiver | undefined
  private closingLocally = false
  private lastError: Error | undefined
  private pongWaiters: { resolve(): void; reject(error: Error): void }[] = []

  constructor(
    private readonly socket: WebSocketLike,
    private readonly serializer: Serializer,
  ) {
    this.serialization = serializer.name
    this.closed = new Promise((resolve) => {
      socket.onclose = (event) => {
        socket.onmessage = socket.onerror = socket.onclose = null
        const by = this.closingLocally ? 'closed locally' : 'closed by the router'
        this.settlePongs(new ConnectionLostError(`the WebSocket closed (code ${event.code})`))
        resolve({ local: this.closingLocally, reason: `${by} (code ${event.code})`, error: this.lastError })
      }
    })
    socket.onerror = (event) => {
      this.lastError = new ConnectionLostError(`WebSocket error: ${describeError(event)}`, { cause: event.error })
    }
    const receive = (data: unknown, text: boolean) =>
      deliverFrame(serializer, this.receiver, text ? (data as object).toString() : asBytes(data))
    if (typeof socket.ping === 'function' && typeof socket.on === 'function') {
      // `ws`: its own event skips the MessageEvent that `onmessage` builds for every frame.
      socket.on('message', (data, isBinary) => receive(data, !isBinary))
      socket.on('pong', () => this.settlePongs())
      this.ping = () => this.sendPing()
    } else {
      socket.onmessage = (event) => receive(event.data, typeof event.data === 'string')
    }
  }

  private sendPing(): Promise<void> {
    if (this.socket.readyState !== 1) return Promise.reject(new ConnectionLostError('the WebSocket is not open'))
    return new Promise((resolve, reject) => {
      this.pongWaiters.push({ resolve, reject })
      try {
        this.socket.ping?.()
      } catch (error) {
        this.settlePongs(new ConnectionLostError(`could not ping: ${(error as Error).message}`, { cause: error }))
      }
    })
  }

  /** Any pong answers every ping still waiting: the peer is alive. */
  private settlePongs(error?: Error): void {
    const waiters = this.pongWaiters
    this.pongWaiters = []
    for (const waiter of waiters) {
      if (error) waiter.reject(error)
      else waiter.resolve()
    }
  }

  send(message: readonly unknown[]): void {
    // Encoding first: an unserializable payload throws before anything reaches the socket.
    const data = this.serializer.encode(message)
    if (this.socket.readyState !== 1) throw new ConnectionLostError('the WebSocket is not open')
    // `ws` (Node): frames sent in one tick leave in one write (one syscall) instead of one each.
    const raw = (this.socket as { _socket?: Corkable })._socket
    if (raw?.cork && !raw.writableCorked) {
      raw.cork()
      process.nextTick(uncork, raw)
    }
    this.socket.send(data)
  }

  listen(receiver: TransportReceiver): void {
    this.receiver = receiver
  }

  close(code = 1000, reason = 'goodbye'): void {
    if (this.closingLocally) return
    this.closingLocally = true
    this.settlePongs(new ConnectionLostError('the WebSocket was closed locally'))
    this.socket.close(code, reason)
    // A dead peer never answers the closing handshake (ws would wait 30 s): drop the socket.
    if (typeof this.socket.terminate === 'function') {
      const timer = setTimeout(() => {
        if (this.socket.readyState !== 3) this.socket.terminate?.()
      }, CLOSE_GRACE_MS)
      ;(timer as { unref?: () => void }).unref?.()
    }
  }
}

/** The Node socket under a `ws` WebSocket. */
interface Corkable {
  cork(): void
  uncork(): void
  readonly writableCorked: number
}

const uncork = (socket: Corkable) => socket.uncork()

/** A plain Uint8Array view of a binary frame, without copying (decoded bytes must not be Buffers). */
function asBytes(data: unknown): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  const view = data as Uint8Array
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
}
