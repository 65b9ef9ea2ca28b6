import type { Args, Invocation, InvocationHandler, InvocationInput, Kwargs, RegisterOptions } from '../client/types.js'
import { type RegistrationLease, type RegistrationStatus, secondCallee } from '../connection/registrations.js'
import { releaseLater } from '../connection/release-later.js'
import { stableKey } from '../connection/stable-key.js'
import { Store } from '../connection/store.js'
import { InvalidArgumentError, RPCError, WampAbortError } from '../protocol/errors.js'
import type { HubMessage, WireLeaseStatus } from './messages.js'
import { type TabSide, toStatus } from './tab-subscriptions.js'
import { toWireError } from './wire-error.js'

interface Entry {
  lease: number
  procedure: string
  options: RegisterOptions
  optionsKey: string
  handler: InvocationHandler
  holders: number
  status: Store<RegistrationStatus>
  removal?: { cancel(): void }
}

/**
 * A tab's registrations: one callee per procedure in the tab (as in a Connection), answered
 * here when the hub forwards an INVOCATION; INTERRUPT aborts the handler's signal.
 */
export class TabRegistrations {
  private readonly byProcedure = new Map<string, Entry>()
  private readonly byLease = new Map<number, Entry>()
  private readonly running = new Map<number, AbortController>()

  constructor(private readonly tab: TabSide) {}

  get size(): number {
    return this.byProcedure.size
  }

  /** Invocations this tab is answering now. */
  get invocations(): number {
    return this.running.size
  }

  acquire(procedure: string, handler: InvocationHandler, options: RegisterOptions = {}): RegistrationLease {
    const optionsKey = stableKey(options)
    let entry = this.byProcedure.get(procedure)
    if (entry && entry.holders > 0) return secondCallee(procedure)
    if (entry && entry.optionsKey !== optionsKey) {
      this.remove(entry)
      entry = undefined
    }
    if (!entry) {
      const lease = this.tab.nextLease()
      entry = {
        lease,
        procedure,
        options,
        optionsKey,
        handler,
        holders: 0,
        status: new Store<RegistrationStatus>({ status: 'pending', invocationCount: 0 }, (error) =>
          this.tab.logger().error(`a status listener of ${procedure} threw`, error),
        ),
      }
      this.byProcedure.set(procedure, entry)
      this.byLease.set(lease, entry)
      this.tab.post({ t: 'reg', lease, procedure, options })
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
        if (held.holders > 0) return
        held.removal = releaseLater(() => {
          if (held.holders === 0) this.remove(held)
        })
      },
    }
  }

  /** A new hub: register everything again; what was running for the old one is aborted. */
  replay(): void {
    this.abortAll('the hub holding the shared session went away')
    for (const entry of this.byProcedure.values()) {
      entry.status.set({ status: 'pending', invocationCount: entry.status.getSnapshot().invocationCount })
      this.tab.post({ t: 'reg', lease: entry.lease, procedure: entry.procedure, options: entry.options })
    }
  }

  abortAll(reason: string): void {
    for (const controller of this.running.values()) controller.abort(new WampAbortError(reason, 'the invocation'))
    this.running.clear()
  }

  onStatus(lease: number, status: WireLeaseStatus): boolean {
    const entry = this.byLease.get(lease)
    if (!entry) return false
    entry.status.set({ ...toStatus<RegistrationStatus>(status), invocationCount: status.invocationCount ?? 0 })
    return true
  }

  onInterrupt(inv: number, reason: string | undefined): void {
    const why = reason ?? 'wamp.error.canceled'
    this.running.get(inv)?.abort(new WampAbortError(why, `the invocation (interrupted by the router: ${why})`))
  }

  /** Runs the handler for a forwarded INVOCATION and posts its answer. */
  onInvoke(message: Extract<HubMessage, { t: 'invoke' }>): boolean {
    const entry = this.byLease.get(message.lease)
    if (!entry) {
      this.tab.post({
        t: 'inv-error',
        inv: message.inv,
        error: toWireError(new RPCError('wamp.error.no_such_registration')),
      })
      return false
    }
    const { inv } = message
    const controller = new AbortController()
    this.running.set(inv, controller)
    const wantsProgress = message.details.receive_progress === true
    const invocation: Invocation = {
      args: message.args,
      kwargs: message.kwargs,
      details: message.details,
      ...(message.payload ? { payload: message.payload } : {}),
      procedure: message.procedure,
      signal: controller.signal,
      progress: (args?: Args, kwargs?: Kwargs) => {
        if (!wantsProgress) throw new InvalidArgumentError('the caller did not ask for progressive results')
        if (this.running.get(inv) !== controller) throw new InvalidArgumentError('the invocation is over')
        this.tab.post({ t: 'inv-progress', inv, args, kwargs })
      },
      progressive: false,
      inputs: oneInput({ args: message.args, kwargs: message.kwargs, payload: message.payload, final: true }),
    }
    const finish = (answer: () => unknown) => {
      if (this.running.get(inv) !== controller) return
      this.running.delete(inv)
      this.tab.post(answer())
    }
    const failed = (error: unknown) =>
      finish(() => ({
        t: 'inv-error',
        inv,
        error: toWireError(
          controller.signal.aborted && error === controller.signal.reason ? new RPCError('wamp.error.canceled') : error,
        ),
      }))
    const succeeded = (result: unknown) =>
      finish(() => {
        const out = (result ?? {}) as { args?: Args; kwargs?: Kwargs; payload?: Uint8Array; options?: object }
        return out.payload
          ? { t: 'yield', inv, payload: out.payload, options: out.options }
          : { t: 'yield', inv, args: out.args, kwargs: out.kwargs }
      })
    try {
      const out = entry.handler(invocation) as unknown
      if (out && typeof (out as Promise<unknown>).then === 'function') (out as Promise<unknown>).then(succeeded, failed)
      else succeeded(out)
    } catch (error) {
      failed(error)
    }
    return true
  }

  private remove(entry: Entry): void {
    entry.removal?.cancel()
    if (this.byProcedure.get(entry.procedure) === entry) this.byProcedure.delete(entry.procedure)
    this.byLease.delete(entry.lease)
    this.tab.post({ t: 'unreg', lease: entry.lease })
  }
}

async function* oneInput(input: InvocationInput): AsyncIterable<InvocationInput> {
  yield input
}
