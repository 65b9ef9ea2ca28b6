import type { HubLink } from './link.js'
import { type MessagePortLike, messagePortLink } from './port.js'
import { holdTabLock } from './tab-lock.js'

/** The part of SharedWorker a tab uses. */
export interface SharedWorkerLike {
  readonly port: MessagePortLike
  addEventListener?(type: 'error', listener: (event: unknown) => void): void
}

/** A link to the hub in a SharedWorker (one per site and worker URL, alive while a tab uses it). */
export function sharedWorkerLink(createWorker: () => SharedWorkerLike): HubLink {
  let worker: SharedWorkerLike | undefined
  let lock: { release(): void } | undefined
  return {
    kind: 'shared-worker',
    open(tabId, onHub) {
      const created = createWorker()
      worker = created
      // A worker file that does not load leaves the tab connecting: say why, once, where developers look.
      created.addEventListener?.('error', (event) =>
        console.error(
          '[react-wamp] the shared session worker failed to load; check that the bundler emits react-wamp/shared-worker (README: One session for all tabs)',
          event,
        ),
      )
      const held = holdTabLock(tabId)
      lock = held
      // The hub watches this tab's lock: it must be held before the hub hears of the tab.
      void held.held.then(() => {
        if (worker === created) onHub(messagePortLink(created.port))
      })
    },
    close() {
      lock?.release()
      worker?.port.close()
      worker = undefined
    },
  }
}
