import type { Client } from '../client/client.js'
import type { Logger } from '../client/logger.js'
import { startTimer } from '../client/timer.js'
import { InvalidArgumentError, SerializationError, WampError } from '../protocol/errors.js'
import type { Dict } from '../protocol/messages.js'
import { type ReconnectOptions, retryDelay } from './backoff.js'
import { releaseLater } from './release-later.js'
import { type ReadableStore, Store } from './store.js'

/**
 * Where a held subscription or registration stands. Its machine, driven by the session and the
 * router's answers:
 *
 * | status     | means                                                      | leaves on                                            |
 * |------------|------------------------------------------------------------|------------------------------------------------------|
 * | `pending`  | held; waiting for a session or for the router's answer     | granted → active; refused → retrying or error        |
 * | `active`   | granted on the current session (`id`)                      | session lost → pending; revoked → revoked            |
 * | `retrying` | the router refused (`error`); asked again at `nextRetryAt` | the timer → pending (asks again); session lost → pending |
 * | `revoked`  | the router ended it on its own (`reason`, `error`)         | the next session → pending (asked again there)       |
 * | `error`    | refused for good: bad input that no retry can mend         | the next session → pending (asked again there)       |
 *
 * Every router refusal is retried with backoff while the lease is held (`procedure_already_exists`
 * clears once an old session of ours is reaped, or another tab's callee leaves). A revoked entry
 * is not asked for again on the session that revoked it: the router (or an administrator) ended
 * it on purpose; a new session asks again.
 */
export interface DurableStatus {
  status: 'pending' | 'active' | 'retrying' | 'revoked' | 'error'
  /** The router's subscription or registration ID while active. */
  id?: number
  /** Why it is retrying, revoked or failed. */
  error?: Error
  /** Refusals since the last grant (while retrying). */
  attempt?: number
  /** The delay before the next request, while retrying. */
  retryInMs?: number
  /** When the next request goes out (epoch ms), while retrying. */
  nextRetryAt?: number
  /** The router's reason for a revocation, e.g. `wamp.error.canceled` (while revoked). */
  reason?: string
}

/** What the router granted on one session, and how to give it back. */
export interface Grant {
  id: number
  end(): Promise<void>
  onRevoked(listener: (details: Dict) => void): () => void
}

/** One subscription or registration kept across sessions. */
export interface DurableEntry<S extends DurableStatus> {
  key: string
  status: Store<S>
  onClient?: Grant
  /** Bumped on every (re)attach, detach and removal: stale grants are undone, not used. */
  generation: number
  removal?: { cancel(): void }
  retryTimer?: ReturnType<typeof setTimeout>
  refusals: number
}

/** What a registry needs from its connection. */
export interface RegistryHost {
  client(): Client | undefined
  logger(): Logger
  /** The backoff of retries after a refusal. */
  retry(): ReconnectOptions
}

/** The lifecycle fields that every (re)attach and detach resets. */
const cleared = {
  id: undefined,
  error: undefined,
  attempt: undefined,
  retryInMs: undefined,
  nextRetryAt: undefined,
  reason: undefined,
}

function setStatus<S extends DurableStatus>(entry: DurableEntry<S>, patch: Partial<DurableStatus>): void {
  entry.status.update(patch as Partial<S>)
}

/**
 * Entries that outlive sessions: attached again on every new session, retried with backoff while
 * the router refuses them, given back a macrotask after their last holder leaves (so a
 * StrictMode remount sends nothing).
 */
export abstract class DurableRegistry<S extends DurableStatus, E extends DurableEntry<S>> {
  /** @internal Read by `inspectConnection`. */
  readonly entries = new Map<string, E>()

  constructor(protected readonly host: RegistryHost) {}

  get size(): number {
    return this.entries.size
  }

  /** Retry timers armed (for tests and leak checks). */
  get timers(): number {
    let count = 0
    for (const entry of this.entries.values()) if (entry.retryTimer !== undefined) count += 1
    return count
  }

  /** A new session is open: attach everything again. */
  resume(): void {
    for (const entry of this.entries.values()) this.attach(entry)
  }

  /** The session is gone: every entry waits for the next one. */
  suspend(): void {
    for (const entry of this.entries.values()) this.detach(entry)
  }

  /** A status store whose listeners' throws go to the logger. */
  protected newStatus(initial: S, what: string): Store<S> {
    return new Store<S>(initial, (error) => this.host.logger().error(`a status listener of ${what} threw`, error))
  }

  /** Asks the router on the current session, if one is open. */
  protected attach(entry: E): void {
    const generation = this.detach(entry)
    const client = this.host.client()
    if (!client?.isOpen) return
    this.grant(client, entry).then(
      (grant) => {
        // A release (or a new session) came first: undo what the router just granted.
        if (generation !== entry.generation) {
          grant.end().catch(() => {})
          return
        }
        entry.onClient = grant
        entry.refusals = 0
        setStatus(entry, { ...cleared, status: 'active', id: grant.id })
        grant.onRevoked((details) => {
          if (generation === entry.generation) this.revoked(entry, details)
        })
      },
      (error: Error) => {
        if (generation === entry.generation) this.refused(entry, error)
      },
    )
  }

  private revoked(entry: E, details: Dict): void {
    this.takeGrant(entry)
    const reason = typeof details.reason === 'string' ? details.reason : 'wamp.error.revoked'
    const error = new WampError('revoked', `the router revoked ${entry.key} (${reason})`)
    setStatus(entry, { ...cleared, status: 'revoked', reason, error })
  }

  private refused(entry: E, error: Error): void {
    // Bad input fails the same way every time; a closed session is the session machine's business.
    const final = error instanceof InvalidArgumentError || error instanceof SerializationError
    if (final || !this.host.client()?.isOpen) {
      setStatus(entry, { ...cleared, status: final ? 'error' : 'pending', error })
      return
    }
    entry.refusals += 1
    const delay = retryDelay(entry.refusals, this.host.retry())
    this.host.logger().debug(`${entry.key} was refused; asking again in ${delay} ms`, error)
    entry.retryTimer = startTimer(() => {
      entry.retryTimer = undefined
      this.attach(entry)
    }, delay)
    setStatus(entry, {
      ...cleared,
      status: 'retrying',
      error,
      attempt: entry.refusals,
      retryInMs: delay,
      nextRetryAt: Date.now() + delay,
    })
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
      this.remove(entry)
    })
  }

  /** Forgets the entry now and gives its grant back to the router. */
  protected remove(entry: E): void {
    entry.removal?.cancel()
    entry.removal = undefined
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key)
    const grant = this.takeGrant(entry)
    grant?.end().catch((error) => this.host.logger().debug(`giving back ${entry.key} failed`, error))
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
    setStatus(entry, { ...cleared, status: 'pending' })
    return entry.generation
  }

  private takeGrant(entry: E): Grant | undefined {
    const grant = entry.onClient
    entry.generation += 1
    entry.onClient = undefined
    clearTimeout(entry.retryTimer)
    entry.retryTimer = undefined
    return grant
  }
}
