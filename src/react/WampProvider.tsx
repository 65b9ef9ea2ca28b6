import { type ReactNode, useEffect, useState } from 'react'
import { type Connection, type ConnectionOptions, createConnection } from '../connection/connection.js'
import { WampContext } from './context.js'

/** Props of WampProvider: how to connect, or an existing connection. */
export type WampProviderProps = (ConnectionOptions | { connection: Connection }) & { children?: ReactNode }

/**
 * Owns one WAMP session for the components below it: connects on mount, reconnects with
 * backoff, replays subscriptions and registrations, and leaves the realm on unmount.
 * Options are read once; give the provider a new `key` to connect elsewhere.
 * A `connection` you pass in is started but never closed by the provider.
 *
 * @example
 * <WampProvider url="wss://router.example/ws" realm="realm1" auth={[ticket(token)]}>
 *   <Dashboard />
 * </WampProvider>
 */
export function WampProvider(props: WampProviderProps): ReactNode {
  const { children, ...rest } = props
  const external = 'connection' in rest ? rest.connection : undefined
  // Creating a connection opens nothing: sockets open in the effect, never during render (SSR-safe).
  const [owned] = useState(() => (external ? undefined : createConnection(rest as ConnectionOptions)))
  const connection = external ?? owned!
  useEffect(() => {
    if (external) {
      external.start()
      return undefined
    }
    return connection.retain()
  }, [connection, external])
  return <WampContext.Provider value={connection}>{children}</WampContext.Provider>
}
