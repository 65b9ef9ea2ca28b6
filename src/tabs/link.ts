import type { TabPort } from './port.js'

/**
 * How a tab reaches the hub. `open` calls `onHub` with a port each time a hub becomes reachable:
 * once for a SharedWorker, again whenever a new leader takes over. The tab says hello on that
 * port and asks again for everything it holds.
 */
export interface HubLink {
  /** How the hub is reached, for diagnostics: `shared-worker`, `leader-election`, `port`. */
  readonly kind: string
  open(tabId: string, onHub: (port: TabPort) => void): void
  close(): void
}

/** A link to one hub over a port that is there already (a MessageChannel: tests, custom setups). */
export function portLink(port: TabPort): HubLink {
  return {
    kind: 'port',
    open: (_tabId, onHub) => onHub(port),
    close: () => port.close(),
  }
}
