import { createContext, useContext } from 'react'
import type { WampConnection } from '../connection/wamp-connection.js'

/** The connection WampProvider shares with the hooks below it. */
export const WampContext = createContext<WampConnection | null>(null)

/** The provider's connection; throws a clear error outside a WampProvider. */
export function useConnection(): WampConnection {
  const connection = useContext(WampContext)
  if (!connection) throw new Error('react-wamp hooks must be used inside a <WampProvider>')
  return connection
}
