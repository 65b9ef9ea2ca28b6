import type { Invocation, InvokeResult } from '../client/types.js'
import type { Connection } from '../connection/connection.js'
import type { RegistrationLease } from '../connection/registrations.js'
import type { Dict } from '../protocol/messages.js'
import type { HubTab } from './hub-tab.js'
import type { WireLeaseStatus } from './messages.js'
import { toWireError } from './wire-error.js'

interface Claim {
  tab: HubTab
  lease: number
  options: Dict
  held?: { lease: RegistrationLease; unlisten(): void }
}

/**
 * One callee per procedure across tabs: the first tab that registers answers; the others wait in
 * line and the next one takes over when it leaves (on the same router registration when the
 * options match: nothing goes over the wire).
 */
export class HubRegistrations {
  private readonly lines = new Map<string, Claim[]>()

  constructor(
    private readonly connection: Connection,
    private readonly forward: (tab: HubTab, lease: number, invocation: Invocation) => Promise<InvokeResult>,
  ) {}

  /** Tabs waiting or answering (for tests). */
  get size(): number {
    let count = 0
    for (const line of this.lines.values()) count += line.length
    return count
  }

  /** The tab that answers `procedure` now. */
  holder(procedure: string): HubTab | undefined {
    return this.lines.get(procedure)?.[0]?.tab
  }

  claim(tab: HubTab, lease: number, procedure: string, options: Dict): void {
    tab.registrations.set(lease, procedure)
    const line = this.lines.get(procedure) ?? []
    this.lines.set(procedure, line)
    const claim: Claim = { tab, lease, options }
    line.push(claim)
    if (line.length === 1) this.grant(procedure, claim)
    else tab.post({ t: 'reg-status', lease, status: waiting(procedure) })
  }

  /** The tab released the lease, or left. */
  drop(tab: HubTab, lease: number): void {
    const procedure = tab.registrations.get(lease)
    if (procedure === undefined) return
    tab.registrations.delete(lease)
    const line = this.lines.get(procedure) ?? []
    const index = line.findIndex((claim) => claim.tab === tab && claim.lease === lease)
    if (index < 0) return
    const [claim] = line.splice(index, 1)
    if (claim?.held) {
      claim.held.unlisten()
      claim.held.lease.release()
    }
    const next = line[0]
    if (line.length === 0) this.lines.delete(procedure)
    else if (index === 0 && next) this.grant(procedure, next)
  }

  private grant(procedure: string, claim: Claim): void {
    const lease = this.connection.acquireRegistration(
      procedure,
      (invocation) => this.forward(claim.tab, claim.lease, invocation),
      claim.options,
    )
    const sync = () => {
      const { error, ...rest } = lease.status.getSnapshot()
      const status: WireLeaseStatus = { ...rest, ...(error ? { error: toWireError(error) } : {}) }
      claim.tab.post({ t: 'reg-status', lease: claim.lease, status })
    }
    claim.held = { lease, unlisten: lease.status.subscribe(sync) }
    sync()
  }
}

function waiting(procedure: string): WireLeaseStatus {
  return {
    status: 'pending',
    error: { name: 'Error', message: `another tab answers ${procedure}; this tab takes over when it closes` },
  }
}
