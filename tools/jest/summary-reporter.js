// Writes each jest project's totals to tmp/test-results/<project>.json so that
// tools/test-all.mjs can print one closing line for the whole workspace.
const fs = require('fs');
const path = require('path');

class SummaryReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }

  onRunComplete(_contexts, results) {
    const root = path.join(__dirname, '..', '..');
    const dir = path.join(root, 'tmp', 'test-results');
    fs.mkdirSync(dir, { recursive: true });
    const name = path.relative(root, this.globalConfig.rootDir).replace(/[\\/]/g, '__') || 'root';
    const failedSuites = results.testResults.filter((r) => r.testExecError || r.failureMessage).length;
    fs.writeFileSync(
      path.join(dir, `${name}.json`),
      JSON.stringify({
        project: name,
        passed: results.numPassedTests,
        failed: results.numFailedTests,
        skipped: results.numPendingTests + results.numTodoTests,
        failedSuites,
        success: results.success,
      }),
    );
  }
}

module.exports = SummaryReporter;
