import { ConnectionLostError, SerializationError } from '../protocol/errors.js'
import { inspectMessage } from '../serializers/inspect.js'
import type { Transport, TransportCloseInfo, TransportReceiver } from './transport.js'

/**
 * Two connected in-process transports, `[clientSide, routerSide]`: what one sends, the other
 * receives. There is no serialization, but the same guarantees as a socket:
 * - delivery is asynchronous (a microtask, never inside `send`) and in order;
 * - a message is deep-copied (`structuredClone`) when sent, so neither side can change what
 *   the other holds;
 * - `send` throws SerializationError naming where a value sits that WAMP cannot carry
 *   (a function, NaN, a Map, …), and sends nothing. BigInt is allowed, as with MsgPack.
 */
export function createLocalPair(): [clientSide: Transport, routerSide: Transport] {
  const clientSide = new LocalTransport()
  const routerSide = new LocalTransport()
  clientSide.peer = routerSide
  routerSide.peer = clientSide
  return [clientSide, routerSide]
}

class LocalTransport implements Transport {
  readonly serialization = 'local'
  readonly closed: Promise<TransportCloseInfo>
  peer!: LocalTransport
  private receiver: TransportReceiver | undefined
  /** Messages that arrived before `listen`. */
  private early: unknown[] = []
  private isClosed = false
  private resolveClosed!: (info: TransportCloseInfo) => void

  constructor() {
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve
    })
  }

  send(message: readonly unknown[]): void {
    inspectMessage(message, false)
    if (this.isClosed) throw new ConnectionLostError('the local transport is closed')
    let copy: unknown
    try {
      copy = structuredClone(message)
    } catch (error) {
      throw new SerializationError(`the message cannot be copied: ${(error as Error).message}`, { cause: error })
    }
    const { peer } = this
    queueMicrotask(() => peer.deliver(copy))
  }

  listen(receiver: TransportReceiver): void {
    this.receiver = receiver
    const early = this.early
    this.early = []
    for (const message of early) receiver.message(message)
  }

  close(): void {
    if (this.isClosed) return
    this.shut({ local: true, reason: 'closed locally' })
    // Queued after the messages already sent, so the peer reads them before it sees the close.
    const { peer } = this
    queueMicrotask(() => peer.shut({ local: false, reason: 'closed by the peer' }))
  }

  private deliver(message: unknown): void {
    if (this.isClosed) return
    if (this.receiver) this.receiver.message(message)
    else this.early.push(message)
  }

  private shut(info: TransportCloseInfo): void {
    if (this.isClosed) return
    this.isClosed = true
    this.early = []
    this.resolveClosed(info)
  }
}
