import WebSocket from 'isomorphic-ws'
import { ConnectionLostError } from '../protocol/errors.js'
import { startTimer } from '../protocol/timer.js'
import type { Serializer } from '../serializers/serializer.js'
import { deliverFrame } from './deliver.js'
import { guardSocketErrors } from './socket-errors.js'
import type { Transport, TransportCloseInfo, TransportReceiver } from './transport.js'
import type { NodeSocketExtras } from './websocket-node.js'

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
  /**
   * `ws` (Node) only: event listeners; the transport listens to `message` (instead of `onmessage`)
   * and `pong`, and keeps an `error` listener for the socket's whole life (see socket-errors.ts).
   */
  on?(event: 'message' | 'pong' | 'error', listener: (data: unknown, isBinary: boolean) => void): unknown
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

type NodeModule = typeof import('./websocket-node.js')

const defaultFactory =
  (tls: Record<string, unknown> | undefined): WebSocketFactory =>
  (url, protocols) =>
    // Browsers take no third argument; `ws` reads TLS options (ca, cert, key, …) from it.
    (tls && /^wss:/i.test(url)
      ? new WebSocket(url, protocols, tls as WebSocket.ClientOptions)
      : new WebSocket(url, protocols)) as unknown as WebSocketLike

/** Opens a WebSocket that speaks `wamp.2.json`, `wamp.2.msgpack` or `wamp.2.cbor`; resolves once it is open. */
export function openWebSocket(url: string, options: WebSocketTransportOptions): Promise<Transport> {
  const { serializer } = options
  const socket = (options.createWebSocket ?? defaultFactory(options.tls))(url, [serializer.subprotocol])
  // Closing a socket whose handshake has not completed (the open timeout) makes `ws` emit 'error'.
  guardSocketErrors(socket)
  // A `ws` socket (Node): its extras load beside the opening handshake.
  const node =
    typeof socket.ping === 'function' && typeof socket.on === 'function' ? import('./websocket-node.js') : undefined
  // Node's `ws` hands over its Buffer as is ('nodebuffer'); browsers need 'arraybuffer'.
  socket.binaryType = node ? 'nodebuffer' : 'arraybuffer'
  return new Promise((resolve, reject) => {
    let settled = false
    const timer = startTimer(() => {
      fail(new ConnectionLostError(`could not open ${url} within ${options.openTimeout} ms`))
      socket.close()
    }, options.openTimeout)
    const fail = (error: Error | Promise<Error>) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.onopen = socket.onerror = socket.onclose = null
      Promise.resolve(error).then(reject)
    }
    socket.onerror = (event) => {
      const error = (module?: NodeModule) =>
        new ConnectionLostError(`could not connect to ${url}: ${describeError(event, module)}`, { cause: event.error })
      fail(node ? node.then(error, () => error()) : error())
    }
    socket.onclose = (event) =>
      fail(new ConnectionLostError(`${url} closed during the opening handshake (code ${event.code})`))
    socket.onopen = () => {
      if (socket.protocol !== serializer.subprotocol) {
        socket.close(1002, 'unsupported subprotocol')
        fail(
          new ConnectionLostError(
            `the router at ${url} accepted none of the offered WebSocket subprotocols (${serializer.subprotocol})`,
          ),
        )
        return
      }
      if (!node) {
        settled = true
        clearTimeout(timer)
        resolve(new WebSocketTransport(socket, serializer))
        return
      }
      // Usually loaded long before the socket opens; the handlers stay until the transport takes over.
      node.then(
        (module) => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          resolve(new WebSocketTransport(socket, serializer, module))
        },
        (error: Error) => fail(error),
      )
    }
  })
}

/** An error event in words; with Node's module, socket and TLS errors say more (a refused certificate, …). */
function describeError(event: { message?: string; error?: unknown }, node: NodeModule | undefined): string {
  if (event.error instanceof Error) return node ? node.describeConnectError(event.error) : event.error.message
  return event.message || 'connection failed'
}

class WebSocketTransport implements Transport {
  readonly kind = 'websocket'
  readonly closed: Promise<TransportCloseInfo>
  readonly serialization: string
  /** Present where the socket can ping (`ws` in Node); browsers have no ping API. */
  readonly ping: (() => Promise<void>) | undefined
  private receiver: TransportReceiver | undefined
  private closingLocally = false
  private lastError: Error | undefined
  private readonly node: NodeSocketExtras | undefined

  constructor(
    private readonly socket: WebSocketLike,
    private readonly serializer: Serializer,
    nodeModule?: NodeModule,
  ) {
    this.serialization = serializer.name
    this.closed = new Promise((resolve) => {
      socket.onclose = (event) => {
        socket.onmessage = socket.onerror = socket.onclose = null
        const by = this.closingLocally ? 'closed locally' : 'closed by the router'
        this.node?.settlePongs(new ConnectionLostError(`the WebSocket closed (code ${event.code})`))
        resolve({ local: this.closingLocally, reason: `${by} (code ${event.code})`, error: this.lastError })
      }
    })
    socket.onerror = (event) => {
      this.lastError = new ConnectionLostError(`WebSocket error: ${describeError(event, nodeModule)}`, {
        cause: event.error,
      })
    }
    const receive = (data: unknown, text: boolean) =>
      deliverFrame(serializer, this.receiver, text ? (data as object).toString() : asBytes(data))
    if (nodeModule) {
      const node = new nodeModule.NodeSocketExtras(socket, receive)
      this.node = node
      this.ping = () => node.ping()
    } else {
      socket.onmessage = (event) => receive(event.data, typeof event.data === 'string')
    }
  }

  send(message: readonly unknown[]): void {
    // Encoding first: an unserializable payload throws before anything reaches the socket.
    const data = this.serializer.encode(message)
    if (this.socket.readyState !== 1) throw new ConnectionLostError('the WebSocket is not open')
    this.node?.batch()
    this.socket.send(data)
  }

  listen(receiver: TransportReceiver): void {
    this.receiver = receiver
  }

  close(code = 1000, reason = 'goodbye'): void {
    if (this.closingLocally) return
    this.closingLocally = true
    this.node?.settlePongs(new ConnectionLostError('the WebSocket was closed locally'))
    this.socket.close(code, reason)
    this.node?.closing()
  }
}

/** A plain Uint8Array view of a binary frame, without copying (decoded bytes must not be Buffers). */
function asBytes(data: unknown): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  const view = data as Uint8Array
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
}
