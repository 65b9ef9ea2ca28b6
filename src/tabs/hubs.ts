import { defaultLogger } from '../client/logger.js'
import { type HubOptions, TabHub } from './hub.js'
import { readTabMessage } from './messages.js'
import type { TabPort } from './port.js'
import { sessionKey } from './session-key.js'

export { sessionKey } from './session-key.js'

/**
 * The hubs of one SharedWorker (or one elected tab): one per session key. A new port must say
 * `hello` first; what it sends before is dropped with a logged reason.
 */
export class TabHubs {
  private readonly hubs = new Map<string, TabHub>()

  constructor(private readonly options: HubOptions = {}) {}

  get size(): number {
    return this.hubs.size
  }

  /** The hub of a session key, if a tab uses it now. */
  hub(key: string): TabHub | undefined {
    return this.hubs.get(key)
  }

  /** Ends every hub (the leader steps down). */
  async closeAll(): Promise<void> {
    const hubs = [...this.hubs.values()]
    this.hubs.clear()
    await Promise.all(hubs.map((hub) => hub.close()))
  }

  /** Serves a new tab port. `watch` is told the tab's ID once known (to learn when the tab is gone). */
  serve(port: TabPort, watch?: (tabId: string, gone: () => void) => void): void {
    const logger = this.options.logger ?? defaultLogger(false)
    const unlisten = port.listen((raw) => {
      const read = readTabMessage(raw)
      if (!read.ok || read.message.t !== 'hello') {
        logger.warn(`dropped a message from a new tab: ${read.ok ? `${read.message.t} before hello` : read.reason}`)
        return
      }
      unlisten()
      const hello = read.message
      const key = sessionKey(hello.options)
      let hub = this.hubs.get(key)
      if (!hub) {
        const created: TabHub = new TabHub(hello.options, {
          ...this.options,
          onEmpty: () => {
            if (this.hubs.get(key) === created) this.hubs.delete(key)
            void created.close()
          },
        })
        hub = created
        this.hubs.set(key, hub)
      }
      hub.attach(port, hello)
      const attached = hub
      watch?.(hello.tab, () => attached.detach(hello.tab))
    })
  }
}
