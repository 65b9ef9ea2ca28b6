import { defaultLogger, type Logger } from '../client/logger.js'
import type { Invocation, InvokeResult } from '../client/types.js'
import { type Connection, type ConnectionOptions, createConnection } from '../connection/connection.js'
import { RPCError } from '../protocol/errors.js'
import type { Dict } from '../protocol/messages.js'
import { HubAuth } from './hub-auth.js'
import { HubRegistrations } from './hub-registrations.js'
import { HubTab, plain } from './hub-tab.js'
import {
  readTabMessage,
  type SharedOptions,
  type TabMessage,
  type WireLeaseStatus,
  type WireState,
} from './messages.js'
import type { TabPort } from './port.js'
import { defined, fromWireError, toWireError } from './wire-error.js'

/** What the hub needs beyond the tabs' options. */
export interface HubOptions {
  /** Opens one session (default: `connect`); tests pass `connectLocal`. */
  open?: ConnectionOptions['open']
  logger?: Logger
  /** Called once the last tab left and the session is being closed. */
  onEmpty?: () => void
}

/** Keys a tab's local options could carry that must never reach the router. */
const LOCAL_CALL_OPTIONS = ['signal', 'onProgress']

/**
 * The one holder of the real `Connection` for every tab of a site that asks for the same router,
 * realm and identity. It multiplexes: a subscription is made once on the router however many tabs
 * hold it (the Connection's leases are shared per (topic, options)) and each event is posted once
 * to each holding tab; a registration is answered by the tab that made it; calls and publishes go
 * out for any tab, with cancellation; the connection's state goes to every tab. What a tab posts
 * is checked first; a message that does not fit is dropped with a logged reason.
 *
 * Once its last tab has left, a hub is spent (its session closes); `TabHubs` makes a new one for the
 * next tab.
 */
export class TabHub {
  readonly connection: Connection
  readonly id = `hub-${Math.random().toString(36).slice(2)}`
  private readonly tabs = new Map<string, HubTab>()
  private readonly auth: HubAuth
  private readonly registrations: HubRegistrations
  private readonly logger: Logger
  private release: (() => void) | undefined
  private nextInvocation = 1
  private readonly unlistenState: () => void

  constructor(
    options: SharedOptions,
    private readonly hub: HubOptions = {},
  ) {
    this.logger = hub.logger ?? defaultLogger(options.debug === true)
    this.auth = new HubAuth(() => this.tabs.values())
    const { serialization, reconnect, liveness, ...rest } = options
    this.connection = createConnection({
      ...rest,
      ...(serialization ? { serialization: serialization as 'json' } : {}),
      ...(reconnect !== undefined ? { reconnect } : {}),
      ...(liveness !== undefined ? { liveness } : {}),
      auth: () => this.auth.methods(),
      logger: this.logger,
      open: hub.open,
    })
    this.registrations = new HubRegistrations(this.connection, (tab, lease, invocation) =>
      this.forward(tab, lease, invocation),
    )
    this.unlistenState = this.connection.subscribe(() => this.broadcastState())
  }

  /** Counts for tests and leak checks. */
  get stats(): { tabs: number; calls: number; invocations: number; registrationClaims: number; authPending: number } {
    let calls = 0
    let invocations = 0
    for (const tab of this.tabs.values()) {
      calls += tab.calls.size
      invocations += tab.invocations.size
    }
    return {
      tabs: this.tabs.size,
      calls,
      invocations,
      registrationClaims: this.registrations.size,
      authPending: this.auth.size,
    }
  }

  /** The ID of the tab that answers `procedure` now (for tests). */
  registrationHolder(procedure: string): string | undefined {
    return this.registrations.holder(procedure)?.id
  }

  /** The tab IDs attached now. */
  get tabIds(): string[] {
    return [...this.tabs.keys()]
  }

  /** Takes over a port whose `hello` was read; a tab that says hello again replaces its old port. */
  attach(port: TabPort, hello: Extract<TabMessage, { t: 'hello' }>): void {
    const old = this.tabs.get(hello.tab)
    const tab = new HubTab(hello.tab, hello.hasAuth, port, this.logger)
    this.tabs.set(tab.id, tab)
    if (old) this.drop(old)
    tab.unlisten = port.listen((raw) => this.receive(tab, raw))
    tab.post({ t: 'welcome', hub: this.id })
    tab.post({ t: 'state', state: wireState(this.connection) })
    this.release ??= this.connection.retain()
  }

  /** The tab left (bye, its lock was freed, or its port closed): everything it held goes with it. */
  detach(tabId: string): void {
    const tab = this.tabs.get(tabId)
    if (!tab) return
    this.tabs.delete(tabId)
    this.drop(tab)
  }

  private drop(tab: HubTab): void {
    const tabId = tab.id
    tab.close()
    for (const { lease, unlisten } of tab.subscriptions.values()) {
      unlisten()
      lease.release()
    }
    tab.subscriptions.clear()
    for (const lease of [...tab.registrations.keys()]) this.registrations.drop(tab, lease)
    for (const controller of tab.calls.values()) controller.abort(new Error(`tab ${tabId} closed`))
    tab.calls.clear()
    for (const invocation of tab.invocations.values()) {
      invocation.done()
      invocation.reject(new RPCError('wamp.error.canceled', [`the tab answering this call closed`]))
    }
    tab.invocations.clear()
    this.auth.forget(tab)
    if (this.tabs.size === 0) {
      this.release?.()
      this.release = undefined
      this.hub.onEmpty?.()
    }
  }

  /** Ends the hub: every tab is let go and the session closed. */
  async close(): Promise<void> {
    for (const id of [...this.tabs.keys()]) this.detach(id)
    this.unlistenState()
    await this.connection.close()
  }

  private receive(tab: HubTab, raw: unknown): void {
    if (this.tabs.get(tab.id) !== tab) return
    const read = readTabMessage(raw)
    if (!read.ok) {
      this.logger.warn(`dropped a message from tab ${tab.id}: ${read.reason}`)
      return
    }
    const message = read.message
    switch (message.t) {
      case 'hello':
        this.logger.warn(`dropped a message from tab ${tab.id}: hello on a port that already said hello`)
        return
      case 'bye':
        this.detach(tab.id)
        return
      case 'sub':
        this.subscribe(tab, message)
        return
      case 'unsub': {
        const held = tab.subscriptions.get(message.lease)
        if (!held) {
          this.unknown(tab, 'unsub', message.lease)
          return
        }
        tab.subscriptions.delete(message.lease)
        held.unlisten()
        held.lease.release()
        return
      }
      case 'reg':
        if (tab.registrations.has(message.lease)) {
          this.unknown(tab, 'reg (again)', message.lease)
          return
        }
        this.registrations.claim(tab, message.lease, message.procedure, message.options)
        return
      case 'unreg':
        if (!tab.registrations.has(message.lease)) {
          this.unknown(tab, 'unreg', message.lease)
          return
        }
        this.registrations.drop(tab, message.lease)
        return
      case 'call':
        this.call(tab, message)
        return
      case 'cancel':
        tab.calls.get(message.id)?.abort(new Error('cancelled in its tab'))
        return
      case 'publish':
        this.connection.publish(message.topic, message.args as never, message.kwargs, message.options).then(
          (value) => tab.post({ t: 'reply', id: message.id, ok: true, value }),
          (error: unknown) => tab.post({ t: 'reply', id: message.id, ok: false, error: toWireError(error) }),
        )
        return
      case 'yield':
      case 'inv-error':
      case 'inv-progress':
        this.answerInvocation(tab, message)
        return
      case 'auth-methods':
        if (!this.auth.answer(tab, message.id, message.methods ?? [], message.error))
          this.unknown(tab, message.t, message.id)
        return
      case 'auth-response':
        if (
          !this.auth.answer(
            tab,
            message.id,
            defined({ signature: message.signature, extra: message.extra }),
            message.error,
          )
        ) {
          this.unknown(tab, message.t, message.id)
        }
        return
    }
  }

  private unknown(tab: HubTab, what: string, id: number): void {
    this.logger.warn(`dropped a message from tab ${tab.id}: ${what} names ${id}, which it does not hold`)
  }

  /**
   * One hub lease per tab lease, on the Connection's shared (topic, options, history) entry: tabs
   * asking for the same history share one stream and its completeness (a later one gets no `last` again).
   */
  private subscribe(tab: HubTab, { lease: leaseId, topic, options, history }: Extract<TabMessage, { t: 'sub' }>): void {
    if (tab.subscriptions.has(leaseId)) {
      this.unknown(tab, 'sub (again)', leaseId)
      return
    }
    const lease = this.connection.acquireSubscription(
      topic,
      (event) => {
        tab.post({ t: 'event', lease: leaseId, event: plain(event) })
      },
      options,
      history,
    )
    const sync = () => {
      const { error, ...rest } = lease.status.getSnapshot()
      const status: WireLeaseStatus = { ...rest, ...(error ? { error: toWireError(error) } : {}) }
      tab.post({ t: 'sub-status', lease: leaseId, status })
    }
    tab.subscriptions.set(leaseId, { lease, unlisten: lease.status.subscribe(sync) })
    sync()
  }

  private call(tab: HubTab, message: Extract<TabMessage, { t: 'call' }>): void {
    if (tab.calls.has(message.id)) {
      this.unknown(tab, 'call (again)', message.id)
      return
    }
    const controller = new AbortController()
    tab.calls.set(message.id, controller)
    const options: Dict = { ...message.options }
    for (const key of LOCAL_CALL_OPTIONS) delete options[key]
    const onProgress = message.progress
      ? (result: object) => tab.post({ t: 'progress', id: message.id, result: plain(result as Dict) })
      : undefined
    this.connection
      .call(message.procedure, message.args as never, message.kwargs, {
        ...options,
        signal: controller.signal,
        onProgress,
      })
      .then(
        (result) => tab.post({ t: 'reply', id: message.id, ok: true, value: plain(result) }),
        (error: unknown) => tab.post({ t: 'reply', id: message.id, ok: false, error: toWireError(error) }),
      )
      .finally(() => tab.calls.delete(message.id))
  }

  /** Runs an INVOCATION in the tab that registered: INTERRUPT becomes an `interrupt` message. */
  private forward(tab: HubTab, lease: number, invocation: Invocation): Promise<InvokeResult> {
    if (this.tabs.get(tab.id) !== tab) {
      return Promise.reject(new RPCError('wamp.error.canceled', ['the tab answering this call closed']))
    }
    const inv = this.nextInvocation++
    return new Promise<InvokeResult>((resolve, reject) => {
      const onAbort = () => {
        const reason = invocation.signal.reason
        tab.post({ t: 'interrupt', inv, reason: reason instanceof Error ? reason.message : String(reason) })
      }
      invocation.signal.addEventListener('abort', onAbort, { once: true })
      tab.invocations.set(inv, {
        resolve,
        reject,
        progress: (args, kwargs) => invocation.progress(args, kwargs),
        done: () => invocation.signal.removeEventListener('abort', onAbort),
      })
      tab.post({
        t: 'invoke',
        lease,
        inv,
        procedure: invocation.procedure,
        args: invocation.args,
        kwargs: invocation.kwargs,
        details: invocation.details,
        ...(invocation.payload ? { payload: invocation.payload } : {}),
      })
    })
  }

  private answerInvocation(
    tab: HubTab,
    message: Extract<TabMessage, { t: 'yield' | 'inv-error' | 'inv-progress' }>,
  ): void {
    const pending = tab.invocations.get(message.inv)
    if (!pending) {
      this.unknown(tab, message.t, message.inv)
      return
    }
    if (message.t === 'inv-progress') {
      try {
        pending.progress(message.args, message.kwargs)
      } catch (error) {
        this.logger.warn(`dropped a progressive result from tab ${tab.id}`, error)
      }
      return
    }
    tab.invocations.delete(message.inv)
    pending.done()
    if (message.t === 'inv-error') pending.reject(fromWireError(message.error))
    else if (message.payload) pending.resolve({ payload: message.payload, options: message.options })
    else pending.resolve({ args: message.args, kwargs: message.kwargs })
  }

  private broadcastState(): void {
    const state = wireState(this.connection)
    for (const tab of this.tabs.values()) tab.post({ t: 'state', state })
  }
}

function wireState(connection: Connection): WireState {
  const { error, ...rest } = connection.getSnapshot()
  return defined({ ...rest, ...(error ? { error: toWireError(error) } : {}) })
}
