import { execFileSync } from 'node:child_process'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { extname, join, normalize, resolve } from 'node:path'
import type { TestProject } from 'vitest/node'
import { selectedRouters, startRouter } from '../routers/start.js'

declare module 'vitest' {
  export interface ProvidedContext {
    storybookUrl: string
    routerWsUrl: string
  }
}

const root = resolve('storybook-static')
const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
}

/** Serves the built Storybook on a free port of 127.0.0.1. */
function serve(): Promise<Server> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname))
    let file = join(root, path)
    if (!file.startsWith(root) || !existsSync(file)) {
      response.writeHead(404).end()
      return
    }
    if (statSync(file).isDirectory()) file = join(file, 'index.html')
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' })
    createReadStream(file).pipe(response)
  })
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)))
}

/**
 * Builds Storybook (a few seconds), serves it, and starts a real router for the live test: nexus,
 * or the first that WAMP_ROUTERS selects (`WAMP_ROUTERS=local npm test` needs no Go).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  execFileSync('npx', ['storybook', 'build', '--output-dir', 'storybook-static', '--disable-telemetry', '--quiet'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1' },
  })
  const server = await serve()
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const selected = selectedRouters()
  const router = await startRouter(selected.includes('nexus') ? 'nexus' : (selected[0] ?? 'local'))
  project.provide('storybookUrl', `http://127.0.0.1:${port}`)
  project.provide('routerWsUrl', router.wsUrl)
  return async () => {
    await router.stop()
    await new Promise((ok) => server.close(ok))
  }
}
