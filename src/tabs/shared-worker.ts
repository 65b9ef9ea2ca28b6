/**
 * The SharedWorker that holds the session shared by the tabs (`react-wamp/shared-worker`).
 * Load it from app code, so the bundler emits it as a worker:
 * `new SharedWorker(new URL('react-wamp/shared-worker', import.meta.url), { type: 'module' })`.
 */
import { TabHubs } from './hubs.js'
import { type MessagePortLike, messagePortLink } from './port.js'
import { watchTab } from './tab-lock.js'

interface ConnectEvent {
  ports: readonly MessagePortLike[]
}

const hubs = new TabHubs()
const scope = globalThis as unknown as {
  addEventListener(type: 'connect', listener: (event: ConnectEvent) => void): void
}
scope.addEventListener('connect', (event) => {
  for (const port of event.ports) hubs.serve(messagePortLink(port), watchTab)
})
