/**
 * Node only: serves a router over WebSocket with the `ws` package (loaded when
 * `listenWebSocket` is first called, so importing this module is harmless in a browser).
 */
import type { AddressInfo } from 'node:net'
import type { RawData, WebSocket } from 'ws'
import { ConnectionLostError } from '../protocol/errors.js'
import { jsonSerializer, loadSerializer } from '../serializers/index.js'
import type { Serializer } from '../serializers/serializer.js'
import { deliverFrame } from '../transports/deliver.js'
import { guardSocketErrors } from '../transports/socket-errors.js'
import type { Transport, TransportCloseInfo, TransportReceiver } from '../transports/transport.js'
import type { Router } from './router.js'

export interface WebSocketListenOptions {
  /** Default `127.0.0.1`. */
  host?: string
  /** Default 0: any free port (read it from the result). */
  port?: number
  /** The largest message accepted, in bytes. Default 16 MiB. */
  maxPayload?: number
}

export interface WebSocketListener {
  port: number
  /** e.g. `ws://127.0.0.1:8080/ws` (any path is accepted). */
  url: string
  /**
   * Stops listening and drops every connection at once, without GOODBYE (call
   * `router.close()` first for a graceful shutdown). Resolves when the port is free.
   */
  close(): Promise<void>
}

/**
 * Serves the router over WebSocket (Node only), speaking `wamp.2.json`, `wamp.2.msgpack` and
 * `wamp.2.cbor`. A connection that offers none of them is closed.
 *
 * @example
 * const listener = await listenWebSocket(router, { port: 8080 })
 * const client = await connect(listener.url, { realm: 'realm1' })
 */
export async function listenWebSocket(
  router: Pick<Router, 'attach'>,
  options: WebSocketListenOptions = {},
): Promise<WebSocketListener> {
  const { WebSocketServer } = await import('ws')
  const host = options.host ?? '127.0.0.1'
  const serializers = new Map<string, Serializer>()
  for (const serializer of [jsonSerializer, await loadSerializer('msgpack'), await loadSerializer('cbor')])
    serializers.set(serializer.subprotocol, serializer)
  const server = new WebSocketServer({
    host,
    port: options.port ?? 0,
    maxPayload: options.maxPayload ?? 16 * 1024 * 1024,
    // The client's order of preference decides.
    handleProtocols: (offered) => [...offered].find((protocol) => serializers.has(protocol)) ?? false,
  })
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  server.on('error', () => {}) // after listening, errors belong to single connections
  server.on('connection', (socket) => {
    // Before anything else: a socket closed for its subprotocol may still read a malformed frame.
    guardSocketErrors(socket)
    const serializer = serializers.get(socket.protocol)
    if (!serializer) {
      socket.close(1002, 'no supported WAMP subprotocol (wamp.2.json, wamp.2.msgpack, wamp.2.cbor)')
      return
    }
    router.attach(new ServerSocketTransport(socket, serializer))
  })
  const { port } = server.address() as AddressInfo
  return {
    port,
    url: `ws://${host.includes(':') ? `[${host}]` : host}:${port}/ws`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of server.clients) socket.terminate()
        server.close(() => resolve())
      }),
  }
}

/** The router's side of one WebSocket connection. */
class ServerSocketTransport implements Transport {
  readonly kind = 'websocket'
  readonly serialization: string
  readonly closed: Promise<TransportCloseInfo>
  private receiver: TransportReceiver | undefined
  private closingLocally = false
  private lastError: Error | undefined

  constructor(
    private readonly socket: WebSocket,
    private readonly serializer: Serializer,
  ) {
    this.serialization = serializer.name
    this.closed = new Promise((resolve) => {
      socket.once('close', (code) => {
        const by = this.closingLocally ? 'closed locally' : 'closed by the peer'
        resolve({ local: this.closingLocally, reason: `${by} (code ${code})`, error: this.lastError })
      })
    })
    socket.on('error', (error) => {
      this.lastError = error
    })
    socket.on('message', (data) => this.receive(data))
  }

  private receive(data: RawData): void {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data
    deliverFrame(this.serializer, this.receiver, bytes)
  }

  send(message: readonly unknown[]): void {
    const data = this.serializer.encode(message)
    if (this.socket.readyState !== this.socket.OPEN) throw new ConnectionLostError('the WebSocket is not open')
    this.socket.send(data)
  }

  listen(receiver: TransportReceiver): void {
    this.receiver = receiver
  }

  close(code = 1000, reason = 'goodbye'): void {
    if (this.closingLocally) return
    this.closingLocally = true
    this.socket.close(code, reason)
  }
}
