/** Tabs and a hub in one process: MessageChannel pairs stand for the SharedWorker's ports. */
import { type Client, connectLocal } from '../../src/client/index.js'
import type { Logger } from '../../src/client/logger.js'
import type { ConnectionOptions } from '../../src/connection/connection.js'
import type { SessionSharing } from '../../src/connection/wamp-connection.js'
import { createRouter, type Router } from '../../src/router/index.js'
import { TabHubs } from '../../src/tabs/hubs.js'
import type { HubLink } from '../../src/tabs/link.js'
import { type MessagePortLike, messagePortLink, type TabPort } from '../../src/tabs/port.js'
import { TabConnection } from '../../src/tabs/tab-connection.js'
import type { World } from '../connection/world.js'

export interface Harness {
  router: Router
  /** The world the hubs open their sessions in, when one was given. */
  world?: World
  hubs: TabHubs
  /** Every session the hubs opened, and what each subscribed and registered on the router. */
  sessions: Client[]
  /** Subscriptions our sessions made and have not given back, on the sessions still open. */
  routerSubscriptions: () => number
  /** SUBSCRIBEs sent over all sessions. */
  routerSubscribes: () => number
  /** The procedures our sessions called, in order (history reads among them). */
  routerCalls: string[]
  logged: { level: string; message: string }[]
  tabs: TabConnection[]
  /** A new tab; its `vanish()` drops it without a goodbye (a crashed tab, as the hub learns from its lock). */
  openTab(realm?: string, options?: ConnectionOptions): TabConnection & { vanish(): void }
  /** What `acrossTabs()` gives, with every tab's port to this harness's hubs (for WampProvider). */
  sharing(): SessionSharing
  /** The leader tab closes and another takes over: new hubs (a new session), every open tab asks them again. */
  moveHub(): Promise<void>
  /** Posts a raw value to the hub as if a tab had sent it. */
  rawPort(): TabPort
  close(): Promise<void>
}

/** `world` (test/connection/world.ts): the hubs open their sessions there, on links a test can freeze. */
export function createHarness({ world }: { world?: World } = {}): Harness {
  const router =
    world?.router ??
    createRouter({
      realms: {
        realm1: {},
        realm2: {},
        // Ticket `secret-<authid>` joins.
        authrealm: {
          authenticate: async (hello) => {
            const { signature } = await hello.challenge('ticket')
            if (signature !== `secret-${hello.authid}`) throw new Error('wrong ticket')
            return { authid: hello.authid ?? '', authrole: 'user' }
          },
        },
      },
    })
  const sessions: Client[] = []
  let subscribes = 0
  const routerCalls: string[] = []
  const live = new Map<Client, number>()
  const logged: Harness['logged'] = []
  const logger: Logger = {
    debug: () => {},
    warn: (message) => logged.push({ level: 'warn', message }),
    error: (message) => logged.push({ level: 'error', message }),
  }
  const newHubs = () =>
    new TabHubs({
      logger,
      open: async (_url, config) => {
        const client = world ? await world.open(_url, config) : await connectLocal(router, config)
        sessions.push(client)
        const call = client.call.bind(client)
        client.call = ((...args: Parameters<Client['call']>) => {
          routerCalls.push(args[0])
          return call(...args)
        }) as Client['call']
        const subscribe = client.subscribe.bind(client)
        client.subscribe = (async (...args: Parameters<Client['subscribe']>) => {
          const subscription = await subscribe(...args)
          subscribes += 1
          live.set(client, (live.get(client) ?? 0) + 1)
          const unsubscribe = subscription.unsubscribe.bind(subscription)
          return Object.assign(subscription, {
            unsubscribe: async () => {
              live.set(client, (live.get(client) ?? 0) - 1)
              await unsubscribe()
            },
          })
        }) as Client['subscribe']
        return client
      },
    })
  let hubs = newHubs()
  /** Each open tab's way to a new hub (what a leader change calls). */
  const reconnectors = new Map<TabConnection, (port: TabPort) => void>()
  /** The hub ends of the tabs' ports: closed when the session moves. */
  const movable: MessagePort[] = []
  const tabs: TabConnection[] = []
  const watchers = new Map<string, () => void>()
  const harness: Harness = {
    router,
    ...(world ? { world } : {}),
    get hubs() {
      return hubs
    },
    sessions,
    routerSubscriptions: () => [...live].reduce((n, [client, count]) => n + (client.isOpen ? count : 0), 0),
    routerSubscribes: () => subscribes,
    routerCalls,
    logged,
    tabs,
    sharing: () => ({
      connect: (options: ConnectionOptions) => harness.openTab(options.realm, options),
    }),
    openTab(realm = 'realm1', options?: ConnectionOptions) {
      const { port1, port2 } = new MessageChannel()
      movable.push(port2)
      hubs.serve(messagePortLink(port2 as unknown as MessagePortLike), (tabId, gone) => watchers.set(tabId, gone))
      const link: HubLink = {
        kind: 'port',
        open: (_tabId, onHub) => {
          reconnectors.set(tab, onHub)
          onHub(messagePortLink(port1 as unknown as MessagePortLike))
        },
        close: () => {
          reconnectors.delete(tab)
          port1.close()
        },
      }
      const tab = new TabConnection(
        { realm, liveness: false, reconnect: { initialDelay: 5, maxDelay: 20 }, logger, ...options },
        link,
      ) as TabConnection & { vanish(): void }
      tab.vanish = () => {
        watchers.get(tab.tabId)?.()
        port1.close()
      }
      tabs.push(tab)
      return tab
    },
    async moveHub() {
      const old = hubs
      hubs = newHubs()
      await old.closeAll()
      // The old leader is gone: a hello still on its way to it goes nowhere.
      for (const port of movable.splice(0)) port.close()
      for (const onHub of reconnectors.values()) {
        const { port1, port2 } = new MessageChannel()
        movable.push(port2)
        hubs.serve(messagePortLink(port2 as unknown as MessagePortLike), (tabId, gone) => watchers.set(tabId, gone))
        onHub(messagePortLink(port1 as unknown as MessagePortLike))
      }
    },
    rawPort() {
      const { port1, port2 } = new MessageChannel()
      hubs.serve(messagePortLink(port2 as unknown as MessagePortLike))
      return messagePortLink(port1 as unknown as MessagePortLike)
    },
    async close() {
      await Promise.all(tabs.map((tab) => tab.close()))
      if (world) await world.dispose()
      else await router.close()
    },
  }
  return harness
}
