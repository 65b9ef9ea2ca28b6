import type { ConnectionOptions } from '../../src/connection/index.js'
import { backendsActive } from './backend.js'
import { openSession, realm, realRouterUrl, refuseWhileDown } from './demo-router.js'

export { ns, realm, realRouterUrl } from './demo-router.js'

/**
 * The providers' options, one object per page. After an outage a provider waits (up to 3 s)
 * for the demo backend's registrations, so its first call does not race the callee's return.
 */
const options: ConnectionOptions = {
  realm,
  url: realRouterUrl,
  open: async (url, config) => {
    refuseWhileDown()
    await backendsActive(3000)
    return openSession(url, config)
  },
  reconnect: { initialDelay: 250, maxDelay: 5000 },
}

export function providerOptions(): ConnectionOptions {
  return options
}
