import { connect, createServer, type Socket } from 'node:net'

/**
 * A loopback TCP proxy that can cut the line for a while: `cut(ms)` resets every connection open
 * now (both sides) and resets new ones at once until `ms` have passed, as a link that is down.
 */
export interface CutProxy {
  readonly port: number
  /** `url` with its host and port replaced by the proxy's. */
  url(upstreamUrl: string): string
  /** Resets every connection now and refuses new ones for `ms`. */
  cut(ms: number): void
  /** True while the line is down. */
  readonly down: boolean
  close(): Promise<void>
}

export function startCutProxy(upstreamPort: number): Promise<CutProxy> {
  const sockets = new Set<Socket>()
  let downUntil = 0
  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
    socket.once('close', () => sockets.delete(socket))
  }
  const server = createServer((client) => {
    track(client)
    if (Date.now() < downUntil) {
      client.resetAndDestroy()
      return
    }
    const upstream = connect({ port: upstreamPort, host: '127.0.0.1' })
    track(upstream)
    client.pipe(upstream)
    upstream.pipe(client)
    client.once('close', () => upstream.destroy())
    upstream.once('close', () => client.destroy())
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      resolve({
        port,
        url(upstreamUrl) {
          const url = new URL(upstreamUrl)
          url.hostname = '127.0.0.1'
          url.port = String(port)
          return url.toString()
        },
        cut(ms) {
          downUntil = Date.now() + ms
          for (const socket of sockets) socket.resetAndDestroy()
        },
        get down() {
          return Date.now() < downUntil
        },
        close() {
          for (const socket of sockets) socket.destroy()
          return new Promise<void>((done) => server.close(() => done()))
        },
      })
    })
  })
}
