import type { Connection } from './connection.js'

/**
 * What the React hooks use of a connection: a `Connection`, or a tab's handle on a session
 * shared across tabs (`react-wamp/tabs`). Anything with this surface can go in `WampProvider`.
 */
export type WampConnection = Pick<
  Connection,
  | 'state'
  | 'getSnapshot'
  | 'subscribe'
  | 'start'
  | 'close'
  | 'retain'
  | 'configure'
  | 'call'
  | 'publish'
  | 'acquireSubscription'
  | 'acquireRegistration'
  | 'acquireCall'
>
