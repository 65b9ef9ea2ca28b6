/**
 * A small world for connection tests on the in-process router: a router that can be restarted,
 * links that can go half-open (stop forwarding both ways without closing, as after a laptop sleep
 * or a NAT rebinding) and be reaped later by the router, an admin session for the meta API, and
 * counters of what the connection opened.
 */
import { type Client, type ClientConfig, connectLocal, createClient } from '../../src/client/index.js'
import { ConnectionLostError } from '../../src/protocol/errors.js'
import { createRouter, type RealmOptions, type Router } from '../../src/router/index.js'
import { createLocalPair } from '../../src/transports/local.js'
import type { Transport, TransportCloseInfo, TransportReceiver } from '../../src/transports/transport.js'

/** A client-side transport that can be frozen: while frozen nothing passes and a local close stays local. */
class FreezableLink implements Transport {
  readonly serialization = 'local'
  readonly closed: Promise<TransportCloseInfo>
  frozen = false
  reaped = false
  private resolveClosed!: (info: TransportCloseInfo) => void

  constructor(
    readonly inner: Transport,
    /** Client messages reach the router a macrotask late (in order), as over a socket. */
    private readonly lag = false,
  ) {
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve
    })
    inner.closed.then((info) => this.resolveClosed(info))
  }

  send(message: readonly unknown[]): void {
    if (this.frozen) return
    if (this.lag) {
      setTimeout(() => {
        // Closed meanwhile: the message is lost, as on a socket; the close reaches the client by `closed`.
        if (!this.frozen)
          void Promise.resolve()
            .then(() => this.inner.send(message))
            .catch(() => {})
      }, 0)
    } else this.inner.send(message)
  }

  listen(receiver: TransportReceiver): void {
    this.inner.listen({
      message: (message) => {
        if (!this.frozen) receiver.message(message)
      },
      error: (error) => receiver.error(error),
    })
  }

  close(): void {
    // Half-open: the router never hears of it, and keeps the old session until it reaps it.
    if (this.frozen) this.resolveClosed({ local: true, reason: 'closed locally (half-open)' })
    else this.inner.close()
  }

  /** The router notices the dead link (its own timeout) and ends the old session. */
  reap(): void {
    this.reaped = true
    this.inner.close()
  }
}

export interface World {
  readonly router: Router | undefined
  /** Every session the connection opened, in order. */
  readonly opened: Client[]
  /** The links of those sessions. */
  readonly links: FreezableLink[]
  /** The largest number of attempts that were in flight at once. */
  readonly maxConcurrentAttempts: number
  /** Attempts started so far. */
  readonly attempts: number
  /** The connection's `open` option. */
  open(url: string | undefined, config: ClientConfig): Promise<Client>
  /** A session on the current router for the meta API and as a peer (publisher, caller). */
  admin(): Promise<Client>
  /** Stops the router (GOODBYE `system_shutdown` to every session); attempts fail until `startRouter`. */
  stopRouter(): Promise<void>
  startRouter(): void
  /** Freezes the link of the newest open session (if any): a half-open connection. */
  freeze(): boolean
  /** True while a frozen link is not reaped yet. */
  hasFrozen(): boolean
  /** The router reaps every frozen link. */
  reapFrozen(): void
  /** Ends the world: router and admin closed. */
  dispose(): Promise<void>
}

/** `realm1` configures the test realm (e.g. its event history); `lag` delays what the client sends by a macrotask. */
export function createWorld(realm1: RealmOptions = {}, { lag = false } = {}): World {
  let router: Router | undefined = createRouter({ realms: { realm1, realm2: {} } })
  let adminClient: Client | undefined
  let inFlight = 0
  const world = {
    opened: [] as Client[],
    links: [] as FreezableLink[],
    maxConcurrentAttempts: 0,
    attempts: 0,
    get router() {
      return router
    },
    async open(_url: string | undefined, config: ClientConfig): Promise<Client> {
      world.attempts += 1
      inFlight += 1
      world.maxConcurrentAttempts = Math.max(world.maxConcurrentAttempts, inFlight)
      try {
        // An attempt takes a little time, as over a socket: wake-ups and closes can come meanwhile.
        await new Promise((resolve) => setTimeout(resolve, 2))
        if (!router) throw new ConnectionLostError('the router is down')
        const [clientSide, routerSide] = createLocalPair()
        const link = new FreezableLink(clientSide, lag)
        router.attach(routerSide)
        const client = await createClient(link, config)
        world.opened.push(client)
        world.links.push(link)
        return client
      } finally {
        inFlight -= 1
      }
    },
    async admin(): Promise<Client> {
      if (!router) throw new Error('the router is down')
      if (!adminClient?.isOpen) adminClient = await connectLocal(router, { realm: 'realm1' })
      return adminClient
    },
    async stopRouter(): Promise<void> {
      const stopping = router
      router = undefined
      adminClient = undefined
      await stopping?.close()
    },
    startRouter(): void {
      router ??= createRouter({ realms: { realm1, realm2: {} } })
    },
    freeze(): boolean {
      const index = world.opened.findLastIndex((client) => client.isOpen)
      const link = world.links[index]
      if (index < 0 || !link || link.frozen) return false
      link.frozen = true
      return true
    },
    hasFrozen(): boolean {
      return world.links.some((link) => link.frozen && !link.reaped)
    },
    reapFrozen(): void {
      for (const link of world.links) if (link.frozen) link.reap()
    },
    async dispose(): Promise<void> {
      if (adminClient?.isOpen) await adminClient.close().catch(() => {})
      await router?.close()
    },
  }
  return world
}
