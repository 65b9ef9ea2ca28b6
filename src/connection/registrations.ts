import type { Client } from '../client/client.js'
import type { InvocationHandler, RegisterOptions } from '../client/types.js'
import { InvalidArgumentError } from '../protocol/errors.js'
import { type DurableEntry, DurableRegistry, type DurableStatus, type Grant } from './durable-registry.js'
import { stableKey } from './stable-key.js'
import { type ReadableStore, Store } from './store.js'

/** Where a durable registration stands (see DurableStatus for its machine). */
export interface RegistrationStatus extends DurableStatus {
  /** Invocations handled since the registration was made. */
  invocationCount: number
}

export interface RegistrationLease {
  readonly status: ReadableStore<RegistrationStatus>
  /** Unregisters a macrotask later, unless the same procedure is acquired again first. */
  release(): void
}

/** @internal */
export interface RegistrationEntry extends DurableEntry<RegistrationStatus> {
  options: RegisterOptions
  optionsKey: string
  handler: InvocationHandler
  holders: number
}

/**
 * The lease of a second callee of one procedure in one app: refused at once (the router would refuse
 * it anyway), as an `error` status naming the procedure.
 */
export function secondCallee(procedure: string): RegistrationLease {
  const error = new InvalidArgumentError(`${procedure} is already registered by another part of this app`)
  return { status: new Store<RegistrationStatus>({ status: 'error', error, invocationCount: 0 }), release() {} }
}

/** Registrations that outlive sessions: registered again on every new session. */
export class RegistrationRegistry extends DurableRegistry<RegistrationStatus, RegistrationEntry> {
  acquire(procedure: string, handler: InvocationHandler, options: RegisterOptions = {}): RegistrationLease {
    const optionsKey = stableKey(options)
    let entry = this.entries.get(procedure)
    if (entry && entry.holders > 0) return secondCallee(procedure)
    // Released but not yet given back, with other options: give it back now and register afresh.
    if (entry && entry.optionsKey !== optionsKey) {
      this.remove(entry)
      entry = undefined
    }
    if (!entry) {
      entry = {
        key: procedure,
        options,
        optionsKey,
        handler,
        status: this.newStatus({ status: 'pending', invocationCount: 0 }, procedure),
        generation: 0,
        refusals: 0,
        holders: 0,
      }
      this.entries.set(procedure, entry)
      this.attach(entry)
    }
    entry.handler = handler
    entry.holders += 1
    const held = entry
    return this.lease(held, () => {
      held.holders -= 1
    })
  }

  protected async grant(client: Client, entry: RegistrationEntry): Promise<Grant> {
    const registration = await client.register(
      entry.key,
      (invocation) => {
        entry.status.update({ invocationCount: entry.status.getSnapshot().invocationCount + 1 })
        return entry.handler(invocation)
      },
      entry.options,
    )
    return { id: registration.id, end: () => registration.unregister(), onRevoked: registration.onRevoked }
  }

  protected inUse(entry: RegistrationEntry): boolean {
    return entry.holders > 0
  }
}
