import type { Dict } from '../protocol/messages.js'
import type { Peer } from './peer.js'

/** A call on its way: CALL from the caller ↔ INVOCATION to the callee. */
export interface Call {
  caller: Peer
  /** CALL.Request */
  request: number
  callee: Peer
  /** INVOCATION.Request */
  invocation: number
  registration: number
  /** INVOCATION.Details of the first chunk; later chunks of a progressive invocation repeat them. */
  details: Dict
  receiveProgress: boolean
  /** The caller may still send progressive CALL chunks. */
  streaming: boolean
  /** Dealer-side timeout in ms (0: none); restarted by each progressive result. */
  timeout: number
  timer?: ReturnType<typeof setTimeout>
  /** A `kill` CANCEL was passed on: waiting for the callee's answer. */
  killing: boolean
}

/** The calls in progress, found by caller and CALL.Request or by callee and INVOCATION.Request. */
export class CallTable {
  private readonly byCaller = new Map<Peer, Map<number, Call>>()
  private readonly byCallee = new Map<Peer, Map<number, Call>>()

  add(call: Call): void {
    tableOf(this.byCaller, call.caller).set(call.request, call)
    tableOf(this.byCallee, call.callee).set(call.invocation, call)
  }

  remove(call: Call): void {
    forget(this.byCaller, call.caller, call.request)
    forget(this.byCallee, call.callee, call.invocation)
  }

  ofCaller(caller: Peer, request: number): Call | undefined {
    return this.byCaller.get(caller)?.get(request)
  }

  ofCallee(callee: Peer, invocation: number): Call | undefined {
    return this.byCallee.get(callee)?.get(invocation)
  }

  /** Every call the session made (a copy: safe to remove calls while iterating). */
  madeBy(caller: Peer): Call[] {
    return [...(this.byCaller.get(caller)?.values() ?? [])]
  }

  /** Every call the session is answering (a copy). */
  servedBy(callee: Peer): Call[] {
    return [...(this.byCallee.get(callee)?.values() ?? [])]
  }
}

function tableOf(tables: Map<Peer, Map<number, Call>>, peer: Peer): Map<number, Call> {
  let table = tables.get(peer)
  if (!table) {
    table = new Map()
    tables.set(peer, table)
  }
  return table
}

function forget(tables: Map<Peer, Map<number, Call>>, peer: Peer, id: number): void {
  const table = tables.get(peer)
  if (!table) return
  table.delete(id)
  if (table.size === 0) tables.delete(peer)
}
