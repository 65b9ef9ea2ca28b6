import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { react18Dir } from './install.js'

/** The React 18 run needs its folder; `npm test` installs it first. */
export default function check(): void {
  if (!existsSync(join(react18Dir(), 'node_modules', 'react-dom'))) {
    throw new Error(
      'React 18 is not installed for the react18 project: run `npm test` (or `npx tsx test/install.ts`) first',
    )
  }
}
