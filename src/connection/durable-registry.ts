import type { Client } from '../client/client.js'
import type { Logger } from '../client/logger.js'
import { releaseLater } from './release-later.js'
import type { ReadableStore, Store } from './store.js'

/** Where a durable subscription or registration stands on the current session. */
export interface DurableStatus {
  status: 'pending' | 'active' | 'error'
  /** The router's subscription or registration ID while active. */
  id?: number
  error?: Error
}

/** What the router granted on one session, and how to give it back. */
export interface Grant {
  id: number
  end(): Promise<void>
}

/** One subscription or registration kept across sessions. */
export interface DurableEntry<S extends DurableStatus> {
  key: string
  status: Store<S>
  onClient?: Grant
  /** Bumped on every (re)attach and on removal: stale grants are undone, not used. */
  generation: number
  removal?: { cancel(): void }
}

/**
 * Entries that outlive sessions: attached again on every new session, given back a macrotask
 * after their last holder leaves (so a StrictMode remount sends nothing).
 */
export abstract class DurableRegistry<S extends DurableStatus, E extends DurableEntry<S>> {
  protected readonly entries = new Map<string, E>()

  constructor(
    private readonly currentClient: () => Client | undefined,
    protected readonly logger: () => Logger,
  ) {}

  get size(): number {
    return this.entries.size
  }

  /** A new session is open: attach everything again. */
  resume(): void {
    for (const entry of this.entries.values()) this.attach(entry)
  }

  /** The session is gone: every entry waits for the next one. */
  suspend(): void {
    for (const entry of this.entries.values()) this.detach(entry)
  }

  /** Asks the router on the current session, if one is open. */
  protected attach(entry: E): void {
    const generation = this.detach(entry)
    const client = this.currentClient()
    if (!client?.isOpen) return
    this.grant(client, entry).then(
      (grant) => {
        // A release (or a new session) came first: undo what the router just granted.
        if (generation !== entry.generation) {
          grant.end().catch(() => {})
          return
        }
        entry.onClient = grant
        entry.status.update({ status: 'active', id: grant.id } as Partial<S>)
      },
      (error: Error) => {
        if (generation === entry.generation) entry.status.update({ status: 'error', error } as Partial<S>)
      },
    )
  }

  /**
   * A holder's lease on `entry`, which it holds from now on. `release` runs `drop` once (the holder
   * leaves) and gives the entry back a macrotask after the last holder left.
   */
  protected lease(entry: E, drop: () => void): { readonly status: ReadableStore<S>; release(): void } {
    this.keep(entry)
    let released = false
    return {
      status: entry.status,
      release: () => {
        if (released) return
        released = true
        drop()
        if (!this.inUse(entry)) this.releaseWhenUnused(entry)
      },
    }
  }

  /** Takes the entry back, a macrotask after its last holder left. */
  private releaseWhenUnused(entry: E): void {
    entry.removal?.cancel()
    entry.removal = releaseLater(() => {
      if (this.inUse(entry) || this.entries.get(entry.key) !== entry) return
      this.entries.delete(entry.key)
      const grant = this.takeGrant(entry)
      grant?.end().catch((error) => this.logger().debug(`giving back ${entry.key} failed`, error))
    })
  }

  /** Keeps the entry: a holder came back before its release ran. */
  private keep(entry: E): void {
    entry.removal?.cancel()
    entry.removal = undefined
  }

  /** Subscribes or registers on this session. */
  protected abstract grant(client: Client, entry: E): Promise<Grant>

  /** True while some holder still uses the entry. */
  protected abstract inUse(entry: E): boolean

  private detach(entry: E): number {
    this.takeGrant(entry)
    entry.status.update({ status: 'pending', id: undefined, error: undefined } as Partial<S>)
    return entry.generation
  }

  private takeGrant(entry: E): Grant | undefined {
    const grant = entry.onClient
    entry.generation += 1
    entry.onClient = undefined
    return grant
  }
}
