/**
 * The socket-error rule, for every socket the library owns or is handed (the WebSocket and
 * RawSocket transports, the router's WebSocket listener): a socket keeps an `'error'` listener
 * from the moment it exists until it is gone, whatever else is attached or detached. Node's
 * EventEmitter throws an `'error'` event that nobody listens to, which ends the process — `ws`
 * emits one when a socket is closed before its handshake completes, or when a closing socket
 * receives a malformed frame. Errors are reported through the transport's own paths (a rejected
 * open, `closed`'s `error`); this listener only makes sure none is ever thrown.
 */

/** A socket that may be a Node EventEmitter (`ws`, `net.Socket`); browser WebSockets have no `on`. */
export interface ErrorEmitter {
  on?(event: 'error', listener: (error: unknown) => void): unknown
}

const ignore = (): void => {}

/** Applies the socket-error rule: call once, right after the socket is created or accepted. */
export function guardSocketErrors(socket: ErrorEmitter): void {
  if (typeof socket.on === 'function') socket.on('error', ignore)
}
