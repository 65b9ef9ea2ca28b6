import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { extname, join, normalize } from 'node:path'
import { build } from 'vite'

/** Builds test/browser/tabs-page into `outDir` (Vite, as an app builds it: the worker is a file of its own). */
export async function buildTabsPage(outDir: string): Promise<void> {
  await build({ configFile: 'test/browser/tabs-page/vite.config.ts', build: { outDir } })
}

/** Serves `root` on a free port of 127.0.0.1 (a real origin: BroadcastChannel, Web Locks and SharedWorker need one). */
export async function serveDir(root: string): Promise<{ server: Server; url: string }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' }
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname))
    const file = join(root, path)
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) {
      response.writeHead(404).end()
      return
    }
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' })
    createReadStream(file).pipe(response)
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()))
  const address = server.address()
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` }
}
