/** Why a transport closed. */
export interface TransportCloseInfo {
  /** True when this side asked for the close. */
  local: boolean
  /** A short description ("closed by the router (code 1006)"). */
  reason: string
  /** The error that closed the transport, if any. */
  error?: Error
}

/** Receives what a transport reads. */
export interface TransportReceiver {
  /** A decoded WAMP message (not yet validated). */
  message(message: unknown): void
  /** A frame that could not be decoded, or a frame over the receive limit. */
  error(error: Error): void
}

/**
 * A bidirectional channel of WAMP messages. Implement it to run a session over a
 * transport this library does not ship, and pass it to `createClient`.
 */
export interface Transport {
  /** Encodes and sends one message. Throws SerializationError (and sends nothing) when it cannot be encoded. */
  send(message: readonly unknown[]): void
  /** Sets the one receiver of incoming messages. Call before the first `send`. */
  listen(receiver: TransportReceiver): void
  /** Closes the transport; `closed` resolves afterwards. Idempotent. */
  close(code?: number, reason?: string): void
  /** Resolves once when the transport has closed, for whatever reason. */
  readonly closed: Promise<TransportCloseInfo>
  /** The serialization in use: `json`, `msgpack` or `cbor` (in-process transports serialize too). */
  readonly serialization: string
  /**
   * How messages travel, e.g. `websocket`, `rawsocket`, `local` (in-process). Optional; a router
   * reports it in its session meta (`transport.type`).
   */
  readonly kind?: string
  /**
   * Optional transport-level keepalive: resolves when the peer answers a ping (WebSocket
   * ping/pong, RawSocket PING/PONG), rejects when the transport is closed. The connection's
   * liveness check prefers it to a call round trip. Leave it out (or `undefined`) where the
   * transport cannot ping, e.g. a browser WebSocket.
   */
  ping?(): Promise<void>
}
