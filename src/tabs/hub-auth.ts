import type { AuthMethod, Challenge, ChallengeResponse } from '../auth/auth-method.js'
import { ConnectionLostError } from '../protocol/errors.js'
import type { AuthDescriptor, WireError } from './messages.js'
import { fromWireError } from './wire-error.js'

/** How long the hub waits for a tab's answer about authentication. */
const AUTH_TIMEOUT_MS = 15_000

/** The hub's view of a tab that can authenticate. */
export interface AuthTab {
  readonly id: string
  readonly hasAuth: boolean
  post(message: unknown): void
}

interface Pending {
  tab: AuthTab
  resolve(value: unknown): void
  reject(error: Error): void
  timer: ReturnType<typeof setTimeout>
}

/**
 * Authentication through a tab: the secrets stay in the tabs. Before each attempt the hub asks a
 * tab for its methods (a fresh token each time), puts them in HELLO, and hands the router's
 * CHALLENGE back to that same tab to answer.
 */
export class HubAuth {
  private readonly pending = new Map<number, Pending>()
  private nextId = 1

  constructor(private readonly tabs: () => Iterable<AuthTab>) {}

  /** The methods for the next attempt: those of the most recent tab that has any, else none. */
  async methods(): Promise<AuthMethod[]> {
    const tab = [...this.tabs()].reverse().find((candidate) => candidate.hasAuth)
    if (!tab) return []
    const descriptors = (await this.ask(tab, (id) => ({ t: 'auth-request', id }))) as AuthDescriptor[]
    return descriptors.map((descriptor) => ({
      method: descriptor.method,
      authid: descriptor.authid,
      authextra: descriptor.authextra,
      respond: (challenge: Challenge) =>
        this.ask(tab, (id) => ({
          t: 'challenge',
          id,
          method: challenge.method,
          extra: challenge.extra,
          authid: challenge.authid,
        })) as Promise<ChallengeResponse>,
    }))
  }

  /** A tab answered `auth-request` or `challenge`. */
  answer(tab: AuthTab, id: number, value: unknown, error: WireError | undefined): boolean {
    const pending = this.pending.get(id)
    if (!pending || pending.tab !== tab) return false
    this.settle(id, pending)
    if (error) pending.reject(fromWireError(error))
    else pending.resolve(value)
    return true
  }

  /** The tab left: what it was asked fails (the attempt fails and is retried with another tab). */
  forget(tab: AuthTab): void {
    for (const [id, pending] of this.pending) {
      if (pending.tab !== tab) continue
      this.settle(id, pending)
      pending.reject(new ConnectionLostError('the tab answering the authentication closed'))
    }
  }

  get size(): number {
    return this.pending.size
  }

  private ask(tab: AuthTab, message: (id: number) => unknown): Promise<unknown> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const pending = this.pending.get(id)
        if (!pending) return
        this.settle(id, pending)
        reject(new ConnectionLostError(`tab ${tab.id} did not answer the authentication in ${AUTH_TIMEOUT_MS} ms`))
      }, AUTH_TIMEOUT_MS)
      this.pending.set(id, { tab, resolve, reject, timer })
      tab.post(message(id))
    })
  }

  private settle(id: number, pending: Pending): void {
    clearTimeout(pending.timer)
    this.pending.delete(id)
  }
}
