import type { Client } from '../client/client.js'
import { connect } from '../client/connect.js'
import { defaultLogger, type Logger } from '../client/logger.js'
import { startTimer } from '../client/timer.js'
import type {
  Args,
  CallOptions,
  ClientConfig,
  EventHandler,
  InvocationHandler,
  Kwargs,
  PublishOptions,
  RegisterOptions,
  Result,
  SubscribeOptions,
} from '../client/types.js'
import { ClientClosedError, ConnectionLostError, WampError } from '../protocol/errors.js'
import { type ReconnectOptions, retryDelay } from './backoff.js'
import { Liveness, type LivenessOptions } from './liveness.js'
import { type RegistrationLease, RegistrationRegistry } from './registrations.js'
import { releaseLater } from './release-later.js'
import { type CallLease, SharedCalls } from './shared-calls.js'
import { Store } from './store.js'
import { type SubscriptionLease, SubscriptionRegistry } from './subscriptions.js'

/** The connection's state, as one immutable snapshot. */
export interface ConnectionState {
  status: 'connecting' | 'open' | 'reconnecting' | 'closed'
  /** The current session's ID while open. */
  sessionId?: number
  /** Failed attempts since the last open session. */
  attempt: number
  /** Delay before the next attempt, while one is scheduled. */
  retryInMs?: number
  /** When the next attempt starts (epoch ms), while one is scheduled. */
  nextRetryAt?: number
  /** Why the last session ended or the last attempt failed. */
  error?: Error
  /** The endpoint of the current or last attempt. */
  url?: string
}

/** How to reach the router and how to behave when the connection drops. */
export interface ConnectionOptions extends ClientConfig {
  /** One endpoint, or several (a router cluster): each attempt moves to the next. */
  url?: string | string[]
  /** Opens one session; default `connect(url, config)`. Use it for `connectLocal` or a custom transport. */
  open?: (url: string | undefined, config: ClientConfig) => Promise<Client>
  /** Reconnection with backoff and full jitter; `false` turns it off. */
  reconnect?: ReconnectOptions | false
  /** The periodic round trip that finds a dead connection; `false` turns it off. */
  liveness?: LivenessOptions | false
}

const initialState: ConnectionState = { status: 'connecting', attempt: 0 }

/**
 * A long-lived connection to a router: reconnects with backoff, finds dead connections, and
 * replays every subscription and registration on each new session. Its state is an external
 * store (`getSnapshot`/`subscribe`) for `useSyncExternalStore`.
 */
export class Connection {
  readonly state = new Store<ConnectionState>(initialState)
  private client: Client | undefined
  private readonly subscriptions: SubscriptionRegistry
  private readonly registrations: RegistrationRegistry
  private readonly calls = new SharedCalls()
  private readonly liveness: Liveness
  private readonly logger: Logger
  private readonly endpoints: (string | undefined)[]
  private started = false
  private stopped = false
  private attempts = 0
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private holders = 0
  private pendingClose: { cancel(): void } | undefined
  private removeWakeups: (() => void) | undefined

  constructor(private readonly options: ConnectionOptions) {
    this.logger = options.logger ?? defaultLogger(options.debug === true)
    const urls = options.url === undefined ? [undefined] : Array.isArray(options.url) ? options.url : [options.url]
    if (urls.length === 0) throw new TypeError('createConnection: url must name at least one endpoint')
    this.endpoints = urls
    this.subscriptions = new SubscriptionRegistry(
      () => this.client,
      () => this.logger,
    )
    this.registrations = new RegistrationRegistry(
      () => this.client,
      () => this.logger,
    )
    this.liveness = new Liveness(options.liveness === false ? undefined : (options.liveness ?? {}))
  }

  /** The current state. */
  readonly getSnapshot = (): ConnectionState => this.state.getSnapshot()
  /** Listens to state changes; returns the unsubscribe function. */
  readonly subscribe = (listener: () => void): (() => void) => this.state.subscribe(listener)

  /** The open session, if any. */
  get session(): Client | undefined {
    return this.client?.isOpen ? this.client : undefined
  }

  /** Counts of the live tables (for tests and leak checks). */
  get stats(): { subscriptions: number; registrations: number; sharedCalls: number } {
    return {
      subscriptions: this.subscriptions.size,
      registrations: this.registrations.size,
      sharedCalls: this.calls.size,
    }
  }

  /** Starts connecting (idempotent). */
  start(): void {
    if (this.started || this.stopped) return
    this.started = true
    this.removeWakeups = listenForWakeups(() => this.retryNow())
    void this.attempt()
  }

  /** Ends the connection for good: GOODBYE to the router, no more attempts. */
  async close(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    clearTimeout(this.retryTimer)
    this.removeWakeups?.()
    this.liveness.stop()
    const client = this.client
    this.client = undefined
    this.subscriptions.suspend()
    this.registrations.suspend()
    this.state.set({ status: 'closed', attempt: 0, error: undefined })
    if (client?.isOpen) await client.close().catch(() => {})
  }

  /** For shared owners (React providers): start on the first hold, close a macrotask after the last. */
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

  /** Calls on the open session; rejects with ConnectionLostError when there is none (nothing is queued). */
  call(procedure: string, args?: Args, kwargs?: Kwargs, options?: CallOptions): Promise<Result> {
    const client = this.session
    if (!client) return Promise.reject(this.notOpen(`call ${procedure}`))
    return client.call(procedure, args, kwargs, options)
  }

  /** Publishes on the open session; rejects with ConnectionLostError when there is none. */
  publish(topic: string, args?: Args, kwargs?: Kwargs, options?: PublishOptions): Promise<void> {
    const client = this.session
    if (!client) return Promise.reject(this.notOpen(`publish to ${topic}`))
    return client.publish(topic, args, kwargs, options)
  }

  /** A subscription that survives reconnects; handlers of the same (topic, options) share it. */
  acquireSubscription(topic: string, handler: EventHandler, options?: SubscribeOptions): SubscriptionLease {
    return this.subscriptions.acquire(topic, handler, options)
  }

  /** A registration that survives reconnects. */
  acquireRegistration(procedure: string, handler: InvocationHandler, options?: RegisterOptions): RegistrationLease {
    return this.registrations.acquire(procedure, handler, options)
  }

  /** A call shared by everyone asking for `key` while it runs (see SharedCalls). */
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

  private notOpen(what: string): WampError {
    return this.stopped
      ? new ClientClosedError(`cannot ${what}: the connection is closed`)
      : new ConnectionLostError(`cannot ${what}: not connected (${this.state.getSnapshot().status})`)
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return
    this.attempts += 1
    const url = this.endpoints[(this.attempts - 1) % this.endpoints.length]
    const previous = this.state.getSnapshot()
    this.state.set({
      status: previous.status === 'connecting' ? 'connecting' : 'reconnecting',
      attempt: this.attempts,
      url,
      error: previous.error,
    })
    let client: Client
    try {
      client = await (this.options.open ?? openWithConnect)(url, this.options)
    } catch (error) {
      this.failed(error as Error)
      return
    }
    if (this.stopped) {
      await client.close().catch(() => {})
      return
    }
    this.opened(client, url)
  }

  private opened(client: Client, url: string | undefined): void {
    this.client = client
    this.attempts = 0
    this.state.set({ status: 'open', sessionId: client.id, attempt: 0, url })
    this.subscriptions.resume()
    this.registrations.resume()
    this.liveness.start(client)
    client.closed.then((info) => {
      if (this.client !== client) return
      this.client = undefined
      this.liveness.stop()
      this.subscriptions.suspend()
      this.registrations.suspend()
      if (this.stopped) return
      this.failed(info.error ?? new ConnectionLostError(`the session ended: ${info.reason}`), true)
    })
  }

  /** An attempt failed or a session ended: schedule the next attempt, or give up. */
  private failed(error: Error, sessionLost = false): void {
    if (this.stopped) return
    const reconnect = this.options.reconnect
    const authRefused = error instanceof WampError && error.code === 'authentication'
    const maxAttempts = reconnect === false ? 0 : (reconnect?.maxAttempts ?? Number.POSITIVE_INFINITY)
    if (reconnect === false || (authRefused && !reconnect?.retryOnAuthFailure) || this.attempts >= maxAttempts) {
      this.stopped = true
      this.removeWakeups?.()
      this.state.set({ status: 'closed', attempt: this.attempts, error })
      return
    }
    // A session that was open comes back at once on the first try; later tries back off.
    const delay = sessionLost ? 0 : retryDelay(this.attempts, reconnect ?? {})
    this.logger.debug(`reconnecting in ${delay} ms`, error)
    this.state.set({
      status: 'reconnecting',
      attempt: this.attempts,
      retryInMs: delay,
      nextRetryAt: Date.now() + delay,
      error,
      url: this.state.getSnapshot().url,
    })
    clearTimeout(this.retryTimer)
    this.retryTimer = startTimer(() => void this.attempt(), delay)
  }

  /** The browser came back online or the page became visible: skip the wait. */
  private retryNow(): void {
    if (this.stopped || this.state.getSnapshot().status !== 'reconnecting' || this.retryTimer === undefined) return
    clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    void this.attempt()
  }
}

function openWithConnect(url: string | undefined, config: ClientConfig): Promise<Client> {
  if (url === undefined) return Promise.reject(new TypeError('createConnection: give `url` or `open`'))
  return connect(url, config)
}

/** In browsers, `online` and page visibility trigger an immediate attempt. */
function listenForWakeups(wake: () => void): (() => void) | undefined {
  const target = globalThis as {
    addEventListener?: Window['addEventListener']
    removeEventListener?: Window['removeEventListener']
    document?: Document
  }
  if (typeof target.addEventListener !== 'function' || !target.document) return undefined
  const onVisible = () => {
    if (target.document?.visibilityState === 'visible') wake()
  }
  target.addEventListener('online', wake)
  target.document.addEventListener('visibilitychange', onVisible)
  return () => {
    target.removeEventListener?.('online', wake)
    target.document?.removeEventListener('visibilitychange', onVisible)
  }
}

/** Creates a connection; call `start()` (or `retain()`) to connect. */
export function createConnection(options: ConnectionOptions): Connection {
  return new Connection(options)
}
