import type { Connection, ConnectionOptions } from './connection.js'

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

/**
 * A way to share one session among the tabs of a site: `acrossTabs()` from `react-wamp/tabs`.
 * `WampProvider`'s `shareAcrossTabs` prop takes one.
 */
export interface SessionSharing {
  /** This tab's handle on the shared session for these options. */
  connect(options: ConnectionOptions): WampConnection
}
