// @ts-check
/*
 * Writes one small JSON summary per jest run to tmp/test-results/, named after the Nx task, so
 * `npm test` can print one total line ("tests: N passed, N failed, N skipped") over all
 * projects and suites. Plain CommonJS: jest loads reporters without the TS transform.
 */
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class SummaryReporter {
  /** @param {import('@jest/reporters').Config.GlobalConfig} globalConfig */
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }

  /** @param {unknown} _contexts @param {import('@jest/reporters').AggregatedResult} results */
  onRunComplete(_contexts, results) {
    const dir = join(__dirname, '../../../../../tmp/test-results');
    mkdirSync(dir, { recursive: true });
    const task = `${process.env.NX_TASK_TARGET_PROJECT ?? 'jest'}-${process.env.NX_TASK_TARGET_TARGET ?? 'run'}`;
    const failures = results.testResults
      .filter((r) => r.numFailingTests > 0 || r.testExecError)
      .map((r) => ({
        file: r.testFilePath,
        failed: r.testResults.filter((t) => t.status === 'failed').map((t) => t.fullName),
        error: r.testExecError ? String(r.testExecError.message).slice(0, 500) : undefined,
      }));
    const skippedSuites = results.testResults
      .flatMap((r) => r.testResults.filter((t) => t.status === 'pending' || t.status === 'skipped'))
      .map((t) => t.fullName);
    writeFileSync(
      join(dir, `${task}.json`),
      JSON.stringify(
        {
          task,
          passed: results.numPassedTests,
          failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
          skipped: results.numPendingTests + results.numTodoTests,
          suites: results.numTotalTestSuites,
          failures,
          skippedTests: skippedSuites,
        },
        null,
        2,
      ),
    );
  }
}

module.exports = SummaryReporter;
