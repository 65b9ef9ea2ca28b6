import type { TestProject } from 'vitest/node'
import { selectedRouters, startRouter } from '../routers/start.js'
import type { RouterName, RunningRouter } from '../routers/types.js'

/** What the test workers learn about each running router. */
export interface RouterEndpoints {
  name: RouterName
  wsUrl: string
  tcpUrl?: string
  unixUrl?: string
}

declare module 'vitest' {
  export interface ProvidedContext {
    routers: RouterEndpoints[]
  }
}

/** Starts every selected router once for the whole run; a router that cannot start fails the run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const running: RunningRouter[] = []
  try {
    for (const name of selectedRouters()) running.push(await startRouter(name))
  } catch (error) {
    await Promise.all(running.map((router) => router.stop()))
    throw error
  }
  project.provide(
    'routers',
    running.map(({ name, wsUrl, tcpUrl, unixUrl }) => ({ name, wsUrl, tcpUrl, unixUrl })),
  )
  return async () => {
    await Promise.all(running.map((router) => router.stop()))
  }
}
