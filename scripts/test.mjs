// `npm test`: type-check, lint, build the extension, then every vitest project
// (node, the relay tests again on PostgreSQL, real-Chromium e2e). Prints the totals as its last line in the form
// `N passed, N failed` so CI logs can be read at a glance.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { findChromium, CHROMIUM_HELP } from './find-chromium.mjs';

const failedSteps = [];
const run = (label, cmd, args, env = {}) => {
  console.log(`\n▶ ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) failedSteps.push(label);
  return r.status === 0;
};

run('typecheck', 'npm', ['run', '--silent', 'typecheck']);
run('lint', 'npm', ['run', '--silent', 'lint']);

const chromium = findChromium();
if (!chromium) {
  console.error(`\n✖ ${CHROMIUM_HELP}`);
  failedSteps.push('chromium');
}
const built = run('build extension', 'npm', ['run', '--silent', 'build']);
if (!built) console.error('✖ De extensie kon niet worden gebouwd; de e2e-tests zullen falen.');

mkdirSync('test-results', { recursive: true });
const extra = process.argv.slice(2);
// The node project first, then the browser project on its own: Chromium
// pages time out when they share two cores with hundreds of node tests.
let passed = 0;
let failed = 0;
let skipped = 0;
for (const project of ['node', 'node-postgres', 'e2e']) {
  const report = `test-results/vitest-${project}.json`;
  rmSync(report, { force: true });
  const ok = run(
    `vitest ${project}`,
    'npx',
    [
      'vitest',
      'run',
      '--project',
      project,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
      ...(extra.length ? ['--passWithNoTests', ...extra] : []),
    ],
    {
      CHROMIUM_PATH: chromium ?? '',
    },
  );
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed += json.numPassedTests ?? 0;
    failed += json.numFailedTests ?? 0;
    skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
  } else if (!ok) {
    console.error(`✖ vitest ${project} schreef geen rapport (zie hierboven).`);
    failed += 1;
  }
}

// A failed step (typecheck, lint, build, missing Chromium) counts as a failure too.
const stepFailures = failedSteps.filter((s) => !s.startsWith('vitest')).length;
if (failedSteps.length) console.error(`\nMislukte stappen: ${failedSteps.join(', ')}`);
console.log(`\n${passed} passed, ${failed + stepFailures} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failedSteps.length ? 1 : 0);
