import { ConnectionLostError } from '../protocol/errors.js'
import type { WebSocketLike } from './websocket.js'

export { describeConnectError } from './connect-error.js'

/** How long a local close may wait for the peer's closing handshake before the socket is dropped. */
const CLOSE_GRACE_MS = 1000

/** The Node socket under a `ws` WebSocket. */
interface Corkable {
  cork(): void
  uncork(): void
  readonly writableCorked: number
}

const uncork = (socket: Corkable) => socket.uncork()

/**
 * What a `ws` WebSocket (Node) adds to the transport: frames from its own `message` event (no
 * MessageEvent per frame), ping/pong for the liveness check, the writes of one tick in one syscall,
 * and a bounded close. Loaded only where the socket is a `ws` one: browsers never download it.
 */
export class NodeSocketExtras {
  private pongWaiters: { resolve(): void; reject(error: Error): void }[] = []

  constructor(
    private readonly socket: WebSocketLike,
    receive: (data: unknown, text: boolean) => void,
  ) {
    socket.on?.('message', (data, isBinary) => receive(data, !isBinary))
    socket.on?.('pong', () => this.settlePongs())
  }

  /** Resolves on the peer's pong. */
  ping(): Promise<void> {
    if (this.socket.readyState !== 1) return Promise.reject(new ConnectionLostError('the WebSocket is not open'))
    return new Promise((resolve, reject) => {
      this.pongWaiters.push({ resolve, reject })
      try {
        this.socket.ping?.()
      } catch (error) {
        this.settlePongs(new ConnectionLostError(`could not ping: ${(error as Error).message}`, { cause: error }))
      }
    })
  }

  /** Any pong answers every ping still waiting: the peer is alive. An error fails them all. */
  settlePongs(error?: Error): void {
    const waiters = this.pongWaiters
    this.pongWaiters = []
    for (const waiter of waiters) {
      if (error) waiter.reject(error)
      else waiter.resolve()
    }
  }

  /** Before a send: frames sent in one tick leave in one write (one syscall) instead of one each. */
  batch(): void {
    const raw = (this.socket as { _socket?: Corkable })._socket
    if (raw?.cork && !raw.writableCorked) {
      raw.cork()
      process.nextTick(uncork, raw)
    }
  }

  /** After a local close: a dead peer never answers the closing handshake (ws would wait 30 s). */
  closing(): void {
    const timer = setTimeout(() => {
      if (this.socket.readyState !== 3) this.socket.terminate?.()
    }, CLOSE_GRACE_MS)
    ;(timer as { unref?: () => void }).unref?.()
  }
}
