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

/**
 * How many timed-out requests keep listening for a late reply, newest first. A late SUBSCRIBED or
 * REGISTERED is undone while its request is among these; older ones are ignored as late replies.
 */
export const LATE_LISTENERS = 64

/**
 * The outstanding requests of a session, by request ID. The one policy for a request that times
 * out (`expire`): it leaves the table at once; only one whose late success must be undone keeps a
 * listener, among a bounded number. So the table never grows with the number of timeouts.
 */
export class RequestTable {
  private readonly pending = new Map<number, PendingRequest>()
  /** Timed-out requests listening for a late reply, oldest first (at most LATE_LISTENERS). */
  private readonly late = new Map<number, PendingRequest>()

  add(id: number, request: PendingRequest): void {
    this.pending.set(id, request)
  }

  get(id: number): PendingRequest | undefined {
    return this.pending.get(id) ?? this.late.get(id)
  }

  delete(id: number): void {
    this.pending.delete(id)
    this.late.delete(id)
  }

  /**
   * The request timed out: it stops being pending. With `listener`, a late reply still reaches it
   * (to undo its effect) while it is among the LATE_LISTENERS newest; the oldest is dropped.
   */
  expire(id: number, listener?: PendingRequest): void {
    this.pending.delete(id)
    if (!listener) return
    this.late.set(id, listener)
    if (this.late.size > LATE_LISTENERS) this.late.delete(this.late.keys().next().value!)
  }

  /** Requests still waiting for an answer (timed-out ones are not counted). */
  get size(): number {
    return this.pending.size
  }

  /** Timed-out requests still listening for a late reply (at most LATE_LISTENERS). */
  get lateListeners(): number {
    return this.late.size
  }

  /** Fails every outstanding request (session over) and empties the table. */
  failAll(error: Error): void {
    const all = [...this.pending.values()]
    this.pending.clear()
    this.late.clear()
    for (const request of all) request.fail(error)
  }
}
