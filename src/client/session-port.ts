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
   * Sends a request whose reply must come within responseTimeout; resolves with the reply,
   * rejects with RPCError on ERROR. `onLateReply` gets a success reply that came after the timeout.
   */
  request(
    message: unknown[],
    what: string,
    onLateReply?: (reply: RouterToClientMessage) => void,
  ): Promise<RouterToClientMessage>
}
