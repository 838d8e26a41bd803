#!/usr/bin/env node
// Runs every test once (vitest projects over packages/* and apps/*) and ends with
// one plain line, `N passed, N failed, N skipped`, for CI.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const results = '.vitest-results.json';
rmSync(results, { force: true });
const run = spawnSync(
  'pnpm',
  ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`],
  { stdio: 'inherit' },
);
let report;
try {
  report = JSON.parse(readFileSync(results, 'utf8'));
} catch {
  console.log('0 passed, 1 failed');
  process.exit(run.status || 1);
}
const passed = report.numPassedTests;
// A file that fails to load has no failed test of its own; count it once.
const failed = report.numFailedTests || (run.status !== 0 ? Math.max(1, report.numFailedTestSuites ?? 0) : 0);
const skipped = report.numPendingTests + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || run.status !== 0 ? 1 : 0);
