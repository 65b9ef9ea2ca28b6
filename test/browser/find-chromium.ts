import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

export const CHROMIUM_HINT =
  "Chromium is needed for the browser tests: install Debian's (apt-get install -y chromium), or set CHROMIUM_PATH"

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** CHROMIUM_PATH, or the first `chromium` (or `chromium-browser`) on PATH; undefined when there is none. */
export function findChromium(): string | undefined {
  const given = process.env.CHROMIUM_PATH
  if (given) return executable(given) ? given : undefined
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean)
  for (const dir of dirs) {
    for (const name of ['chromium', 'chromium-browser']) if (executable(join(dir, name))) return join(dir, name)
  }
  return undefined
}

/** The Chromium to run, or an error that says what is missing and how to install it. */
export function requireChromium(): string {
  const found = findChromium()
  if (found) return found
  const given = process.env.CHROMIUM_PATH
  throw new Error(`${CHROMIUM_HINT}. ${given ? `CHROMIUM_PATH=${given} is not an executable.` : 'None is on PATH.'}`)
}
