import type { ConnectionState } from '../connection/connection.js'
import { useConnection } from './context.js'
import { useStore } from './use-store.js'

/**
 * The connection's state: `status` ('idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'),
 * `sessionId`, `attempt`, `retryInMs`, `nextRetryAt`, `error`. Pass a selector to render only
 * when its result changes (compared shallowly); the selector may read props: a new one is
 * applied at once.
 *
 * @example
 * const status = useWampSession((s) => s.status)
 * const mine = useWampSession((s) => s.sessionId === props.sessionId)
 */
export function useWampSession(): ConnectionState
export function useWampSession<S>(select: (state: ConnectionState) => S): S
export function useWampSession<S>(select?: (state: ConnectionState) => S): S | ConnectionState {
  const connection = useConnection()
  return useStore<ConnectionState, S | ConnectionState>(connection.state, select)
}
