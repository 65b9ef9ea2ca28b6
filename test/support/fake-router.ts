import { createClient } from '../../src/client/connect.js'
import type { Client, ClientConfig } from '../../src/client/index.js'
import type { Transport, TransportCloseInfo, TransportReceiver } from '../../src/transports/transport.js'

export const WELCOME_DETAILS = {
  roles: {
    broker: { features: { publisher_exclusion: true } },
    dealer: { features: { call_canceling: true, progressive_call_results: true } },
  },
  authrole: 'anonymous',
}

/**
 * A scripted router on the far side of an in-memory transport: the test reads what the
 * client sent and decides what comes back. Messages round-trip through JSON so nothing
 * is shared by reference.
 */
export class FakeRouter implements Transport {
  readonly serialization = 'json'
  readonly sent: unknown[][] = []
  readonly closed: Promise<TransportCloseInfo>
  isClosed = false
  private receiver: TransportReceiver | undefined
  private resolveClosed!: (info: TransportCloseInfo) => void
  private waiters: { match: (m: unknown[]) => boolean; resolve: (m: unknown[]) => void }[] = []

  constructor() {
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve
    })
  }

  send(message: readonly unknown[]): void {
    if (this.isClosed) throw new Error('closed')
    const copy = JSON.parse(JSON.stringify(message)) as unknown[]
    this.sent.push(copy)
    const index = this.waiters.findIndex((w) => w.match(copy))
    if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(copy)
  }

  listen(receiver: TransportReceiver): void {
    this.receiver = receiver
  }

  close(): void {
    if (this.isClosed) return
    this.isClosed = true
    queueMicrotask(() => this.resolveClosed({ local: true, reason: 'closed locally' }))
  }

  /** The router drops the connection. */
  drop(): void {
    this.isClosed = true
    this.resolveClosed({ local: false, reason: 'dropped' })
  }

  /** Delivers a message to the client as if the router sent it. */
  deliver(...message: unknown[]): void {
    this.receiver?.message(message)
  }

  deliverRaw(value: unknown): void {
    this.receiver?.message(value)
  }

  deliverUndecodable(): void {
    this.receiver?.error(new Error('undecodable json frame'))
  }

  /** Resolves with the next (or an already sent) message of this type. */
  nextSent(type: number, after = 0): Promise<unknown[]> {
    const found = this.sent.slice(after).find((m) => m[0] === type)
    if (found) return Promise.resolve(found)
    return new Promise((resolve) => this.waiters.push({ match: (m) => m[0] === type, resolve }))
  }

  sentOfType(type: number): unknown[][] {
    return this.sent.filter((m) => m[0] === type)
  }
}

/** Creates a client on a FakeRouter that answers HELLO with WELCOME. */
export async function joinedClient(
  config: Partial<ClientConfig> = {},
): Promise<{ client: Client; router: FakeRouter }> {
  const router = new FakeRouter()
  const joining = createClient(router, { realm: 'realm1', logger: quietLogger(), ...config })
  await router.nextSent(1)
  router.deliver(2, 4242, WELCOME_DETAILS)
  return { client: await joining, router }
}

export function quietLogger() {
  const logged: { level: string; message: string; data: unknown[] }[] = []
  const log =
    (level: string) =>
    (message: string, ...data: unknown[]) =>
      logged.push({ level, message, data })
  return { debug: log('debug'), warn: log('warn'), error: log('error'), logged }
}
