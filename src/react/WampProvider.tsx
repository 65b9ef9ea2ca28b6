import { type ReactNode, useEffect, useMemo } from 'react'
import { type ConnectionOptions, createConnection } from '../connection/connection.js'
import { stableKey } from '../connection/stable-key.js'
import type { SessionSharing, WampConnection } from '../connection/wamp-connection.js'
import { WampContext } from './context.js'

/** Props of WampProvider: how to connect, or an existing connection. */
export type WampProviderProps = (ConnectionOptions | { connection: WampConnection }) & {
  /**
   * One session for every tab of the site that asks for the same router, realm and identity:
   * `acrossTabs({ worker })` from `react-wamp/tabs` (a SharedWorker holds it, or an elected tab).
   * Read when the connection is made; the hooks work unchanged. See README, "One session for all tabs".
   */
  shareAcrossTabs?: SessionSharing
  children?: ReactNode
}

/**
 * Owns one WAMP session for the components below it: connects on mount, reconnects with
 * backoff, replays subscriptions and registrations, and leaves the realm on unmount.
 *
 * It follows its props. A new `url`, `realm`, `serialization` or `authid` (compared by value)
 * replaces the connection: the old one is closed and the hooks below move to the new one. Every
 * other option (`auth`, `reconnect`, `liveness`, `helloDetails`, …) takes effect from the next
 * attempt without dropping the session; pass `auth` as a function to get a fresh token on every
 * attempt. A `connection` you pass in is started but never closed by the provider.
 *
 * @example
 * <WampProvider url="wss://router.example/ws" realm="realm1" auth={() => [ticket(getToken())]}>
 *   <Dashboard />
 * </WampProvider>
 */
export function WampProvider(props: WampProviderProps): ReactNode {
  const { children, shareAcrossTabs, ...rest } = props
  const external = 'connection' in rest ? rest.connection : undefined
  const options = external ? undefined : (rest as ConnectionOptions)
  const identity = options ? identityOf(options, shareAcrossTabs !== undefined) : ''
  // Creating a connection opens nothing: sockets open in the effect, never during render (SSR-safe).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `identity` stands for the props that make a new connection.
  const owned = useMemo(
    () => (options ? (shareAcrossTabs?.connect(options) ?? createConnection(options)) : undefined),
    [identity, external],
  )
  const connection = external ?? (owned as WampConnection)

  // The latest options apply from the next attempt (a refreshed token, other reconnect timing).
  useEffect(() => {
    if (owned && options) owned.configure(options)
  })

  useEffect(() => {
    if (external) {
      external.start()
      return undefined
    }
    return connection.retain()
  }, [connection, external])
  return <WampContext.Provider value={connection}>{children}</WampContext.Provider>
}

/** The props that name the session: a change means another router, realm, wire format or identity. */
function identityOf(options: ConnectionOptions, shared: boolean): string {
  const serialization = typeof options.serialization === 'object' ? options.serialization.name : options.serialization
  return stableKey([options.url, options.realm, serialization ?? 'json', options.authid, shared])
}
