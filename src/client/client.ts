import { CloseReason, ErrorUri } from '../protocol/error-uris.js'
import {
  AuthenticationError,
  ClientClosedError,
  ConnectionLostError,
  InvalidArgumentError,
  ProtocolViolationError,
  ResponseTimeoutError,
  RouterAbortError,
  SessionClosedError,
} from '../protocol/errors.js'
import { clientRoles, routerHasFeature } from '../protocol/features.js'
import { RequestIds } from '../protocol/ids.js'
import { MessageType, messageName } from '../protocol/message-types.js'
import type { Dict, ErrorMessage, RouterToClientMessage } from '../protocol/messages.js'
import { isValidUri } from '../protocol/uri.js'
import { validateInbound } from '../protocol/validate.js'
import type { Transport, TransportCloseInfo } from '../transports/transport.js'
import type { Authentication } from './authentication.js'
import type { Callee } from './callee.js'
import { Caller } from './caller.js'
import { describeMessage } from './debug-format.js'
import { defaultLogger, type Logger } from './logger.js'
import { rpcErrorOf } from './payload.js'
import { Publisher } from './publisher.js'
import { RequestTable } from './request-table.js'
import type { RequestHooks, SessionPort } from './session-port.js'
import { Subscriber } from './subscriber.js'
import { startTimer } from './timer.js'
import type {
  AcknowledgedPublish,
  Args,
  CallOptions,
  ClientConfig,
  CloseInfo,
  EventHandler,
  InvocationHandler,
  Kwargs,
  MessageTap,
  ProgressiveCall,
  ProgressiveResult,
  PublishOptions,
  RegisterOptions,
  Registration,
  Result,
  SubscribeOptions,
  Subscription,
} from './types.js'

type State = 'joining' | 'open' | 'closing' | 'closed'

/** The success reply expected for each request type. */
const replyTo: Record<number, number> = {
  [MessageType.PUBLISHED]: MessageType.PUBLISH,
  [MessageType.SUBSCRIBED]: MessageType.SUBSCRIBE,
  [MessageType.UNSUBSCRIBED]: MessageType.UNSUBSCRIBE,
  [MessageType.RESULT]: MessageType.CALL,
  [MessageType.REGISTERED]: MessageType.REGISTER,
  [MessageType.UNREGISTERED]: MessageType.UNREGISTER,
}

const AGENT = 'react-wamp'

/**
 * One WAMP session on one transport. It does not reconnect: watch `closed` (or use
 * `createConnection`) for that. Create it with `connect`, `connectLocal` or `createClient`.
 */
export class Client {
  /** The session ID the router assigned. */
  id = 0
  /** WELCOME.Details: the router's roles and features, authid, authrole, … */
  realmDetails: Dict = {}
  /** Resolves once when the session has ended, with why. Never rejects. */
  readonly closed: Promise<CloseInfo>

  private state: State = 'joining'
  private readonly ids = new RequestIds()
  private readonly requests = new RequestTable()
  private readonly logger: Logger
  private readonly debug: boolean
  private readonly responseTimeout: number
  private readonly caller: Caller
  // Loaded on the first register(): apps that only call and subscribe never download it.
  private callee: Callee | undefined
  private calleeLoad: Promise<Callee> | undefined
  private readonly sessionPort: SessionPort
  private readonly publisher: Publisher
  private readonly subscriber: Subscriber
  private resolveClosed!: (info: CloseInfo) => void
  private joinStep: ((message: RouterToClientMessage) => void) | undefined
  private goodbyeEcho: (() => void) | undefined
  // Loaded only when the config lists auth methods.
  private authentication: Authentication | undefined
  /** @internal The message tap (`config.tap`; Connection moves its observers here). undefined: one check per message. */
  tap: MessageTap | undefined

  /** @internal Use `createClient(transport, config)`. */
  constructor(
    private readonly transport: Transport,
    private readonly config: ClientConfig,
  ) {
    this.logger = config.logger ?? defaultLogger(config.debug === true)
    this.debug = config.debug === true
    this.responseTimeout = config.responseTimeout ?? 5000
    this.tap = config.tap
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve
    })
    const port = this.port()
    this.sessionPort = port
    this.caller = new Caller(port)
    this.publisher = new Publisher(port)
    this.subscriber = new Subscriber(port)
    transport.listen({
      message: (message) => this.receive(message),
      error: (error) => this.violation(error.message),
    })
    transport.closed.then((info) => this.transportClosed(info))
  }

  /** True while the session is established. */
  get isOpen(): boolean {
    return this.state === 'open'
  }

  /** True when the router announced `feature` for its `broker` or `dealer` role. */
  hasFeature(role: 'broker' | 'dealer', feature: string): boolean {
    return routerHasFeature(this.realmDetails, role, feature)
  }

  /**
   * Calls a procedure. Rejects with RPCError when the callee or router answers with ERROR,
   * with an `AbortError` when `options.signal` aborts. `args` may be a `Uint8Array`: Autobahn's
   * transparent payload, sent in place of Arguments (described by `enc_algo` in the options; no kwargs).
   */
  call(procedure: string, args?: Args | Uint8Array, kwargs?: Kwargs, options?: CallOptions): Promise<Result> {
    return this.caller.call(procedure, args, kwargs, options)
  }

  /**
   * Calls a procedure and iterates over its progressive results, then the final one
   * (`final: true`). Leaving the loop early cancels the call.
   *
   * @example
   * for await (const chunk of client.callProgress('com.example.export')) console.log(chunk.args, chunk.final)
   */
  async *callProgress(
    procedure: string,
    args?: Args,
    kwargs?: Kwargs,
    options: CallOptions = {},
  ): AsyncGenerator<ProgressiveResult, void, undefined> {
    // Loaded on demand: most apps take progress through `onProgress` or never at all.
    const { progressResults } = await import('./progress-results.js')
    yield* progressResults((callOptions) => this.call(procedure, args, kwargs, callOptions), options)
  }

  /**
   * Starts a call whose input goes out in chunks (progressive call invocations; the router
   * must announce `progressive_call_invocations`).
   *
   * @example
   * const upload = client.callProgressive('com.example.upload')
   * upload.send([chunk1]); upload.send([chunk2])
   * const { args } = await upload.end([lastChunk])
   */
  callProgressive(procedure: string, options?: CallOptions): ProgressiveCall {
    return this.caller.stream(procedure, options)
  }

  /** Registers a procedure; the handler's return value (or thrown RPCError) answers each call. */
  async register(procedure: string, handler: InvocationHandler, options?: RegisterOptions): Promise<Registration> {
    return (await this.loadCallee()).register(procedure, handler, options)
  }

  /** Unregisters the procedure registered under this URI. */
  async unregister(procedure: string): Promise<void> {
    return (await this.loadCallee()).unregisterProcedure(procedure)
  }

  private loadCallee(): Promise<Callee> {
    this.calleeLoad ??= import('./callee.js').then(({ Callee }) => {
      this.callee = new Callee(this.sessionPort)
      return this.callee
    })
    return this.calleeLoad
  }

  /**
   * Subscribes a handler. Handlers of the same topic and options share one router
   * subscription: one SUBSCRIBE on the wire, one UNSUBSCRIBE after the last leaves.
   */
  subscribe(topic: string, handler: EventHandler, options?: SubscribeOptions): Promise<Subscription> {
    return this.subscriber.subscribe(topic, handler, options)
  }

  /** Removes every handler of this topic and ends the router subscription(s). */
  unsubscribe(topic: string): Promise<void> {
    return this.subscriber.unsubscribeTopic(topic)
  }

  /**
   * Publishes an event. With `acknowledge: true` it waits for the broker and resolves with the
   * publication ID from PUBLISHED (the `publication` subscribers see in their Event, and the key
   * of event history), or rejects with RPCError on ERROR. Without it, it resolves with undefined
   * once the PUBLISH is sent. `args` may be a `Uint8Array`: Autobahn's transparent payload, sent in
   * place of Arguments (describe it with `enc_algo`/`enc_serializer` in the options; no kwargs).
   */
  publish(
    topic: string,
    args: Args | Uint8Array | undefined,
    kwargs: Kwargs | undefined,
    options: AcknowledgedPublish,
  ): Promise<number>
  publish(
    topic: string,
    args?: Args | Uint8Array,
    kwargs?: Kwargs,
    options?: PublishOptions,
  ): Promise<number | undefined>
  publish(
    topic: string,
    args?: Args | Uint8Array,
    kwargs?: Kwargs,
    options?: PublishOptions,
  ): Promise<number | undefined> {
    return this.publisher.publish(topic, args, kwargs, options)
  }

  /** The router's registration ID for a procedure this client registered. */
  registrationId(procedure: string): number | undefined {
    return this.callee?.registrationId(procedure)
  }

  /** The router's subscription ID for a topic this client subscribed. */
  subscriptionId(topic: string): number | undefined {
    return this.subscriber.subscriptionId(topic)
  }

  /** Counts of the client's internal tables (for tests and leak checks). */
  get stats(): { pendingRequests: number; activeInvocations: number; subscriptions: number; registrations: number } {
    return {
      pendingRequests: this.requests.size,
      activeInvocations: this.callee?.activeCount ?? 0,
      subscriptions: this.subscriber.count,
      registrations: this.callee?.count ?? 0,
    }
  }

  /**
   * Drops the session at once, without GOODBYE: closes the transport and rejects whatever is
   * pending with ConnectionLostError (or `error`). For a connection found dead. Idempotent.
   */
  terminate(error: Error = new ConnectionLostError('the session was terminated locally')): void {
    this.end({ reason: CloseReason.transportLost, details: { message: error.message }, initiator: 'client' }, error)
  }

  /**
   * Leaves the realm: sends GOODBYE, waits for the router's answer (at most twice the
   * response timeout), then closes the transport. A second call rejects with ClientClosedError.
   */
  async close(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') throw new ClientClosedError('the client is already closed')
    this.state = 'closing'
    const echoed = new Promise<void>((resolve) => {
      this.goodbyeEcho = resolve
    })
    try {
      this.sendRaw([MessageType.GOODBYE, {}, CloseReason.closeRealm])
    } catch {
      // The transport is gone already; end below.
    }
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<void>((resolve) => {
      timer = startTimer(resolve, 2 * this.responseTimeout)
    })
    await Promise.race([echoed, timeout, this.closed])
    clearTimeout(timer)
    this.end({ reason: CloseReason.closeRealm, details: {}, initiator: 'client' }, new ClientClosedError())
  }

  /** @internal Runs the opening handshake; rejects (and closes the transport) when joining fails. */
  async join(): Promise<void> {
    try {
      const hello = await this.helloMessage()
      this.realmDetails = await new Promise<Dict>((resolve, reject) => {
        let timer: ReturnType<typeof setTimeout> | undefined
        const arm = () => {
          clearTimeout(timer)
          timer = startTimer(() => fail(new ResponseTimeoutError('HELLO', this.responseTimeout)), this.responseTimeout)
        }
        const fail = (error: Error) => {
          clearTimeout(timer)
          this.joinStep = undefined
          reject(error)
        }
        this.joinStep = (message) => {
          // WELCOME ends the handshake at once: what follows it belongs to the session.
          if (message[0] === MessageType.WELCOME) this.joinStep = undefined
          arm()
          this.handshake(message).then((details) => {
            if (details === undefined) return
            clearTimeout(timer)
            resolve(details)
          }, fail)
        }
        this.closed.then((info) => fail(info.error ?? new ConnectionLostError()))
        arm()
        try {
          this.sendRaw(hello)
        } catch (error) {
          fail(error as Error)
        }
      })
      this.state = 'open'
    } catch (error) {
      if (error instanceof ProtocolViolationError) {
        // A router that breaks the handshake gets the spec's ABORT, as after joining.
        this.violation(error.message)
        throw error
      }
      const info: CloseInfo =
        error instanceof RouterAbortError
          ? { reason: error.reason, details: error.details, initiator: 'router' }
          : { reason: CloseReason.transportLost, details: {}, initiator: 'client' }
      this.end(info, error as Error)
      throw error
    }
  }

  private async helloMessage(): Promise<unknown[]> {
    const { config } = this
    if (typeof config.realm !== 'string' || !isValidUri(config.realm)) {
      throw new InvalidArgumentError(`config.realm must be a valid URI, not ${JSON.stringify(config.realm)}`)
    }
    const details: Dict = { agent: AGENT, ...config.helloDetails }
    if (details.roles === undefined) details.roles = clientRoles()
    const methods = config.auth ?? []
    if (methods.length > 0) {
      const { Authentication } = await import('./authentication.js')
      this.authentication = new Authentication(methods, (message) => this.sendRaw(message))
      await this.authentication.announce(details, config.authid, config.authextra)
    } else {
      if (config.authid !== undefined) details.authid = config.authid
      if (config.authextra && Object.keys(config.authextra).length > 0) details.authextra = { ...config.authextra }
    }
    return [MessageType.HELLO, config.realm, details]
  }

  /** One step of the opening handshake; resolves WELCOME.Details when joined. */
  private async handshake(message: RouterToClientMessage): Promise<Dict | undefined> {
    switch (message[0]) {
      case MessageType.WELCOME: {
        const details = message[2]
        if (!details.roles || (!routerHasRole(details, 'broker') && !routerHasRole(details, 'dealer'))) {
          throw new ProtocolViolationError('WELCOME announces neither a broker nor a dealer role')
        }
        await this.authentication?.verify(details)
        this.id = message[1]
        return details
      }
      case MessageType.CHALLENGE:
        // Without auth methods, an empty answer: the router aborts with its reason.
        if (this.authentication) await this.authentication.answer(message[1], message[2])
        else this.sendRaw([MessageType.AUTHENTICATE, '', {}])
        return undefined
      case MessageType.ABORT: {
        const [, details, reason] = message
        throw isAuthReason(reason) ? new AuthenticationError(reason, details) : new RouterAbortError(reason, details)
      }
      default:
        throw new ProtocolViolationError(`${messageName(message[0])} before the session was established`)
    }
  }

  private port(): SessionPort {
    const client = this
    return {
      logger: this.logger,
      responseTimeout: this.responseTimeout,
      requests: this.requests,
      get routerDetails() {
        return client.realmDetails
      },
      assertOpen: (what) => {
        if (this.state !== 'open') throw new ClientClosedError(`cannot ${what}: the client is ${this.state}`)
      },
      isOpen: () => this.state === 'open',
      nextId: () => this.ids.next(),
      send: (message) => this.sendRaw(message),
      request: (message, what, hooks) => this.request(message, what, hooks),
    }
  }

  private sendRaw(message: unknown[]): void {
    if (this.debug) this.logger.debug(`→ ${describeMessage(message)}`)
    if (this.tap) this.tapped('out', message)
    this.transport.send(message)
  }

  private tapped(direction: 'in' | 'out', message: unknown): void {
    try {
      this.tap?.(direction, message)
    } catch (error) {
      this.logger.error('a message tap threw', error)
    }
  }

  private request<T>(message: unknown[], what: string, hooks: RequestHooks<T> = {}): Promise<T> {
    const id = message[1] as number
    const type = message[0] as number
    return new Promise((resolve, reject) => {
      const timer = startTimer(() => {
        const { late } = hooks
        // A late success whose effect (a subscription…) must be undone is still listened for.
        this.requests.expire(
          id,
          late && {
            type,
            reply: (reply) => {
              if (reply[0] !== MessageType.ERROR) late(reply)
              return true
            },
            fail: () => {},
          },
        )
        reject(new ResponseTimeoutError(what, this.responseTimeout))
      }, this.responseTimeout)
      this.requests.add(id, {
        type,
        reply: (reply) => {
          clearTimeout(timer)
          if (reply[0] === MessageType.ERROR) {
            reject(rpcErrorOf(reply as ErrorMessage))
            return true
          }
          try {
            // Synchronously, before any message read with this reply is handled.
            resolve(hooks.accept ? hooks.accept(reply) : (reply as T))
          } catch (error) {
            reject(error)
          }
          return true
        },
        fail: (error) => {
          clearTimeout(timer)
          reject(error)
        },
      })
      try {
        this.sendRaw(message)
      } catch (error) {
        clearTimeout(timer)
        this.requests.delete(id)
        reject(error)
      }
    })
  }

  private receive(raw: unknown): void {
    if (this.state === 'closed') return
    if (this.debug) this.logger.debug(`← ${describeMessage(raw)}`)
    if (this.tap) this.tapped('in', raw)
    let message: RouterToClientMessage
    try {
      message = validateInbound(raw)
    } catch (error) {
      this.violation((error as Error).message)
      return
    }
    if (this.joinStep) {
      this.joinStep(message)
      return
    }
    switch (message[0]) {
      case MessageType.EVENT:
        this.subscriber.onEvent(message)
        return
      case MessageType.INVOCATION:
        if (this.callee) this.callee.onInvocation(message)
        else this.refuseInvocation(message[1], message[2])
        return
      case MessageType.INTERRUPT:
        this.callee?.onInterrupt(message)
        return
      case MessageType.GOODBYE:
        this.onGoodbye(message[2], message[1])
        return
      case MessageType.ABORT:
        this.end(
          { reason: message[2], details: message[1], initiator: 'router' },
          new SessionClosedError(message[2], `the router aborted the session: ${message[2]}`),
        )
        return
      case MessageType.WELCOME:
      case MessageType.CHALLENGE:
        this.violation(`${messageName(message[0])} after the session was established`)
        return
      case MessageType.UNSUBSCRIBED:
        if (message[1] === 0) {
          this.subscriber.onRevoked(message[2] ?? {})
          return
        }
        break
      case MessageType.UNREGISTERED:
        if (message[1] === 0) {
          this.callee?.onRevoked(message[2] ?? {})
          return
        }
        break
    }
    this.onReply(message)
  }

  /** Routes RESULT, ERROR, PUBLISHED, (UN)SUBSCRIBED, (UN)REGISTERED to the waiting request. */
  private onReply(message: RouterToClientMessage): void {
    const id = message[1] as number
    const isError = message[0] === MessageType.ERROR
    const type = isError ? (message as ErrorMessage)[1] : replyTo[message[0]]
    const requestId = isError ? (message as ErrorMessage)[2] : id
    if (isError && type === MessageType.CANCEL) {
      this.logger.warn(`the router refused a CANCEL: ${(message as ErrorMessage)[4]}`, message)
      return
    }
    if (isError && type === MessageType.INVOCATION) {
      this.logger.warn(`the router rejected a reply of this callee: ${(message as ErrorMessage)[4]}`, message)
      return
    }
    const pending = this.requests.get(requestId)
    if (!pending) {
      if (requestId > this.ids.current) {
        this.violation(`${messageName(message[0])} for request ${requestId}, which was never sent`)
      } else {
        // A late reply to a request already settled (cancelled, timed out, unacknowledged publish).
        this.logger.debug(`ignoring a late ${messageName(message[0])} for request ${requestId}`)
      }
      return
    }
    if (pending.type !== type) {
      this.violation(
        `${messageName(message[0])} answers request ${requestId}, which was a ${messageName(pending.type)}`,
      )
      return
    }
    if (pending.reply(message)) this.requests.delete(requestId)
  }

  /** An INVOCATION before this client ever registered: no handler can exist. */
  private refuseInvocation(request: number, registration: number): void {
    try {
      this.sendRaw([
        MessageType.ERROR,
        MessageType.INVOCATION,
        request,
        {},
        ErrorUri.noSuchRegistration,
        [`this client has no handler for registration ${registration}`],
      ])
    } catch {
      // The transport is gone; nothing to answer.
    }
  }

  private onGoodbye(reason: string, details: Dict): void {
    if (this.state === 'closing') {
      this.goodbyeEcho?.()
      return
    }
    try {
      this.sendRaw([MessageType.GOODBYE, {}, CloseReason.goodbyeAndOut])
    } catch {
      // Nothing more to say on a dead transport.
    }
    this.end({ reason, details, initiator: 'router' }, new SessionClosedError(reason))
  }

  /** The router broke the protocol: ABORT, drop all state, close the transport. */
  private violation(problem: string): void {
    if (this.state === 'closed') return
    this.logger.error(`protocol violation: ${problem}`)
    try {
      this.sendRaw([MessageType.ABORT, { message: problem }, ErrorUri.protocolViolation])
    } catch {
      // The transport may already be gone.
    }
    const error = new ProtocolViolationError(problem)
    this.end({ reason: ErrorUri.protocolViolation, details: { message: problem }, initiator: 'client', error }, error)
  }

  private transportClosed(info: TransportCloseInfo): void {
    if (this.state === 'closed') return
    if (this.state === 'closing') {
      // The router may close the transport right after its GOODBYE echo: that is our close.
      this.end({ reason: CloseReason.closeRealm, details: {}, initiator: 'client' }, new ClientClosedError())
      return
    }
    const error = new ConnectionLostError(`the connection to the router was lost (${info.reason})`, {
      cause: info.error,
    })
    this.end({ reason: CloseReason.transportLost, details: { message: info.reason }, initiator: 'transport' }, error)
  }

  /** Ends the session once: fails what is pending, aborts running handlers, closes the transport. */
  private end(info: CloseInfo, error: Error): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    this.joinStep = undefined
    this.requests.failAll(error)
    this.callee?.end(error)
    this.subscriber.end()
    this.transport.close()
    this.resolveClosed({ ...info, error: info.error ?? error })
  }
}

function routerHasRole(details: Dict, role: string): boolean {
  const roles = details.roles as Record<string, unknown> | undefined
  return typeof roles?.[role] === 'object' && roles[role] !== null
}

function isAuthReason(reason: string): boolean {
  return /authentication|auth_method|no_such_principal|not_authorized|authorization/.test(reason)
}
