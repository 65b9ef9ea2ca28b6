import { isIP, connect as netConnect, type Socket } from 'node:net'
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls'
import { ConnectionLostError, SerializationError } from '../protocol/errors.js'
import { startTimer } from '../protocol/timer.js'
import type { Serializer } from '../serializers/serializer.js'
import { ByteQueue } from './byte-queue.js'
import { describeConnectError } from './connect-error.js'
import { guardSocketErrors } from './socket-errors.js'
import type { Transport, TransportCloseInfo, TransportReceiver } from './transport.js'

const MAGIC = 0x7f
const FRAME_MESSAGE = 0
const FRAME_PING = 1
const FRAME_PONG = 2
const DEFAULT_LIMIT = 2 ** 24

/** The router refused the RawSocket handshake (or did not speak RawSocket); `code` is `connection_lost`. */
export class RawSocketHandshakeError extends ConnectionLostError {
  override name = 'RawSocketHandshakeError'
  constructor(
    message: string,
    /** The router's error code (1 serializer unsupported, 2 length unacceptable, 3 reserved bits, 4 connection limit). */
    readonly handshakeCode?: number,
  ) {
    super(message)
  }
}

const handshakeErrors: Record<number, string> = {
  1: 'the router does not support this serializer',
  2: 'the router does not accept the maximum message length',
  3: 'the router saw reserved bits set',
  4: 'the router has reached its connection limit',
}

export interface RawSocketOptions {
  serializer: Serializer
  openTimeout: number
  /** tls.connect options for tcps:// (e.g. `ca`). */
  tls?: ConnectionOptions
  /** The longest message this side accepts; rounded up to a power of two in [2^9, 2^24]. */
  recvLimit?: number
}

/** Rounds a receive limit up to the power of two RawSocket can announce. */
export function roundRecvLimit(limit: number | undefined): number {
  if (!limit || limit <= 0) return DEFAULT_LIMIT
  const exponent = Math.min(24, Math.max(9, Math.ceil(Math.log2(limit))))
  return 2 ** exponent
}

/** Opens a RawSocket (tcp://host:port, tcps://host:port, unix:///path) and completes its handshake. */
export function openRawSocket(url: string, options: RawSocketOptions): Promise<Transport> {
  const parsed = new URL(url)
  const recvLimit = roundRecvLimit(options.recvLimit)
  // URL keeps the brackets of an IPv6 literal ("[::1]"); sockets want the bare address.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1')
  const port = Number(parsed.port)
  const socket: Socket =
    parsed.protocol === 'unix:'
      ? netConnect({ path: decodeURIComponent(parsed.pathname) })
      : parsed.protocol === 'tcps:'
        ? tlsConnect({
            host,
            port,
            // SNI takes host names only (RFC 6066); the certificate is still checked against an IP.
            ...(isIP(host) === 0 ? { servername: host } : {}),
            ...options.tls,
          })
        : netConnect({ host, port })
  guardSocketErrors(socket)
  socket.setNoDelay?.(true)
  const serializerCode = options.serializer.rawSocketCode
  return new Promise((resolve, reject) => {
    let reply = Buffer.alloc(0)
    const fail = (error: Error) => {
      clearTimeout(timer)
      detach()
      socket.destroy()
      reject(error)
    }
    const timer = startTimer(
      () => fail(new ConnectionLostError(`no RawSocket handshake from ${url} within ${options.openTimeout} ms`)),
      options.openTimeout,
    )
    const onError = (error: Error) =>
      fail(new ConnectionLostError(`could not connect to ${url}: ${describeConnectError(error)}`, { cause: error }))
    const onClose = () => fail(new ConnectionLostError(`${url} closed during the RawSocket handshake`))
    const connectEvent = parsed.protocol === 'tcps:' ? 'secureConnect' : 'connect'
    const onConnect = () => {
      const exponent = Math.log2(recvLimit) - 9
      socket.write(Uint8Array.of(MAGIC, (exponent << 4) | serializerCode, 0, 0))
    }
    // The handshake's own listeners only: the socket-error guard stays (socket-errors.ts).
    const detach = () => {
      socket.off('error', onError)
      socket.off('close', onClose)
      socket.off(connectEvent, onConnect)
      socket.off('data', onData)
    }
    socket.on('error', onError)
    socket.on('close', onClose)
    socket.once(connectEvent, onConnect)
    const onData = (chunk: Buffer) => {
      reply = Buffer.concat([reply, chunk])
      if (reply.length < 4) return
      socket.off('data', onData)
      if (reply[0] !== MAGIC)
        return fail(new RawSocketHandshakeError(`${url} is not a WAMP RawSocket (bad magic byte)`))
      const high = reply[1]! >> 4
      const low = reply[1]! & 0x0f
      if (low === 0) {
        return fail(
          new RawSocketHandshakeError(
            `${url} refused the RawSocket handshake: ${handshakeErrors[high] ?? `error ${high}`}`,
            high,
          ),
        )
      }
      if (low !== serializerCode) {
        return fail(new RawSocketHandshakeError(`${url} answered with serializer ${low}, not ${serializerCode}`))
      }
      clearTimeout(timer)
      detach()
      const transport = new RawSocketTransport(socket, options.serializer, recvLimit, 2 ** (high + 9))
      resolve(transport)
      if (reply.length > 4) transport.feed(reply.subarray(4))
    }
    socket.on('data', onData)
  })
}

/**
 * True for a WELCOME from Crossbar.io. Its RawSocket (Autobahn's Twisted Int32StringReceiver)
 * reads every frame header as a 32-bit length, so a PING frame looks like a message of over
 * 16 MiB: Crossbar.io drops the connection (or stalls waiting for the bytes). WELCOME.Details
 * of Crossbar.io carry its `x_cb_*` keys.
 */
function welcomeFromRouterWithoutPing(message: unknown): boolean {
  if (!Array.isArray(message) || message[0] !== 2) return false
  const details = message[2] as Record<string, unknown> | null | undefined
  return typeof details === 'object' && details !== null && 'x_cb_node' in details
}

class RawSocketTransport implements Transport {
  readonly kind = 'rawsocket'
  readonly closed: Promise<TransportCloseInfo>
  readonly serialization: string
  /**
   * Sends a PING frame and resolves on the PONG. Removed (undefined) once the WELCOME shows a
   * router known to break on PING frames (Crossbar.io): the liveness check then uses a call.
   */
  ping: (() => Promise<void>) | undefined = () => this.sendPing()
  private receiver: TransportReceiver | undefined
  /** @internal What has arrived of the next frame(s). */
  readonly input = new ByteQueue()
  /** The header of the frame being received, once read. */
  private frame: { type: number; length: number } | undefined
  private closingLocally = false
  private lastError: Error | undefined
  private welcomed = false
  private pingCounter = 0
  private pongWaiters = new Map<number, { resolve(): void; reject(error: Error): void }>()

  constructor(
    private readonly socket: Socket,
    private readonly serializer: Serializer,
    private readonly recvLimit: number,
    private readonly sendLimit: number,
  ) {
    this.serialization = serializer.name
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        const by = this.closingLocally ? 'closed locally' : 'closed by the router'
        this.settlePongs(new ConnectionLostError(`the RawSocket ${by}`))
        resolve({ local: this.closingLocally, reason: by, error: this.lastError })
      })
    })
    socket.on('error', (error) => {
      this.lastError = new ConnectionLostError(`RawSocket error: ${error.message}`, { cause: error })
    })
    socket.on('data', (chunk: Buffer) => this.feed(chunk))
  }

  /** Splits the byte stream into frames; each byte is copied at most once (see ByteQueue). */
  feed(chunk: Buffer): void {
    this.input.push(chunk)
    while (true) {
      if (!this.frame) {
        if (this.input.length < 4) return
        const head = this.input.take(4)
        const length = head.readUIntBE(1, 3)
        if (length > this.recvLimit) {
          // Refused on its header alone: the payload is never awaited.
          this.lastError = new SerializationError(
            `a RawSocket message of ${length} bytes exceeds the receive limit of ${this.recvLimit}`,
          )
          this.receiver?.error(this.lastError)
          this.socket.destroy()
          return
        }
        this.frame = { type: head[0]! & 0x07, length }
      }
      if (this.input.length < this.frame.length) return
      const { type, length } = this.frame
      this.frame = undefined
      this.onFrame(type, this.input.take(length))
    }
  }

  private onFrame(type: number, payload: Buffer): void {
    if (type === FRAME_PING) {
      if (!this.socket.destroyed && !this.closingLocally) this.writeFrame(FRAME_PONG, payload)
      return
    }
    if (type === FRAME_PONG) {
      this.onPong(payload)
      return
    }
    if (type !== FRAME_MESSAGE) return
    const receiver = this.receiver
    if (!receiver) return
    let message: unknown
    try {
      // A plain Uint8Array view: decoded bytes must not surface as Node Buffers.
      const data = this.serializer.binary
        ? new Uint8Array(payload.buffer, payload.byteOffset, payload.length)
        : payload.toString('utf8')
      message = this.serializer.decode(data)
    } catch (error) {
      receiver.error(new SerializationError(`undecodable ${this.serializer.name} frame: ${(error as Error).message}`))
      return
    }
    if (!this.welcomed) {
      this.welcomed = true
      if (welcomeFromRouterWithoutPing(message)) this.ping = undefined
    }
    receiver.message(message)
  }

  private sendPing(): Promise<void> {
    if (this.socket.destroyed || this.closingLocally) {
      return Promise.reject(new ConnectionLostError('the RawSocket is closed'))
    }
    this.pingCounter = (this.pingCounter + 1) >>> 0
    const id = this.pingCounter
    const payload = Buffer.allocUnsafe(4)
    payload.writeUInt32BE(id)
    return new Promise((resolve, reject) => {
      this.pongWaiters.set(id, { resolve, reject })
      this.writeFrame(FRAME_PING, payload)
    })
  }

  /** A PONG echoes its PING's payload; any PONG also proves that older pings got through. */
  private onPong(payload: Buffer): void {
    if (payload.length !== 4) return
    const id = payload.readUInt32BE(0)
    if (!this.pongWaiters.has(id)) return
    // Insertion order: every ping sent up to this one is answered.
    for (const [pending, waiter] of this.pongWaiters) {
      this.pongWaiters.delete(pending)
      waiter.resolve()
      if (pending === id) break
    }
  }

  private settlePongs(error: Error): void {
    const waiters = [...this.pongWaiters.values()]
    this.pongWaiters.clear()
    for (const waiter of waiters) waiter.reject(error)
  }

  send(message: readonly unknown[]): void {
    const data = this.serializer.encode(message)
    const payload = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    if (payload.length > this.sendLimit) {
      throw new SerializationError(
        `the message is ${payload.length} bytes, over the router's limit of ${this.sendLimit}`,
      )
    }
    if (this.socket.destroyed || this.closingLocally) throw new ConnectionLostError('the RawSocket is closed')
    this.writeFrame(FRAME_MESSAGE, payload)
  }

  private writeFrame(type: number, payload: Uint8Array): void {
    const header = Buffer.allocUnsafe(4)
    header[0] = type
    header.writeUIntBE(payload.length, 1, 3)
    this.socket.cork()
    this.socket.write(header)
    this.socket.write(payload)
    this.socket.uncork()
  }

  listen(receiver: TransportReceiver): void {
    this.receiver = receiver
  }

  close(): void {
    if (this.closingLocally) return
    this.closingLocally = true
    this.settlePongs(new ConnectionLostError('the RawSocket was closed locally'))
    this.socket.end()
    // A peer that never closes its side must not keep us waiting.
    setTimeout(() => this.socket.destroy(), 1000).unref()
  }
}
