import type { AuthMethod } from '../auth/auth-method.js'
import { defaultLogger, type Logger } from '../client/logger.js'
import { runHandler } from '../client/run-handler.js'
import type {
  Args,
  CallOptions,
  EventHandler,
  InvocationHandler,
  Kwargs,
  PublishOptions,
  RegisterOptions,
  Result,
  SubscribeOptions,
} from '../client/types.js'
import type { HistoryOptions } from '../connection/backfill.js'
import type { ConnectionOptions, ConnectionState } from '../connection/connection.js'
import type { RegistrationLease } from '../connection/registrations.js'
import { releaseLater } from '../connection/release-later.js'
import { type CallLease, SharedCalls } from '../connection/shared-calls.js'
import { Store } from '../connection/store.js'
import type { SubscriptionLease } from '../connection/subscriptions.js'
import type { WampConnection } from '../connection/wamp-connection.js'
import { ClientClosedError, ConnectionLostError, WampAbortError } from '../protocol/errors.js'
import type { Dict } from '../protocol/messages.js'
import type { HubLink } from './link.js'
import {
  type HubMessage,
  readHubMessage,
  type SharedOptions,
  TAB_PROTOCOL_VERSION,
  type WireState,
} from './messages.js'
import type { TabPort } from './port.js'
import { TabRegistrations } from './tab-registrations.js'
import { TabSubscriptions } from './tab-subscriptions.js'
import { fromWireError, toWireError } from './wire-error.js'

interface PendingRequest {
  resolve(value: unknown): void
  reject(error: Error): void
  onProgress?: (result: Result) => void
}

/** The options a tab sends to the hub: what can be cloned (auth stays in the tab). */
export function sharedOptionsOf(options: ConnectionOptions): SharedOptions {
  const serialization = typeof options.serialization === 'object' ? options.serialization.name : options.serialization
  const out: Record<string, unknown> = {
    url: options.url,
    realm: options.realm,
    authid: options.authid,
    authextra: options.authextra,
    helloDetails: options.helloDetails,
    serialization,
    responseTimeout: options.responseTimeout,
    waitForSession: options.waitForSession,
    reconnect: options.reconnect,
    liveness: options.liveness,
    debug: options.debug,
  }
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key]
  return out as unknown as SharedOptions
}

/**
 * A tab's handle on a session shared by every tab of the site: the same surface as a
 * `Connection` (the hooks work unchanged), but the session lives in the hub (a SharedWorker,
 * or the elected tab). Its state mirrors the hub's connection; its subscriptions and
 * registrations are asked of every new hub; its calls are cancelled across the boundary.
 */
export class TabConnection implements WampConnection {
  readonly state: Store<ConnectionState>
  readonly tabId: string
  private readonly subscriptions: TabSubscriptions
  private readonly registrations: TabRegistrations
  private readonly calls: SharedCalls
  private readonly pending = new Map<number, PendingRequest>()
  private readonly outbox: unknown[] = []
  /** Requests waiting for a hub to be reachable at all, each bounded by `waitForSession`. */
  private readonly hubWaits = new Map<number, ReturnType<typeof setTimeout>>()
  private port: TabPort | undefined
  private unlisten: (() => void) | undefined
  private phase: 'idle' | 'started' | 'closed' = 'idle'
  private nextId = 1
  private holders = 0
  private pendingClose: { cancel(): void } | undefined
  private authMethods: AuthMethod[] = []
  private hubId: string | undefined

  constructor(
    private options: ConnectionOptions,
    private readonly link: HubLink,
    tabId = `tab-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`,
  ) {
    this.tabId = tabId
    this.state = new Store<ConnectionState>({ status: 'idle', attempt: 0 }, (error) =>
      this.logger.error('a connection state listener threw', error),
    )
    const side = {
      post: (message: unknown) => this.post(message),
      nextLease: () => this.nextId++,
      logger: () => this.logger,
    }
    this.subscriptions = new TabSubscriptions(side)
    this.registrations = new TabRegistrations(side)
    this.calls = new SharedCalls((error) => this.logger.error('a progress listener of a shared call threw', error))
  }

  private get logger(): Logger {
    return this.options.logger ?? defaultLogger(this.options.debug === true)
  }

  readonly getSnapshot = (): ConnectionState => this.state.getSnapshot()
  readonly subscribe = (listener: () => void): (() => void) => this.state.subscribe(listener)

  /** How this tab reaches the shared session: `shared-worker`, `leader-election` or `port`. */
  get sharedVia(): string {
    return this.link.kind
  }

  /** The hub this tab talks to now (changes when a new leader takes over). */
  get hub(): string | undefined {
    return this.hubId
  }

  /** Counts of what this tab holds (for tests and leak checks). */
  get stats(): { subscriptions: number; registrations: number; requests: number; invocations: number } {
    return {
      subscriptions: this.subscriptions.size,
      registrations: this.registrations.size,
      requests: this.pending.size,
      invocations: this.registrations.invocations,
    }
  }

  /** Options read by the tab (auth, logger) apply at once; those of the shared session are the first tab's. */
  configure(options: Omit<ConnectionOptions, 'url'>): void {
    this.options = { ...options, url: this.options.url }
  }

  start(): void {
    if (this.phase !== 'idle') return
    this.phase = 'started'
    this.state.set({ status: 'connecting', attempt: 0 })
    this.link.open(this.tabId, (port) => this.onHub(port))
  }

  retain(): () => void {
    this.holders += 1
    this.pendingClose?.cancel()
    this.pendingClose = undefined
    this.start()
    let released = false
    return () => {
      if (released) return
      released = true
      this.holders -= 1
      if (this.holders === 0) this.pendingClose = releaseLater(() => void this.close())
    }
  }

  /** Leaves the hub (which lets go of what this tab held); the shared session stays for the other tabs. */
  async close(): Promise<void> {
    if (this.phase === 'closed') return
    if (this.phase === 'started' && this.port) this.post({ t: 'bye' })
    this.phase = 'closed'
    this.unlisten?.()
    // Closing a port at once may drop the goodbye still queued on it.
    const link = this.link
    setTimeout(() => link.close(), 0)
    this.port = undefined
    this.clearHubWaits()
    this.failPending(() => new ClientClosedError('the connection is closed'))
    this.registrations.abortAll('the connection is closed')
    this.state.set({ status: 'closed', attempt: 0 })
  }

  call(procedure: string, args?: Args | Uint8Array, kwargs?: Kwargs, options: CallOptions = {}): Promise<Result> {
    const { signal, onProgress, ...wire } = options
    if (this.phase === 'closed') {
      return Promise.reject(new ClientClosedError(`cannot call ${procedure}: the connection is closed`))
    }
    if (signal?.aborted) return Promise.reject(new WampAbortError(signal.reason, `call ${procedure}`))
    const id = this.nextId++
    return new Promise<Result>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.delete(id)) return
        this.post({ t: 'cancel', id })
        reject(new WampAbortError(signal?.reason, `call ${procedure}`))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      const done = () => signal?.removeEventListener('abort', onAbort)
      this.pending.set(id, {
        resolve: (value) => {
          done()
          resolve(value as Result)
        },
        reject: (error) => {
          done()
          reject(error)
        },
        onProgress,
      })
      this.post({ t: 'call', id, procedure, args, kwargs, options: wire, progress: onProgress !== undefined })
      this.waitForHub(id, `call ${procedure}`)
    })
  }

  publish(
    topic: string,
    args?: Args | Uint8Array,
    kwargs?: Kwargs,
    options: PublishOptions = {},
  ): Promise<number | undefined> {
    if (this.phase === 'closed') {
      return Promise.reject(new ClientClosedError(`cannot publish to ${topic}: the connection is closed`))
    }
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: (value) => resolve(value as number | undefined), reject })
      this.post({ t: 'publish', id, topic, args, kwargs, options })
      this.waitForHub(id, `publish to ${topic}`)
    })
  }

  /**
   * As `Connection.acquireSubscription`; `history` is read by the hub's Connection, except
   * `sequenceOf` (a function cannot cross to it): with one, the lease is refused (status `error`,
   * an InvalidArgumentError naming it).
   */
  acquireSubscription(
    topic: string,
    handler: EventHandler,
    options?: SubscribeOptions,
    history?: HistoryOptions,
  ): SubscriptionLease {
    return this.subscriptions.acquire(topic, handler, options, history)
  }

  acquireRegistration(procedure: string, handler: InvocationHandler, options?: RegisterOptions): RegistrationLease {
    return this.registrations.acquire(procedure, handler, options)
  }

  acquireCall(
    key: string,
    procedure: string,
    args: Args | undefined,
    kwargs: Kwargs | undefined,
    options: CallOptions,
    onProgress?: (result: Result) => void,
  ): CallLease {
    return this.calls.acquire(
      key,
      (signal, progress) =>
        this.call(procedure, args, kwargs, { ...options, signal, onProgress: onProgress ? progress : undefined }),
      onProgress,
    )
  }

  /** No hub is reachable yet: the request fails after `waitForSession` ms unless one comes first. */
  private waitForHub(id: number, what: string): void {
    if (this.port || !this.pending.has(id)) return
    const wait = this.options.waitForSession ?? 10_000
    this.hubWaits.set(
      id,
      setTimeout(() => {
        this.hubWaits.delete(id)
        const pending = this.pending.get(id)
        if (!pending) return
        this.pending.delete(id)
        pending.reject(
          new ConnectionLostError(`cannot ${what}: no tab or worker held the shared session within ${wait} ms`),
        )
      }, wait),
    )
  }

  private clearHubWaits(): void {
    for (const timer of this.hubWaits.values()) clearTimeout(timer)
    this.hubWaits.clear()
  }

  /** Posts to the hub, or keeps the message until one is reachable. */
  private post(message: unknown): void {
    if (this.phase === 'closed') return
    if (!this.port) {
      this.outbox.push(message)
      return
    }
    try {
      this.port.post(message)
    } catch (error) {
      // A value that cannot be cloned: fail the request it belongs to, never the tab.
      const id = (message as { id?: unknown }).id
      const pending = typeof id === 'number' ? this.pending.get(id) : undefined
      if (pending && (message as { t: string }).t !== 'cancel') {
        this.pending.delete(id as number)
        pending.reject(error instanceof Error ? error : new Error(String(error)))
      } else this.logger.error('could not post to the hub', error)
    }
  }

  /** A (new) hub is reachable: say hello and ask it for everything this tab holds. */
  private onHub(port: TabPort): void {
    if (this.phase === 'closed') return
    const replacing = this.port !== undefined
    this.unlisten?.()
    this.port = port
    this.unlisten = port.listen((raw) => this.receive(raw))
    if (replacing) {
      // The old hub went away with what it was doing: a call may or may not have run; never send it twice.
      this.failPending(() => new ConnectionLostError('the tab holding the shared session closed during the request'))
      this.outbox.length = 0
      // Until the new hub tells its state, this tab has no session.
      this.state.set({ status: 'reconnecting', attempt: 1 })
    }
    this.post({
      t: 'hello',
      v: TAB_PROTOCOL_VERSION,
      tab: this.tabId,
      options: sharedOptionsOf(this.options),
      hasAuth: this.options.auth !== undefined,
    })
    if (replacing) {
      this.subscriptions.replay()
      this.registrations.replay()
    }
    this.clearHubWaits()
    // A request that gave up waiting, or was cancelled, while no hub was reachable is not sent.
    for (const message of this.outbox.splice(0)) {
      const { t, id } = message as { t: string; id?: number }
      if ((t === 'call' || t === 'publish') && !this.pending.has(id as number)) continue
      if (t === 'cancel') continue
      this.post(message)
    }
  }

  private failPending(error: () => Error): void {
    const pending = [...this.pending.values()]
    this.pending.clear()
    for (const request of pending) request.reject(error())
  }

  private receive(raw: unknown): void {
    const read = readHubMessage(raw)
    if (!read.ok) {
      this.logger.warn(`dropped a message from the hub: ${read.reason}`)
      return
    }
    const message = read.message
    if (!this.handle(message)) {
      this.logger.warn(`dropped a message from the hub: ${message.t} names something this tab does not hold`)
    }
  }

  /** Handles one checked message; false when it names nothing this tab holds. */
  private handle(message: HubMessage): boolean {
    switch (message.t) {
      case 'welcome':
        this.hubId = message.hub
        return true
      case 'state':
        this.state.set(toState(message.state))
        return true
      case 'sub-status':
        return this.subscriptions.onStatus(message.lease, message.status)
      case 'event':
        return this.subscriptions.onEvent(message.lease, message.event as never)
      case 'reg-status':
        return this.registrations.onStatus(message.lease, message.status)
      case 'invoke':
        return this.registrations.onInvoke(message)
      case 'interrupt':
        this.registrations.onInterrupt(message.inv, message.reason)
        return true
      case 'progress': {
        const pending = this.pending.get(message.id)
        if (pending?.onProgress) {
          runHandler(pending.onProgress, message.result as never, (error) =>
            this.logger.error('a progress listener threw', error),
          )
        }
        return true
      }
      case 'reply': {
        const pending = this.pending.get(message.id)
        // A reply to a request cancelled here: nothing waits for it any more.
        if (!pending) return true
        this.pending.delete(message.id)
        if (message.ok) pending.resolve(message.value)
        else pending.reject(fromWireError(message.error))
        return true
      }
      case 'auth-request':
        void this.answerAuthRequest(message.id)
        return true
      case 'challenge':
        void this.answerChallenge(message)
        return true
    }
  }

  private async answerAuthRequest(id: number): Promise<void> {
    try {
      const auth = this.options.auth
      this.authMethods = (typeof auth === 'function' ? await auth() : auth) ?? []
      const methods = await Promise.all(
        this.authMethods.map(async (method) => {
          const extra = await method.authextra
          return {
            method: method.method,
            ...(method.authid ? { authid: method.authid } : {}),
            ...(extra ? { authextra: extra } : {}),
          }
        }),
      )
      this.post({ t: 'auth-methods', id, methods })
    } catch (error) {
      this.post({ t: 'auth-methods', id, error: toWireError(error) })
    }
  }

  private async answerChallenge(message: Extract<HubMessage, { t: 'challenge' }>): Promise<void> {
    try {
      const method = this.authMethods.find((candidate) => candidate.method === message.method)
      if (!method) throw new Error(`the router asked for ${message.method}, which this tab did not offer`)
      const { signature, extra } = await method.respond({
        method: message.method,
        extra: message.extra as Dict,
        authid: message.authid,
      })
      this.post({ t: 'auth-response', id: message.id, signature, ...(extra ? { extra } : {}) })
    } catch (error) {
      this.post({ t: 'auth-response', id: message.id, error: toWireError(error) })
    }
  }
}

function toState(wire: WireState): ConnectionState {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(wire)) if (value !== undefined) out[key] = value
  if (wire.error) out.error = fromWireError(wire.error)
  return out as unknown as ConnectionState
}
