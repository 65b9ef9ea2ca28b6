import type { Reporter, TestModule, TestRunEndReason } from 'vitest/node'
import { COUNTS_FILE_ENV, type Counts, summaryLine, writeCounts } from './summary.js'

/**
 * Ends the run with one plain line, `N passed, N failed, N skipped`, that any CI can read. What
 * fails outside a test counts too: a file whose hooks or import failed (its tests show as skipped),
 * an unhandled error, a global setup that threw (the run fails with no test at all).
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<unknown>,
    reason: TestRunEndReason,
  ): void {
    const counts: Counts = { passed: 0, failed: unhandledErrors.length, skipped: 0 }
    for (const module of testModules) {
      let failedTests = 0
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') counts.passed += 1
        else if (state === 'failed') failedTests += 1
        else counts.skipped += 1
      }
      counts.failed += failedTests
      if (module.state() === 'failed' && failedTests === 0) counts.failed += 1
    }
    if (reason === 'failed' && counts.failed === 0) counts.failed = 1
    const file = process.env[COUNTS_FILE_ENV]
    if (file) writeCounts(file, counts)
    else process.stdout.write(`\n${summaryLine(counts)}\n`)
  }
}
