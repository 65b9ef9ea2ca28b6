import type { ConnectionState } from '../connection/connection.js'
import { useConnection } from './context.js'
import { useStoreSelector } from './use-store-selector.js'

const identity = (state: ConnectionState) => state

/**
 * The connection's state: `status` ('connecting' | 'open' | 'reconnecting' | 'closed'),
 * `sessionId`, `attempt`, `retryInMs`, `error`. Pass a selector to render only when its
 * result changes.
 *
 * @example
 * const status = useWampSession((s) => s.status)
 */
export function useWampSession(): ConnectionState
export function useWampSession<S>(select: (state: ConnectionState) => S): S
export function useWampSession<S>(select?: (state: ConnectionState) => S): S | ConnectionState {
  const connection = useConnection()
  return useStoreSelector<ConnectionState, S | ConnectionState>(connection.state, select ?? identity)
}
