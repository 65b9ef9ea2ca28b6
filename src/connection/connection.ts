import type { AuthMethod } from '../auth/auth-method.js'
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
  MessageTap,
  PublishOptions,
  RegisterOptions,
  Result,
  SubscribeOptions,
} from '../client/types.js'
import { ClientClosedError, ConnectionLostError } from '../protocol/errors.js'
import type { HistoryOptions } from './backfill.js'
import { type ReconnectOptions, retryDelay } from './backoff.js'
import { type Effect, initialMachine, type LifecycleEvent, type Machine, type RetryPolicy, step } from './lifecycle.js'
import { Liveness, type LivenessOptions } from './liveness.js'
import { type RegistrationLease, RegistrationRegistry } from './registrations.js'
import { releaseLater } from './release-later.js'
import { SessionWaiters } from './session-waiters.js'
import { type CallAbout, type CallLease, SharedCalls } from './shared-calls.js'
import { Store } from './store.js'
import { type SubscriptionLease, SubscriptionRegistry } from './subscriptions.js'
import { listenForWakeups } from './wakeups.js'

/** The connection's state, as one immutable snapshot. */
export interface ConnectionState {
  /**
   * `idle` until `start()`; `connecting` during the first attempts; `open` with a session;
   * `reconnecting` after a failed attempt or a lost session (waiting `retryInMs`, or trying);
   * `closed` for good, after `close()` or when reconnection gave up (`error` says why).
   */
  status: 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'
  /** The current session's ID while open. */
  sessionId?: number
  /** The number of the attempt in flight, or of failed attempts while waiting; 0 while open. */
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

/** Authentication methods, or a function that gives them before every attempt (a fresh token each time). */
export type AuthOption = AuthMethod[] | (() => AuthMethod[] | Promise<AuthMethod[]>)

/** How to reach the router and how to behave when the connection drops. */
export interface ConnectionOptions extends Omit<ClientConfig, 'auth' | 'tap'> {
  /** One endpoint, or several (a router cluster): each attempt moves to the next. */
  url?: string | string[]
  /** Authentication methods in order of preference, or a function called before every attempt. */
  auth?: AuthOption
  /** Opens one session; default `connect(url, config)`. Use it for `connectLocal` or a custom transport. */
  open?: (url: string | undefined, config: ClientConfig) => Promise<Client>
  /** Reconnection with backoff and full jitter; `false` turns it off. */
  reconnect?: ReconnectOptions | false
  /** The periodic round trip that finds a dead connection; `false` turns it off. */
  liveness?: LivenessOptions | false
  /**
   * How long `call` and `publish` wait for a session while the connection is not open, in ms.
   * Default 10 000; 0 fails at once. A call waits and goes out once; it is never sent twice.
   */
  waitForSession?: number
}

/**
 * A long-lived connection to a router: reconnects with backoff, finds dead connections, and
 * replays every subscription and registration on each new session. Its lifecycle is the state
 * machine of `lifecycle.ts`; its state is an external store (`getSnapshot`/`subscribe`) for
 * `useSyncExternalStore`.
 */
export class Connection {
  readonly state: Store<ConnectionState>
  private machine: Machine = initialMachine
  private client: Client | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  private nextRetryAt: number | undefined
  private url: string | undefined
  private attempts = 0
  private readonly inFlight = new Set<Promise<void>>()
  private readonly closing = new Set<Promise<void>>()
  private readonly queue: LifecycleEvent[] = []
  private stepping = false
  private readonly waiters = new SessionWaiters()
  private readonly liveness: Liveness
  private readonly endpoints: (string | undefined)[]
  private holders = 0
  private pendingClose: { cancel(): void } | undefined
  private removeWakeups: (() => void) | undefined
  private options: ConnectionOptions
  /**
   * @internal The tap each new session gets (`observeConnection` sets it, and the open session's):
   * undefined while nobody observes, so sessions pay one check per message.
   */
  tap: MessageTap | undefined
  /** @internal Set with `tap`: lists the calls made through `call()` while someone inspects. */
  watchCall:
    | ((
        about: CallAbout,
        options: CallOptions | undefined,
        send: (options?: CallOptions) => Promise<Result>,
      ) => Promise<Result>)
    | undefined
  /** @internal For `inspectConnection`. */
  readonly subscriptions: SubscriptionRegistry
  /** @internal For `inspectConnection`. */
  readonly registrations: RegistrationRegistry
  /** @internal For `inspectConnection`. */
  readonly calls: SharedCalls

  constructor(options: ConnectionOptions) {
    this.options = options
    const urls = options.url === undefined ? [undefined] : Array.isArray(options.url) ? options.url : [options.url]
    if (urls.length === 0) throw new TypeError('createConnection: url must name at least one endpoint')
    this.endpoints = urls
    const report = (what: string) => (error: unknown) => this.logger.error(`${what} threw`, error)
    this.state = new Store<ConnectionState>({ status: 'idle', attempt: 0 }, report('a connection state listener'))
    const host = {
      client: () => this.client,
      logger: () => this.logger,
      retry: () => this.options.reconnect || {},
    }
    this.subscriptions = new SubscriptionRegistry(host)
    this.registrations = new RegistrationRegistry(host)
    this.calls = new SharedCalls(report('a progress listener of a shared call'))
    this.liveness = new Liveness(() => (this.options.liveness === false ? undefined : (this.options.liveness ?? {})))
  }

  /** @internal Where the connection reports what it cannot throw. */
  get logger(): Logger {
    return this.options.logger ?? defaultLogger(this.options.debug === true)
  }

  /** The current state. */
  readonly getSnapshot = (): ConnectionState => this.state.getSnapshot()
  /** Listens to state changes; returns the unsubscribe function. A listener that throws is logged and skipped. */
  readonly subscribe = (listener: () => void): (() => void) => this.state.subscribe(listener)

  /** The open session, if any. */
  get session(): Client | undefined {
    return this.client?.isOpen ? this.client : undefined
  }

  /** Counts of the live tables and of what is still running (for tests and leak checks). */
  get stats(): {
    subscriptions: number
    registrations: number
    sharedCalls: number
    attemptsInFlight: number
    timers: number
    waiters: number
  } {
    return {
      subscriptions: this.subscriptions.size,
      registrations: this.registrations.size,
      sharedCalls: this.calls.size,
      attemptsInFlight: this.inFlight.size,
      timers: (this.timer === undefined ? 0 : 1) + this.subscriptions.timers + this.registrations.timers,
      waiters: this.waiters.size,
    }
  }

  /** The lifecycle's phase (`waiting` is the backoff before a reconnect attempt), for tests and devtools. */
  get phase(): Machine['phase'] {
    return this.machine.phase
  }

  /**
   * Options read at each attempt (auth, reconnect, liveness timing of later sessions, logger, …)
   * take effect from the next attempt. The endpoints cannot change: make a new connection.
   */
  configure(options: Omit<ConnectionOptions, 'url'>): void {
    this.options = { ...options, url: this.options.url }
  }

  /** Starts connecting (idempotent; nothing after `close()`). */
  start(): void {
    if (this.machine.phase !== 'idle') return
    this.removeWakeups = listenForWakeups(() => this.dispatch({ type: 'wake' }))
    this.dispatch({ type: 'start' })
  }

  /**
   * Ends the connection for good, whatever it is doing: GOODBYE to the router, no more attempts.
   * Resolves when every session it opened is closed and no timer or listener is left.
   */
  async close(): Promise<void> {
    this.dispatch({ type: 'close' })
    // Called from a state listener, the close event runs once the current one is done: after this tick.
    await null
    while (this.inFlight.size > 0 || this.closing.size > 0) {
      await Promise.all([...this.inFlight, ...this.closing])
    }
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

  /** Calls on the open session, waiting up to `waitForSession` for one while reconnecting. */
  async call(procedure: string, args?: Args | Uint8Array, kwargs?: Kwargs, options?: CallOptions): Promise<Result> {
    const watch = this.watchCall
    // No closure unless someone inspects: a call costs one check more than before the devtools.
    if (!watch) return this.send(procedure, args, kwargs, options)
    return watch({ procedure, args, kwargs }, options, (sent) => this.send(procedure, args, kwargs, sent))
  }

  private async send(procedure: string, args?: Args | Uint8Array, kwargs?: Kwargs, options?: CallOptions) {
    const client = await this.nextSession(`call ${procedure}`, options?.signal)
    return client.call(procedure, args, kwargs, options)
  }

  /**
   * Publishes on the open session, waiting up to `waitForSession` for one while reconnecting.
   * Resolves with the publication ID when `acknowledge: true`, else with undefined once sent.
   * `args` may be Autobahn's transparent payload (a Uint8Array), as in `Client.publish`.
   */
  async publish(
    topic: string,
    args?: Args | Uint8Array,
    kwargs?: Kwargs,
    options?: PublishOptions,
  ): Promise<number | undefined> {
    const client = await this.nextSession(`publish to ${topic}`)
    return client.publish(topic, args, kwargs, options)
  }

  /**
   * A subscription that survives reconnects; holders of the same (topic, options, history) share it.
   * `history` starts it with the router's stored events and/or fills the gap of every reconnect
   * (see HistoryOptions); its status then carries `completeness`.
   */
  acquireSubscription(
    topic: string,
    handler: EventHandler,
    options?: SubscribeOptions,
    history?: HistoryOptions,
  ): SubscriptionLease {
    return this.subscriptions.acquire(topic, handler, options, history)
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
        this.send(procedure, args, kwargs, { ...options, signal, onProgress: onProgress ? progress : undefined }),
      onProgress,
      { procedure, args, kwargs },
    )
  }

  private nextSession(what: string, signal?: AbortSignal): Promise<Client> {
    const client = this.session
    if (client) return Promise.resolve(client)
    if (this.machine.phase === 'closed') {
      return Promise.reject(new ClientClosedError(`cannot ${what}: the connection is closed`))
    }
    const wait = this.options.waitForSession ?? 10_000
    return this.waiters.wait(what, wait, this.state.getSnapshot().status, signal)
  }

  /** Runs one event through the machine, then its effects; events raised meanwhile wait their turn. */
  private dispatch(event: LifecycleEvent): void {
    this.queue.push(event)
    if (this.stepping) return
    this.stepping = true
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        const before = this.machine.phase
        const { machine, effects } = step(this.machine, next, this.policy())
        this.machine = machine
        for (const effect of effects) this.run(effect)
        if (machine.phase === 'closed' && before !== 'closed') this.ended()
        this.publishState()
      }
    } finally {
      this.stepping = false
    }
  }

  private run(effect: Effect): void {
    switch (effect.type) {
      case 'open-attempt':
        this.openAttempt(effect.token)
        break
      case 'adopt':
        this.adopt(effect.client)
        break
      case 'discard':
        this.track(effect.client.close().catch(() => {}))
        break
      case 'end-session':
        this.endSession()
        break
      case 'arm-timer':
        this.nextRetryAt = Date.now() + effect.delay
        this.timer = startTimer(() => {
          this.timer = undefined
          this.dispatch({ type: 'timer', token: effect.token })
        }, effect.delay)
        break
      case 'clear-timer':
        clearTimeout(this.timer)
        this.timer = undefined
        break
      case 'probe':
        this.liveness.probeNow()
        break
    }
  }

  private openAttempt(token: number): void {
    const url = this.endpoints[this.attempts % this.endpoints.length]
    this.attempts += 1
    this.url = url
    const attempt = (async () => {
      const { auth, ...rest } = this.options
      const config: ClientConfig = {
        ...rest,
        auth: typeof auth === 'function' ? await auth() : auth,
        tap: this.tap,
      }
      return (this.options.open ?? openWithConnect)(url, config)
    })()
    const settled = attempt.then(
      (client) => this.dispatch({ type: 'attempt-opened', token, client, at: Date.now() }),
      (error: unknown) => this.dispatch({ type: 'attempt-failed', token, error: asError(error) }),
    )
    this.inFlight.add(settled)
    void settled.finally(() => this.inFlight.delete(settled))
  }

  private adopt(client: Client): void {
    this.client = client
    client.tap = this.tap
    const token = this.machine.token
    this.subscriptions.resume()
    this.registrations.resume()
    this.liveness.start(client)
    this.waiters.open(client)
    client.closed.then((info) => {
      const error = info.error ?? new ConnectionLostError(`the session ended: ${info.reason}`)
      this.dispatch({ type: 'session-lost', token, error, at: Date.now() })
    })
  }

  private endSession(): void {
    const client = this.client
    this.client = undefined
    this.liveness.stop()
    this.subscriptions.suspend()
    this.registrations.suspend()
    if (client?.isOpen) this.track(client.close().catch(() => {}))
  }

  /** Entered `closed`: nothing may be left running but what `close()` awaits. */
  private ended(): void {
    this.removeWakeups?.()
    this.removeWakeups = undefined
    this.liveness.stop()
    this.subscriptions.suspend()
    this.registrations.suspend()
    const error = this.machine.error
    this.waiters.close((what) =>
      error
        ? new ConnectionLostError(`cannot ${what}: the connection gave up (${error.message})`, { cause: error })
        : new ClientClosedError(`cannot ${what}: the connection is closed`),
    )
  }

  private track(closing: Promise<void>): void {
    this.closing.add(closing)
    void closing.finally(() => this.closing.delete(closing))
  }

  private policy(): RetryPolicy {
    const reconnect = this.options.reconnect
    const timing = reconnect || {}
    return {
      reconnect: reconnect !== false,
      maxAttempts: timing.maxAttempts ?? Number.POSITIVE_INFINITY,
      retryOnAuthFailure: timing.retryOnAuthFailure === true,
      stableAfter: timing.stableAfter ?? 10_000,
      delay: (failures) => retryDelay(failures, timing),
    }
  }

  private publishState(): void {
    this.state.set(this.snapshot())
  }

  /** The public state of the machine: `waiting` and a reconnect attempt both read `reconnecting`. */
  private snapshot(): ConnectionState {
    const { phase, failures, everOpen, error } = this.machine
    const url = this.url
    switch (phase) {
      case 'idle':
        return { status: 'idle', attempt: 0 }
      case 'connecting':
        return { status: everOpen || failures > 0 ? 'reconnecting' : 'connecting', attempt: failures + 1, error, url }
      case 'open':
        return { status: 'open', sessionId: this.client?.id, attempt: 0, url }
      case 'waiting':
        return {
          status: 'reconnecting',
          attempt: failures,
          retryInMs: this.machine.delay,
          nextRetryAt: this.nextRetryAt,
          error,
          url,
        }
      case 'closed':
        return { status: 'closed', attempt: failures, error, url }
    }
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value))
}

function openWithConnect(url: string | undefined, config: ClientConfig): Promise<Client> {
  if (url === undefined) return Promise.reject(new TypeError('createConnection: give `url` or `open`'))
  return connect(url, config)
}

/** Creates a connection; call `start()` (or `retain()`) to connect. */
export function createConnection(options: ConnectionOptions): Connection {
  return new Connection(options)
}
