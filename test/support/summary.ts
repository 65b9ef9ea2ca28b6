import { readFileSync, writeFileSync } from 'node:fs'

/** The counts behind the last line of every test run. */
export interface Counts {
  passed: number
  failed: number
  skipped: number
}

/** `N passed, N failed, N skipped`: the one plain line any CI can read. */
export function summaryLine({ passed, failed, skipped }: Counts): string {
  return `${passed} passed, ${failed} failed, ${skipped} skipped`
}

/** test/run.ts names a file here: the reporter leaves the counts there and run.ts prints the last line. */
export const COUNTS_FILE_ENV = 'WAMP_TEST_COUNTS_FILE'

export function writeCounts(file: string, counts: Counts): void {
  writeFileSync(file, JSON.stringify(counts))
}

export function readCounts(file: string): Counts | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Counts
  } catch {
    return undefined // vitest ended before its reporters did
  }
}
