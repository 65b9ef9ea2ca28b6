import type { Client } from '../client/client.js'
import type { InvocationHandler, RegisterOptions, Registration } from '../client/types.js'
import { InvalidArgumentError } from '../protocol/errors.js'
import { releaseLater } from './release-later.js'
import { type ReadableStore, Store } from './store.js'

/** Where a durable registration stands on the current session. */
export interface RegistrationStatus {
  status: 'pending' | 'active' | 'error'
  id?: number
  error?: Error
  /** Invocations handled since the registration was made. */
  invocationCount: number
}

export interface RegistrationLease {
  readonly status: ReadableStore<RegistrationStatus>
  /** Unregisters a macrotask later, unless the same procedure is acquired again first. */
  release(): void
}

interface Entry {
  procedure: string
  options: RegisterOptions
  handler: InvocationHandler
  status: Store<RegistrationStatus>
  onClient?: Registration
  generation: number
  holders: number
  removal?: { cancel(): void }
}

/** Registrations that outlive sessions: registered again on every new session. */
export class RegistrationRegistry {
  private readonly entries = new Map<string, Entry>()

  constructor(private readonly currentClient: () => Client | undefined) {}

  get size(): number {
    return this.entries.size
  }

  acquire(procedure: string, handler: InvocationHandler, options: RegisterOptions = {}): RegistrationLease {
    let entry = this.entries.get(procedure)
    if (entry && entry.holders > 0) {
      // One app, one callee per procedure: a second would be refused by the router anyway.
      const error = new InvalidArgumentError(`${procedure} is already registered by another part of this app`)
      return { status: new Store<RegistrationStatus>({ status: 'error', error, invocationCount: 0 }), release() {} }
    }
    if (!entry) {
      entry = {
        procedure,
        options,
        handler,
        status: new Store<RegistrationStatus>({ status: 'pending', invocationCount: 0 }),
        generation: 0,
        holders: 0,
      }
      this.entries.set(procedure, entry)
      this.register(entry)
    }
    entry.removal?.cancel()
    entry.removal = undefined
    entry.handler = handler
    entry.holders += 1
    const held = entry
    let released = false
    return {
      status: held.status,
      release: () => {
        if (released) return
        released = true
        held.holders -= 1
        if (held.holders === 0) held.removal = releaseLater(() => this.remove(held))
      },
    }
  }

  resume(): void {
    for (const entry of this.entries.values()) this.register(entry)
  }

  suspend(): void {
    for (const entry of this.entries.values()) {
      entry.generation += 1
      entry.onClient = undefined
      entry.status.update({ status: 'pending', id: undefined, error: undefined })
    }
  }

  private register(entry: Entry): void {
    const client = this.currentClient()
    const generation = ++entry.generation
    entry.status.update({ status: 'pending', id: undefined, error: undefined })
    if (!client?.isOpen) return
    const handler: InvocationHandler = (invocation) => {
      entry.status.update({ invocationCount: entry.status.getSnapshot().invocationCount + 1 })
      return entry.handler(invocation)
    }
    client.register(entry.procedure, handler, entry.options).then(
      (registration) => {
        if (generation !== entry.generation) {
          registration.unregister().catch(() => {})
          return
        }
        entry.onClient = registration
        entry.status.update({ status: 'active', id: registration.id })
      },
      (error: Error) => {
        if (generation === entry.generation) entry.status.update({ status: 'error', error })
      },
    )
  }

  private remove(entry: Entry): void {
    if (entry.holders > 0 || this.entries.get(entry.procedure) !== entry) return
    this.entries.delete(entry.procedure)
    entry.generation += 1
    entry.onClient?.unregister().catch(() => {})
    entry.onClient = undefined
  }
}
