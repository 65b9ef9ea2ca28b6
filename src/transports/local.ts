import { ConnectionLostError } from '../protocol/errors.js'
import { jsonSerializer } from '../serializers/json.js'
import type { Serializer } from '../serializers/serializer.js'
import { deliverFrame } from './deliver.js'
import type { Transport, TransportCloseInfo, TransportReceiver } from './transport.js'

/**
 * Two connected in-process transports, `[clientSide, routerSide]`: what one sends, the other
 * receives, with the same guarantees as a socket:
 * - every message is really encoded with `serializer` (JSON by default) and decoded on the other
 *   side, so a peer receives exactly what that serialization would deliver over the wire (a Date
 *   as its ISO string in JSON, `undefined` dropped from objects, `-0` as 0, no BigInt in JSON…)
 *   and neither side can change what the other holds;
 * - `send` throws SerializationError naming where a value sits that the serialization cannot
 *   carry (a function, NaN, a Map, …), and sends nothing;
 * - delivery is asynchronous (a microtask, never inside `send`) and in order.
 */
export function createLocalPair(
  serializer: Serializer = jsonSerializer,
): [clientSide: Transport, routerSide: Transport] {
  const clientSide = new LocalTransport(serializer)
  const routerSide = new LocalTransport(serializer)
  clientSide.peer = routerSide
  routerSide.peer = clientSide
  return [clientSide, routerSide]
}

class LocalTransport implements Transport {
  readonly kind = 'local'
  readonly serialization: string
  readonly closed: Promise<TransportCloseInfo>
  peer!: LocalTransport
  private receiver: TransportReceiver | undefined
  /** Frames that arrived before `listen`. */
  private early: (string | Uint8Array)[] = []
  private isClosed = false
  private resolveClosed!: (info: TransportCloseInfo) => void

  constructor(private readonly serializer: Serializer) {
    this.serialization = serializer.name
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve
    })
  }

  send(message: readonly unknown[]): void {
    // Encoding first: an unserializable payload throws before anything is queued.
    const frame = this.serializer.encode(message)
    if (this.isClosed) throw new ConnectionLostError('the local transport is closed')
    const { peer } = this
    queueMicrotask(() => peer.deliver(frame))
  }

  listen(receiver: TransportReceiver): void {
    this.receiver = receiver
    const early = this.early
    this.early = []
    for (const frame of early) deliverFrame(this.serializer, receiver, frame)
  }

  close(): void {
    if (this.isClosed) return
    this.shut({ local: true, reason: 'closed locally' })
    // Queued after the messages already sent, so the peer reads them before it sees the close.
    const { peer } = this
    queueMicrotask(() => peer.shut({ local: false, reason: 'closed by the peer' }))
  }

  private deliver(frame: string | Uint8Array): void {
    if (this.isClosed) return
    if (this.receiver) deliverFrame(this.serializer, this.receiver, frame)
    else this.early.push(frame)
  }

  private shut(info: TransportCloseInfo): void {
    if (this.isClosed) return
    this.isClosed = true
    this.early = []
    this.resolveClosed(info)
  }
}
