import { connect, createServer } from 'node:net'

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port; rejects after timeoutMs. */
export async function waitForPort(
  port: number,
  timeoutMs = 30_000,
  isAlive: () => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`router process exited before listening on 127.0.0.1:${port}`)
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`)
}

/** Where built routers and virtual environments are cached between runs (outside the clone). */
export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || `${process.env.HOME ?? '/tmp'}/.cache`
  return `${base}/react-wamp`
}
