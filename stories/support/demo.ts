import { type Client, connect, connectLocal } from '../../src/client/index.js'
import type { ConnectionOptions } from '../../src/connection/index.js'
import { createRouter } from '../../src/router/index.js'

/**
 * Where the demos run: on the library's in-process router (no server), or on a real router
 * when STORYBOOK_WAMP_URL is set (and STORYBOOK_WAMP_REALM, default realm1). The page's
 * `?wampUrl=…&wampRealm=…` query overrides both, so a built Storybook can be pointed anywhere.
 */
const env = (import.meta as { env?: Record<string, string | undefined> }).env ?? {}
const query = typeof location === 'undefined' ? undefined : new URLSearchParams(location.search)
export const realRouterUrl = query?.get('wampUrl') || env.STORYBOOK_WAMP_URL || undefined
export const realm = query?.get('wampRealm') || env.STORYBOOK_WAMP_REALM || 'realm1'

/** On a shared real router, each page gets its own URIs so two open tabs never collide. */
export const ns = realRouterUrl ? `demo.p${Math.floor(Math.random() * 1e9)}` : 'demo'

let router: ReturnType<typeof createRouter> | undefined
function localRouter() {
  router ??= createRouter({ realms: { [realm]: {} } })
  return router
}

/** Props for WampProvider: the demo router, or the real one. */
export function providerOptions(): ConnectionOptions {
  if (realRouterUrl) return { url: realRouterUrl, realm, reconnect: { initialDelay: 250, maxDelay: 5000 } }
  return {
    realm,
    open: (_url, config) => connectLocal(localRouter(), config),
    reconnect: { initialDelay: 250, maxDelay: 5000 },
  }
}

let backend: Promise<Client> | undefined
const started = new Set<string>()

/** The demos' server side (callees, publishers): one session per page, set up once per name. */
export async function startBackend(name: string, setup: (session: Client) => Promise<void> | void): Promise<void> {
  backend ??= realRouterUrl ? connect(realRouterUrl, { realm }) : connectLocal(localRouter(), { realm })
  const session = await backend
  if (started.has(name)) return
  started.add(name)
  await setup(session)
}
