import type { Logger } from '../client/logger.js'
import type { InvokeResult, Result } from '../client/types.js'
import type { SubscriptionLease } from '../connection/subscriptions.js'
import type { TabPort } from './port.js'

/** An invocation forwarded to a tab, waiting for its answer. */
export interface ForwardedInvocation {
  resolve(result: InvokeResult): void
  reject(error: Error): void
  progress(args?: unknown[], kwargs?: Record<string, unknown>): void
  /** Stops listening to the router's INTERRUPT. */
  done(): void
}

/** Everything the hub holds for one tab: gone with the tab. */
export class HubTab {
  readonly subscriptions = new Map<number, { lease: SubscriptionLease; unlisten(): void }>()
  /** Registration lease IDs of this tab, by ID: the procedure. */
  readonly registrations = new Map<number, string>()
  readonly calls = new Map<number, AbortController>()
  readonly invocations = new Map<number, ForwardedInvocation>()
  unlisten: () => void = () => {}

  constructor(
    readonly id: string,
    readonly hasAuth: boolean,
    private readonly port: TabPort,
    private readonly logger: Logger,
  ) {}

  /** Posts to the tab; a message that cannot be cloned is logged, never thrown at the router's handler. */
  post(message: unknown): void {
    try {
      this.port.post(message)
    } catch (error) {
      this.logger.error(`could not post to tab ${this.id}`, error)
    }
  }

  close(): void {
    this.unlisten()
    try {
      this.port.close()
    } catch {
      // Already closed.
    }
  }
}

/** A Result or an Event as a plain clonable object (no undefined payload). */
export function plain(value: Result | Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = field
  return out
}
