/**
 * One WAMP session shared by every tab of a site (`react-wamp/tabs`).
 * @packageDocumentation
 */
import { type ConnectionOptions, createConnection } from '../connection/connection.js'
import type { SessionSharing, WampConnection } from '../connection/wamp-connection.js'
import { leaderLink } from './leader-link.js'
import { sessionKey } from './session-key.js'
import { type SharedWorkerLike, sharedWorkerLink } from './shared-worker-link.js'
import { sharedOptionsOf, TabConnection } from './tab-connection.js'
import { lockManager } from './tab-lock.js'

export { type HubOptions, TabHub } from './hub.js'
export { TabHubs } from './hubs.js'
export { leaderLink } from './leader-link.js'
export { type HubLink, portLink } from './link.js'
export {
  type HubMessage,
  readHubMessage,
  readTabMessage,
  type SharedOptions,
  TAB_PROTOCOL_VERSION,
  type TabMessage,
} from './messages.js'
export { type MessagePortLike, messagePortLink, type TabPort } from './port.js'
export { sessionKey } from './session-key.js'
export { type SharedWorkerLike, sharedWorkerLink } from './shared-worker-link.js'
export { TabConnection } from './tab-connection.js'

/** How `acrossTabs` shares the session. */
export interface AcrossTabsOptions {
  /**
   * Builds the SharedWorker that holds the session. Write the URL in your app's code, so your
   * bundler emits the worker file:
   * `() => new SharedWorker(new URL('react-wamp/shared-worker', import.meta.url), { type: 'module' })`.
   * Without it, or where the browser has no SharedWorker, the tabs elect a leader.
   */
  worker?: () => SharedWorkerLike
  /**
   * Where neither a worker nor leader election can work (no Web Locks or BroadcastChannel, or on
   * the server): `'own-session'` (default) gives the tab a session of its own, as without sharing.
   * `leaderElection: false` skips the election even where it would work.
   */
  leaderElection?: boolean
}

/**
 * Shares one session among every tab of the site that asks for the same `url`, `realm`,
 * `serialization` and `authid` (tabs with another identity get a session of their own). Pass it to
 * `<WampProvider shareAcrossTabs={…}>`, or call `connect(options)` for a connection without React.
 * Create it once, at module level.
 *
 * @example
 * const sharing = acrossTabs({
 *   worker: () => new SharedWorker(new URL('react-wamp/shared-worker', import.meta.url), { type: 'module' }),
 * })
 * <WampProvider url="wss://router.example/ws" realm="realm1" shareAcrossTabs={sharing}>…</WampProvider>
 */
export function acrossTabs(options: AcrossTabsOptions = {}): SessionSharing {
  return {
    connect(connectionOptions: ConnectionOptions): WampConnection {
      if (options.worker && typeof SharedWorker !== 'undefined') {
        return new TabConnection(connectionOptions, sharedWorkerLink(options.worker))
      }
      const canElect = lockManager() !== undefined && typeof BroadcastChannel !== 'undefined'
      if (options.leaderElection !== false && canElect) {
        const name = `react-wamp:${sessionKey(sharedOptionsOf(connectionOptions))}`
        return new TabConnection(connectionOptions, leaderLink(name, { logger: connectionOptions.logger }))
      }
      return createConnection(connectionOptions)
    },
  }
}
