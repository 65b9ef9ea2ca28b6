import { type Client, type ClientConfig, ConnectionLostError, connect, connectLocal } from '../../src/client/index.js'
import { Store } from '../../src/connection/index.js'
import { createRouter } from '../../src/router/index.js'
import { formatMs } from './format.js'

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

/** The instruments of the price demo; the in-process router keeps a history of each (gap-free charts). */
export const INSTRUMENTS = ['acme', 'globex', 'initech'] as const
export const pricesTopic = (symbol: string) => `${ns}.prices.${symbol}`

let router: ReturnType<typeof createRouter> | undefined
function localRouter() {
  router ??= createRouter({
    realms: {
      [realm]: { eventHistory: INSTRUMENTS.map((symbol) => ({ topic: pricesTopic(symbol), limit: 300 })) },
    },
  })
  return router
}

/**
 * Opens a session of a server-side service (the price feed) that this page's demo outage does not
 * touch: a real feed keeps publishing while one browser is offline.
 */
export function openServerSession(_url: string | undefined, config: ClientConfig): Promise<Client> {
  return realRouterUrl ? connect(realRouterUrl, config) : connectLocal(localRouter(), config)
}

/** A simulated outage: while `downUntil` lies ahead, every attempt of this page is refused. */
export const outage = new Store<{ downUntil: number | undefined }>({ downUntil: undefined })
const sessions = new Set<Client>()
let outageTimer: ReturnType<typeof setTimeout> | undefined

/**
 * Opens one session of this page (the demo backend's or a provider's), on the in-process router
 * or the real one; refused while the simulated outage lasts, as a router that is down would.
 */
export async function openSession(_url: string | undefined, config: ClientConfig): Promise<Client> {
  refuseWhileDown()
  const client = realRouterUrl ? await connect(realRouterUrl, config) : await connectLocal(localRouter(), config)
  sessions.add(client)
  void client.closed.then(() => sessions.delete(client))
  return client
}

/** Throws what a socket to a router that is down would: at once, while the outage lasts. */
export function refuseWhileDown(): void {
  const left = (outage.getSnapshot().downUntil ?? 0) - Date.now()
  if (left > 0) throw new Error(`connection refused: the router is down for another ${formatMs(left)} (demo outage)`)
}

/** Drops every session of this page at once and refuses new ones for `ms`: the router went away. */
export function dropConnection(ms: number): void {
  clearTimeout(outageTimer)
  outage.set({ downUntil: Date.now() + ms })
  outageTimer = setTimeout(() => outage.set({ downUntil: undefined }), ms)
  const error = new ConnectionLostError(`the router went away (demo outage of ${formatMs(ms)})`)
  for (const client of [...sessions]) client.terminate(error)
}
