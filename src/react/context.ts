import { createContext, useContext } from 'react'
import type { Connection } from '../connection/connection.js'

/** The connection WampProvider shares with the hooks below it. */
export const WampContext = createContext<Connection | null>(null)

/** The provider's connection; throws a clear error outside a WampProvider. */
export function useConnection(): Connection {
  const connection = useContext(WampContext)
  if (!connection) throw new Error('react-wamp hooks must be used inside a <WampProvider>')
  return connection
}
