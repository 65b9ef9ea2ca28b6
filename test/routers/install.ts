/**
 * `npm test` runs this first: it builds or installs every router that WAMP_ROUTERS selects
 * (cached outside the clone, so later runs take a moment), or fails saying how to install
 * what is missing. The test run itself then starts them on free ports of 127.0.0.1.
 */
import { selectedRouters } from './start.js'

const routers = selectedRouters()
try {
  for (const name of routers) {
    if (name === 'nexus') await (await import('./nexus/install.js')).ensureNexus()
    if (name === 'crossbar') await (await import('./crossbar/install.js')).ensureCrossbar()
  }
} catch (error) {
  process.stderr.write(`\nThe test routers could not be prepared:\n${(error as Error).message}\n\n`)
  process.exit(1)
}
