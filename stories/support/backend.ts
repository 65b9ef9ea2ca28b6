import { type Connection, createConnection, type ReadableStore } from '../../src/connection/index.js'
import { openSession, realm, realRouterUrl } from './demo-router.js'

/** Something the backend holds on the router: a registration or subscription lease. */
export interface Lease {
  readonly status: ReadableStore<{ status: string }>
}

/** Sets up one demo backend on the page's backend connection; returns the leases it holds. */
export type BackendSetup = (connection: Connection) => readonly Lease[]

/** A demo backend: a name (set up once per page) and its setup. */
export type Backend = readonly [name: string, setup: BackendSetup]

let connection: Connection | undefined
const started = new Map<string, readonly Lease[]>()

/**
 * The demos' server side (callees, publishers): one long-lived connection per page. Its leases
 * come back by themselves after an outage, as a real backend service's would.
 */
export function backendConnection(): Connection {
  if (!connection) {
    // A quicker backoff than the providers': the services are back before the pages call them.
    connection = createConnection({ realm, url: realRouterUrl, open: openSession, reconnect: { maxDelay: 1000 } })
    connection.start()
  }
  return connection
}

/**
 * Sets up `backend` once per page and resolves once every lease it holds is active: a story
 * that calls at once must not meet `no_such_procedure` (a second story on a docs page included).
 */
export function startBackend([name, setup]: Backend): Promise<void> {
  let leases = started.get(name)
  if (!leases) {
    leases = setup(backendConnection())
    started.set(name, leases)
  }
  return whenActive(leases)
}

/** Resolves once every backend lease started on this page is active, or after `timeoutMs`. */
export function backendsActive(timeoutMs: number): Promise<void> {
  return whenActive([...started.values()].flat(), timeoutMs)
}

function whenActive(leases: readonly Lease[], timeoutMs = Number.POSITIVE_INFINITY): Promise<void> {
  return new Promise((resolve) => {
    const unlisten: (() => void)[] = []
    let timer: ReturnType<typeof setTimeout> | undefined
    const done = () => {
      for (const stop of unlisten) stop()
      clearTimeout(timer)
      resolve()
    }
    const check = () => {
      if (leases.every((lease) => lease.status.getSnapshot().status === 'active')) done()
    }
    for (const lease of leases) unlisten.push(lease.status.subscribe(check))
    if (Number.isFinite(timeoutMs)) timer = setTimeout(done, timeoutMs)
    check()
  })
}
