#!/usr/bin/env node
// The README's test command: lint, test and build every project, then print
// one closing line with the totals of every jest project. In CI (CI=true) a
// skipped test is a failure: tests that need Docker or Chromium must run there.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, 'tmp', 'test-results');
rmSync(resultsDir, { recursive: true, force: true });

const env = { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_TUI: 'false' };
const targets = process.argv.slice(2).length ? process.argv.slice(2) : ['lint', 'test', 'build', 'typecheck'];
const run = spawnSync(
  'npx',
  ['nx', 'run-many', '-t', ...targets, '--skip-nx-cache', '--outputStyle=stream', '--parallel=2'],
  { cwd: root, env, stdio: 'inherit' },
);

let passed = 0;
let failed = 0;
let skipped = 0;
let failedSuites = 0;
if (existsSync(resultsDir)) {
  for (const file of readdirSync(resultsDir)) {
    const r = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
    passed += r.passed;
    failed += r.failed;
    skipped += r.skipped;
    failedSuites += r.failedSuites;
    console.log(`  ${r.project}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  }
}
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);

let code = run.status ?? 1;
if (targets.includes('test') && passed === 0) {
  console.error('No test ran.');
  code = code || 1;
}
if (failed > 0 || failedSuites > 0) code = code || 1;
if (process.env.CI === 'true' && skipped > 0) {
  console.error(`CI: ${skipped} skipped test(s); in CI every test must run.`);
  code = code || 1;
}
process.exit(code);
