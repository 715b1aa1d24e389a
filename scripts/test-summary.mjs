// Adds up the JSON reports of every test step and prints one line: "tests: N passed, N failed".
// Exits non-zero when any test failed or when no test ran at all.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
  const report = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  if ('numPassedTests' in report) {
    // Vitest's JSON reporter (Jest-compatible shape).
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    console.log(`${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  } else if (report.stats) {
    // Playwright's JSON reporter.
    const { expected = 0, unexpected = 0, flaky = 0, skipped: s = 0 } = report.stats;
    passed += expected + flaky;
    failed += unexpected;
    skipped += s;
    console.log(`${file}: ${expected + flaky} passed${flaky > 0 ? ` (${flaky} on a retry)` : ''}, ${unexpected} failed`);
  }
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
