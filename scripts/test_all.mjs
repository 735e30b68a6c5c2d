/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// `npm test`: the Node suite (cpu, wasm, webgpu), the karma suite (webgl, webgpu in headless Chromium), then the
// browser app driven in headless Chromium. Prints one closing line "N passed, N failed, N skipped" summed over all,
// and exits non-zero on any failure, on a suite that crashed or on a suite that ran no spec.
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync, rmSync} from 'node:fs';

const suites = [
  {name: 'node', script: 'test:node'},
  {name: 'browser', script: 'test:browser'},
  {name: 'app', script: 'test:app'},
];
const total = {passed: 0, failed: 0, skipped: 0};
let ok = true;
rmSync('.test-results', {recursive: true, force: true});
for (const {name, script} of suites) {
  const run = spawnSync('npm', ['run', '--silent', script], {stdio: 'inherit'});
  const file = `.test-results/${name}.json`;
  const counts = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  if (counts == null || counts.passed + counts.failed === 0) {
    console.error(`${name} suite: no results (exit status ${run.status})`);
    total.failed++;
    ok = false;
    continue;
  }
  for (const k of Object.keys(total)) total[k] += counts[k];
  if (run.status !== 0 || counts.failed > 0) ok = false;
}
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(ok ? 0 : 1);
