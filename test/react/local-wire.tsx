/**
 * The in-process router for React tests, with the wire in view: every message the provider's
 * sessions send and receive is recorded (as the client hands it to, and gets it from, the transport).
 */
import { act, cleanup, render } from '@testing-library/react'
import { type ReactNode, StrictMode } from 'react'
import { afterEach } from 'vitest'
import { type Client, type ClientConfig, connectLocal, createClient } from '../../src/client/index.js'
import { WampProvider } from '../../src/react/index.js'
import { createRouter, type RealmOptions } from '../../src/router/index.js'
import { createLocalPair } from '../../src/transports/local.js'
import type { Transport, TransportReceiver } from '../../src/transports/transport.js'

export const SUBSCRIBE = 32
export const SUBSCRIBED = 33
export const UNSUBSCRIBE = 34
export const UNSUBSCRIBED = 35
export const RESULT = 50
export const CALL = 48
export const CANCEL = 49
export const REGISTER = 64
export const REGISTERED = 65
export const UNREGISTER = 66
export const UNREGISTERED = 67
export const ERROR = 8

class SpiedTransport implements Transport {
  readonly kind = 'local'
  constructor(
    private readonly inner: Transport,
    private readonly wire: { sent: unknown[][]; received: unknown[][]; sentBy: number[]; receivedBy: number[] },
    private readonly session: number,
  ) {}
  get serialization() {
    return this.inner.serialization
  }
  get closed() {
    return this.inner.closed
  }
  send(message: readonly unknown[]): void {
    this.inner.send(message)
    this.wire.sent.push([...message])
    this.wire.sentBy.push(this.session)
  }
  listen(receiver: TransportReceiver): void {
    this.inner.listen({
      message: (message) => {
        this.wire.received.push(message as unknown[])
        this.wire.receivedBy.push(this.session)
        receiver.message(message)
      },
      error: (error) => receiver.error(error),
    })
  }
  close(code?: number, reason?: string): void {
    this.inner.close(code, reason)
  }
}

/** `realm1` configures the router's test realm (e.g. its event history). */
export function localWire(realm1: RealmOptions = {}) {
  const router = createRouter({ realms: { realm1 } })
  const sent: unknown[][] = []
  const received: unknown[][] = []
  /** Which session (in the order they opened, from 0) sent or received each message. */
  const sentBy: number[] = []
  const receivedBy: number[] = []
  const peers: Client[] = []
  const sessions: Client[] = []
  let opened = 0
  const open = async (_url: string | undefined, config: ClientConfig): Promise<Client> => {
    const [clientSide, routerSide] = createLocalPair()
    router.attach(routerSide)
    const index = opened++
    const client = await createClient(
      new SpiedTransport(clientSide, { sent, received, sentBy, receivedBy }, index),
      config,
    )
    sessions.push(client)
    return client
  }
  const wire = {
    router,
    sent,
    received,
    sentBy,
    receivedBy,
    sessions,
    open,
    /** Messages the app sent of one type (e.g. CALL). */
    ofType: (type: number) => sent.filter((message) => message[0] === type),
    /** A session of its own (a callee, a publisher, a caller) on the same router. */
    async peer(): Promise<Client> {
      const client = await connectLocal(router, { realm: 'realm1' })
      peers.push(client)
      return client
    },
    Provider({ children }: { children?: ReactNode }) {
      return (
        <WampProvider open={open} realm="realm1" liveness={false} responseTimeout={2000}>
          {children}
        </WampProvider>
      )
    },
    async dispose(): Promise<void> {
      await Promise.all(peers.map((peer) => peer.close().catch(() => {})))
      await router.close()
    },
  }
  return wire
}

/**
 * The per-file setup of the hook suites: a fresh wire for every test (disposed after it), `mount`,
 * which renders under <StrictMode> inside the wire's provider, and `text` of a test id.
 */
export function wirePerTest(realm1: RealmOptions = {}) {
  let current = localWire(realm1)
  afterEach(async () => {
    cleanup()
    await current.dispose()
    current = localWire(realm1)
  })
  const mount = (ui: ReactNode) => {
    const tree = (node: ReactNode) => (
      <StrictMode>
        <current.Provider>{node}</current.Provider>
      </StrictMode>
    )
    const view = render(tree(ui))
    return { ...view, update: (node: ReactNode) => view.rerender(tree(node)) }
  }
  const text = (view: ReturnType<typeof mount>, id: string) => view.getByTestId(id).textContent
  return { wire: () => current, mount, text }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits (letting React and the router work) until `check` holds. */
export async function until(what: string, check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`)
    await act(() => sleep(3))
  }
}

/** A promise with its resolve function, for callees that answer when a test says so. */
export function gate<T = void>() {
  let open!: (value: T) => void
  const promise = new Promise<T>((resolve) => {
    open = resolve
  })
  return { promise, open }
}
