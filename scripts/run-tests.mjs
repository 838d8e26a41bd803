#!/usr/bin/env node
// Runs every test once (vitest projects over packages/* and apps/*) and ends with
// one plain line, `N passed, N failed, N skipped`, for CI.
//
// Two runs: everything but the browser app, then the browser app alone. The web app's tests
// measure the page (the longest gap between animation frames while a worker trains), which
// means nothing while other test files load the same two cores.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const phases = [
  { name: 'libraries and CLI', project: '!web' },
  { name: 'browser app', project: 'web' },
];

const total = { passed: 0, failed: 0, skipped: 0 };
let status = 0;
for (const phase of phases) {
  const results = `.vitest-results-${phase.project.replace('!', 'not-')}.json`;
  rmSync(results, { force: true });
  console.log(`\n== tests: ${phase.name} (--project=${phase.project})`);
  const run = spawnSync(
    'pnpm',
    [
      'exec',
      'vitest',
      'run',
      `--project=${phase.project}`,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${results}`,
    ],
    // Run after `turbo run build` (pnpm test:ci): the web tests serve the app it built.
    { stdio: 'inherit', env: { ...process.env, NEURONA_WEB_BUILT: '1' } },
  );
  let report;
  try {
    report = JSON.parse(readFileSync(results, 'utf8'));
  } catch {
    total.failed += 1;
    status = run.status || 1;
    continue;
  }
  total.passed += report.numPassedTests;
  // A file that fails to load has no failed test of its own; count it once.
  total.failed += report.numFailedTests || (run.status !== 0 ? Math.max(1, report.numFailedTestSuites ?? 0) : 0);
  total.skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  if (run.status !== 0) status = run.status || 1;
}
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 || status !== 0 ? 1 : 0);
