import { RequestIds, randomId } from '../protocol/ids.js'
import { isValidUri } from '../protocol/uri.js'
import type { Transport } from '../transports/transport.js'
import type { RouterLogger, RouterOptions } from './config.js'
import { eventHistoryProblem } from './event-log.js'
import { Realm } from './realm.js'
import { RouterSession } from './router-session.js'

/** A small in-process WAMP router. */
export interface Router {
  /**
   * Runs one peer session over the router's side of a transport: the router answers its
   * HELLO and routes what follows. `connectLocal` and `listenWebSocket` call it for you.
   */
  attach(transport: Transport): void
  /**
   * Ends every session with GOODBYE `wamp.close.system_shutdown` and refuses new ones;
   * resolves once every transport has closed.
   */
  close(): Promise<void>
}

const consoleLogger: RouterLogger = {
  warn: (message, ...data) => console.warn(`[react-wamp router] ${message}`, ...data),
}

/**
 * Creates a small WAMP router (broker and dealer) that runs in the same process as its
 * clients, in Node or in a browser: for embedding, tests and Storybook demos. It is **not a
 * production router** (no authorization, no limits, no persistence); use nexus, Crossbar.io
 * or Bondy there.
 *
 * Clients join with `connectLocal(router, config)`, or over WebSocket through
 * `listenWebSocket(router, { port })` (Node). It implements the Basic Profile plus
 * pattern-based subscriptions and registrations, shared registrations, publisher exclusion,
 * subscriber black- and whitelisting, publisher and caller identification, progressive call
 * results and invocations, call canceling, call timeouts and the session meta API.
 *
 * @example
 * const router = createRouter({ realms: { realm1: {} } })
 * const client = await connectLocal(router, { realm: 'realm1' })
 */
export function createRouter(options: RouterOptions): Router {
  if (typeof options?.realms !== 'object' || options.realms === null) {
    throw new TypeError('createRouter: options.realms is required, e.g. { realms: { realm1: {} } }')
  }
  const ids = { subscriptions: new RequestIds(), registrations: new RequestIds() }
  const realms = new Map<string, Realm>()
  for (const [name, realmOptions] of Object.entries(options.realms)) {
    if (!isValidUri(name)) throw new TypeError(`createRouter: realm name ${JSON.stringify(name)} is not a valid URI`)
    for (const history of realmOptions?.eventHistory ?? []) {
      const problem = eventHistoryProblem(history)
      if (problem) throw new TypeError(`createRouter: realm ${name}: ${problem}`)
    }
    realms.set(name, new Realm(name, realmOptions ?? {}, ids))
  }
  const sessions = new Set<RouterSession>()
  const sessionIds = new Set<number>()
  let closed = false
  const host = {
    logger: options.logger ?? consoleLogger,
    realm: (name: string) => realms.get(name),
    newSessionId(): number {
      let id = randomId()
      while (sessionIds.has(id)) id = randomId()
      sessionIds.add(id)
      return id
    },
  }

  return {
    attach(transport) {
      if (closed) {
        transport.close()
        return
      }
      const session = new RouterSession(transport, host)
      sessions.add(session)
      transport.closed.then(() => {
        sessions.delete(session)
        sessionIds.delete(session.id)
      })
    },
    async close() {
      closed = true
      await Promise.all([...sessions].map((session) => session.shutdown()))
    },
  }
}
