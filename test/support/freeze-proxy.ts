import { connect, createServer, type Server, type Socket } from 'node:net'

/**
 * A loopback TCP proxy that can play a network partition: `freeze()` stops forwarding in both
 * directions without closing anything (bytes and closes are held back, like packets a dead link
 * swallows while TCP keeps retrying), `thaw()` delivers what was held and forwards again.
 * Connections made while frozen are accepted and connected upstream, but carry nothing until thawed.
 */
export interface FreezeProxy {
  /** The proxy's port on 127.0.0.1. */
  readonly port: number
  /** `url` with its host and port replaced by the proxy's (tcp://, ws://, …). */
  url(upstreamUrl: string): string
  readonly frozen: boolean
  /** Connections accepted so far. */
  readonly accepted: number
  freeze(): void
  thaw(): void
  /**
   * A half-open drop of the connections open now: they carry nothing more, ever, and closes stay
   * on their side, while new connections pass. The router keeps those sessions until `reapDropped`.
   */
  dropExisting(): void
  /** The router notices the dropped connections (its own timeout): their upstream sockets close. */
  reapDropped(): void
  /** Drops every connection and stops listening. */
  close(): Promise<void>
}

/** One direction of one connection: from `source` to `sink`. */
class Pipe {
  private held: Buffer[] = []
  private ended = false

  constructor(
    source: Socket,
    private readonly sink: Socket,
    private readonly isFrozen: () => boolean,
  ) {
    source.on('data', (chunk: Buffer) => {
      if (this.isFrozen() || this.held.length > 0) this.held.push(chunk)
      else this.write(chunk)
    })
    source.on('end', () => {
      this.ended = true
      if (!this.isFrozen()) this.flush()
    })
  }

  private write(chunk: Buffer): void {
    if (!this.sink.destroyed && this.sink.writable) this.sink.write(chunk)
  }

  /** Delivers what was held back, then the end of the stream if it came. */
  flush(): void {
    const held = this.held
    this.held = []
    for (const chunk of held) this.write(chunk)
    if (this.ended && !this.sink.destroyed) this.sink.end()
  }
}

/** Starts a proxy on a free port of 127.0.0.1 that forwards to 127.0.0.1:`upstreamPort`. */
export function startFreezeProxy(upstreamPort: number, upstreamHost = '127.0.0.1'): Promise<FreezeProxy> {
  let frozen = false
  let accepted = 0
  const pipes = new Set<Pipe>()
  const sockets = new Set<Socket>()
  // Resets that arrived while frozen: delivered on thaw.
  const heldResets: (() => void)[] = []
  const connections = new Set<{ dropped: boolean; upstream: Socket }>()

  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  }

  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    accepted += 1
    const upstream = connect({ port: upstreamPort, host: upstreamHost, allowHalfOpen: true })
    track(client)
    track(upstream)
    client.setNoDelay(true)
    upstream.setNoDelay(true)
    const connection = { dropped: false, upstream }
    connections.add(connection)
    upstream.once('close', () => connections.delete(connection))
    const isFrozen = () => frozen || connection.dropped
    const forward = new Pipe(client, upstream, isFrozen)
    const backward = new Pipe(upstream, client, isFrozen)
    pipes.add(forward)
    pipes.add(backward)
    // An abrupt close (reset, error) of one side resets the other, but not through a frozen link.
    const onAbort = (from: Socket, to: Socket) => () => {
      if (from.readableEnded) return // a clean end travels through the pipe
      const reset = () => {
        pipes.delete(forward)
        pipes.delete(backward)
        to.destroy()
      }
      if (connection.dropped) return
      if (frozen) heldResets.push(reset)
      else reset()
    }
    client.on('error', () => {})
    upstream.on('error', () => {})
    client.once('close', onAbort(client, upstream))
    upstream.once('close', onAbort(upstream, client))
  })

  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      resolve({
        port,
        url(upstreamUrl: string) {
          const url = new URL(upstreamUrl)
          url.hostname = '127.0.0.1'
          url.port = String(port)
          return url.toString()
        },
        get frozen() {
          return frozen
        },
        get accepted() {
          return accepted
        },
        freeze() {
          frozen = true
        },
        dropExisting() {
          for (const connection of connections) connection.dropped = true
        },
        reapDropped() {
          for (const connection of connections) if (connection.dropped) connection.upstream.destroy()
        },
        thaw() {
          frozen = false
          for (const pipe of pipes) pipe.flush()
          for (const reset of heldResets.splice(0)) reset()
        },
        close() {
          for (const socket of sockets) socket.destroy()
          return new Promise<void>((done) => server.close(() => done()))
        },
      })
    })
  })
}
