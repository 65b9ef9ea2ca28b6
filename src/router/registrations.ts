import type { RequestIds } from '../protocol/ids.js'
import type { MatchPolicy } from '../protocol/uri.js'
import { PatternTable } from './matching.js'
import type { EntryLifecycle } from './pattern-meta.js'
import type { Peer } from './peer.js'

/** How a shared registration picks the callee of a call. */
export type InvokePolicy = 'single' | 'roundrobin' | 'random' | 'first' | 'last'

const policies: readonly string[] = ['single', 'roundrobin', 'random', 'first', 'last']

/** The invoke policy an options dictionary asks for; undefined when it names none. */
export function invokePolicy(value: unknown): InvokePolicy | undefined {
  if (value === undefined) return 'single'
  return typeof value === 'string' && policies.includes(value) ? (value as InvokePolicy) : undefined
}

/** One callee of a registration, with the options it registered with. */
export interface Callee {
  peer: Peer
  discloseCaller: boolean
  forwardTimeout: boolean
}

/** One router registration: a procedure (or pattern) and the callees that share it. */
export interface Registration {
  id: number
  procedure: string
  match: MatchPolicy
  invoke: InvokePolicy
  /** In registration order. */
  callees: Callee[]
  /** Round-robin cursor. */
  next: number
  /** When it was created (ISO 8601), for the meta API. */
  created: string
}

/** The registrations of one realm. */
export class Registrations {
  /** The registrations by pattern and by ID (read by the registration meta API). */
  readonly table = new PatternTable<Registration>()
  readonly byId = new Map<number, Registration>()
  /** Told of every registration's life (the registration meta API's events). */
  lifecycle: EntryLifecycle<Registration> | undefined

  constructor(private readonly ids: RequestIds) {}

  /**
   * Adds a callee: creates the registration, or joins a shared one of the same policy.
   * Undefined when the procedure is taken (a `single` registration, another policy, or this
   * session already registered it).
   */
  add(procedure: string, match: MatchPolicy, invoke: InvokePolicy, callee: Callee): Registration | undefined {
    const existing = this.table.get(match, procedure)
    if (existing) {
      if (invoke === 'single' || existing.invoke !== invoke) return undefined
      if (existing.callees.some((c) => c.peer === callee.peer)) return undefined
      existing.callees.push(callee)
      return existing
    }
    const registration: Registration = {
      id: this.ids.next(),
      procedure,
      match,
      invoke,
      callees: [callee],
      next: 0,
      created: new Date().toISOString(),
    }
    this.table.set(match, procedure, registration)
    this.byId.set(registration.id, registration)
    return registration
  }

  /** Removes the session from a registration; false when it is not one of its callees. */
  remove(peer: Peer, id: number): boolean {
    const registration = this.byId.get(id)
    if (!registration) return false
    const index = registration.callees.findIndex((c) => c.peer === peer)
    if (index < 0) return false
    registration.callees.splice(index, 1)
    if (index < registration.next) registration.next -= 1
    this.lifecycle?.left(peer, registration)
    if (registration.callees.length === 0) {
      this.byId.delete(id)
      this.table.delete(registration.match, registration.procedure)
      this.lifecycle?.deleted(peer, registration)
    }
    return true
  }

  /** The session left: remove it from every registration. */
  leave(peer: Peer): void {
    for (const registration of [...this.byId.values()]) this.remove(peer, registration.id)
  }

  /** The registration a call of this procedure goes to (exact > longest prefix > wildcard). */
  lookup(procedure: string): Registration | undefined {
    return this.table.best(procedure)
  }

  /** Picks the callee of one call by the registration's invoke policy. */
  pick(registration: Registration): Callee {
    const { callees } = registration
    switch (registration.invoke) {
      case 'last':
        return callees[callees.length - 1]!
      case 'random':
        return callees[Math.floor(Math.random() * callees.length)]!
      case 'roundrobin': {
        const index = registration.next % callees.length
        registration.next = index + 1
        return callees[index]!
      }
      default:
        return callees[0]!
    }
  }
}
