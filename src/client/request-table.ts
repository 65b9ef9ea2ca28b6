import type { RouterToClientMessage } from '../protocol/messages.js'

/** One request waiting for the router's answer. */
export interface PendingRequest {
  /** The request's message type (CALL, SUBSCRIBE, …); replies of another kind are protocol violations. */
  readonly type: number
  /** Gets the reply (RESULT, SUBSCRIBED, …, or ERROR). Returns false when more replies will follow (progress). */
  reply(message: RouterToClientMessage): boolean
  /** The session ended or the request timed out. */
  fail(error: Error): void
}

/** The outstanding requests of a session, by request ID. */
export class RequestTable {
  private readonly pending = new Map<number, PendingRequest>()

  add(id: number, request: PendingRequest): void {
    this.pending.set(id, request)
  }

  get(id: number): PendingRequest | undefined {
    return this.pending.get(id)
  }

  delete(id: number): void {
    this.pending.delete(id)
  }

  get size(): number {
    return this.pending.size
  }

  /** Fails every outstanding request (session over) and empties the table. */
  failAll(error: Error): void {
    const all = [...this.pending.values()]
    this.pending.clear()
    for (const request of all) request.fail(error)
  }
}
