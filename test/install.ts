/**
 * `npm test` runs this first: it builds or installs every router that WAMP_ROUTERS selects,
 * the nexus Go client peer of the interop tests, and React 18 for the second React run (all cached outside the clone, so later runs take a
 * moment), or fails saying how to install what is missing. The test run itself then starts the
 * routers on free ports of 127.0.0.1.
 */
import { ensureNexusPeer } from './peers/nexus-client/install.js'
import { ensureReact18 } from './react18/install.js'
import { selectedRouters } from './routers/start.js'

const routers = selectedRouters()
try {
  for (const name of routers) {
    if (name === 'nexus') await (await import('./routers/nexus/install.js')).ensureNexus()
    if (name === 'crossbar') await (await import('./routers/crossbar/install.js')).ensureCrossbar()
  }
  if (routers.length > 0) await ensureNexusPeer()
  ensureReact18()
} catch (error) {
  process.stderr.write(`\nThe test environment could not be prepared:\n${(error as Error).message}\n\n`)
  process.exit(1)
}
