import type { RouterToClientMessage } from '../protocol/messages.js'
import type { Logger } from './logger.js'
import type { RequestTable } from './request-table.js'

/** What the caller, callee, publisher and subscriber parts need from the session. */
export interface SessionPort {
  readonly logger: Logger
  readonly responseTimeout: number
  readonly requests: RequestTable
  /** WELCOME.Details. */
  readonly routerDetails: Record<string, unknown>
  /** Throws ClientClosedError unless the session is open. */
  assertOpen(what: string): void
  /** True while the session is established. */
  isOpen(): boolean
  nextId(): number
  /** Sends one message; throws SerializationError (nothing sent) or ClientClosedError. */
  send(message: unknown[]): void
  /**
   * Sends a request whose reply must come within responseTimeout; resolves with the reply (or
   * what `accept` makes of it), rejects with RPCError on ERROR.
   */
  request<T = RouterToClientMessage>(message: unknown[], what: string, hooks?: RequestHooks<T>): Promise<T>
}

/** Hooks of one request. */
export interface RequestHooks<T> {
  /**
   * Runs synchronously when the success reply arrives, before any later message is handled
   * (an EVENT may follow SUBSCRIBED in the same read); its result resolves the request.
   */
  accept?(reply: RouterToClientMessage): T
  /** Gets a success reply that came after the timeout, to undo its effect. */
  late?(reply: RouterToClientMessage): void
}
