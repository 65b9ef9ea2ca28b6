/**
 * Helpers for the router tests: a router per test, real clients over connectLocal, and a raw peer
 * that speaks WAMP message by message over the same in-process transport, to see the wire exactly.
 */
import { afterEach } from 'vitest'
import { type Client, type ClientConfig, connectLocal } from '../../src/client/index.js'
import type { Dict } from '../../src/protocol/messages.js'
import { createLocalPair, createRouter, type RealmOptions, type Router } from '../../src/router/index.js'
import type { Transport, TransportCloseInfo } from '../../src/transports/transport.js'

export type Message = unknown[]

/** Collects what the router reports instead of printing it. */
export const routerWarnings: string[] = []
const logger = { warn: (message: string) => void routerWarnings.push(message) }
export const quietClient = { debug() {}, warn() {}, error() {} }

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  routerWarnings.length = 0
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A fresh router (realm1: disclosure allowed; realm2: refused), shut down after the test. */
export function testRouter(
  realms: Record<string, RealmOptions> = { realm1: {}, realm2: { allowDisclose: false } },
): Router {
  const router = createRouter({ realms, logger })
  cleanups.push(() => router.close())
  return router
}

/** A real client joined through connectLocal. */
export function join(router: Router, config: Partial<ClientConfig> = {}): Promise<Client> {
  return connectLocal(router, { realm: 'realm1', logger: quietClient, ...config })
}

const rpc = { call_canceling: true, call_timeout: true, progressive_call_results: true, caller_identification: true }

/** Every feature, including progressive call invocations (which the client does not implement). */
export const allRoles: Dict = {
  caller: { features: { ...rpc, progressive_call_invocations: true } },
  callee: {
    features: {
      ...rpc,
      progressive_call_invocations: true,
      pattern_based_registration: true,
      shared_registration: true,
    },
  },
  publisher: {
    features: { publisher_exclusion: true, publisher_identification: true, subscriber_blackwhite_listing: true },
  },
  subscriber: { features: { pattern_based_subscription: true, publisher_identification: true } },
}

/** A peer that sends raw messages and reads the router's replies one by one. */
export class RawPeer {
  /** The session ID, once joined. */
  id = 0
  welcome: Dict = {}
  private readonly queue: Message[] = []
  private readonly waiters: ((message: Message) => void)[] = []
  readonly closed: Promise<TransportCloseInfo>

  private constructor(private readonly transport: Transport) {
    this.closed = transport.closed
    transport.listen({
      message: (message) => {
        const waiter = this.waiters.shift()
        if (waiter) waiter(message as Message)
        else this.queue.push(message as Message)
      },
      error: () => {},
    })
  }

  /** Attached to the router, nothing sent yet. */
  static attach(router: Router): RawPeer {
    const [mine, routers] = createLocalPair()
    const peer = new RawPeer(mine)
    router.attach(routers)
    cleanups.push(() => mine.close())
    return peer
  }

  /** Attached and joined: HELLO → WELCOME. */
  static async join(router: Router, realm = 'realm1', details: Dict = { roles: allRoles }): Promise<RawPeer> {
    const peer = RawPeer.attach(router)
    peer.send(1, realm, details)
    const welcome = await peer.next()
    if (welcome[0] !== 2) throw new Error(`expected WELCOME, got ${JSON.stringify(welcome)}`)
    peer.id = welcome[1] as number
    peer.welcome = welcome[2] as Dict
    return peer
  }

  send(...message: unknown[]): void {
    this.transport.send(message)
  }

  /** Sends any value, well-formed or not. */
  sendRaw(value: unknown): void {
    this.transport.send(value as unknown[])
  }

  /** The next message from the router; rejects after `ms`. */
  next(ms = 2000): Promise<Message> {
    const queued = this.queue.shift()
    if (queued) return Promise.resolve(queued)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1)
        reject(new Error(`no message from the router within ${ms} ms`))
      }, ms)
      const waiter = (message: Message) => {
        clearTimeout(timer)
        resolve(message)
      }
      this.waiters.push(waiter)
    })
  }

  /** Resolves with whatever arrived within `ms` (expect [] for "nothing"). */
  async quiet(ms = 50): Promise<Message[]> {
    await sleep(ms)
    return this.queue.splice(0)
  }

  /** REGISTER and wait for REGISTERED; returns the registration ID. */
  async register(procedure: string, options: Dict = {}, request = nextRequest()): Promise<number> {
    this.send(64, request, options, procedure)
    const reply = await this.next()
    if (reply[0] !== 65) throw new Error(`expected REGISTERED, got ${JSON.stringify(reply)}`)
    return reply[2] as number
  }

  close(): void {
    this.transport.close()
  }
}

let request = 1000
/** A request ID not used elsewhere in a test. */
export const nextRequest = () => ++request

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves with the rejection of a promise (fails the test if it resolves). */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`)
    },
    (error: unknown) => error,
  )
}
