/**
 * `npm run soak` runs this before vitest (`npm test` runs test/run.ts, which does the same): it
 * prepares what the routers and projects need (see prepare.ts), or fails saying how to install it.
 */
import { prepare, setupFailed } from './prepare.js'

await prepare(process.argv.slice(2)).catch(setupFailed)
