/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';

import {expectClose} from '../test_util';

/** Runs a fixture in a fresh Node process (tsx), returning its JSON report. */
function run(fixture: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', fixture)],
                           {encoding: 'utf8', timeout: 300000});
  expect(result.status).withContext(result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as {gradients: number[][], conv2dBackpropInput: string,
                                                                   stepMs: number};
}

describe('import order (Node, wasm)', () => {
  it('gives the same gradients and training speed whether tfjs-backend-wasm comes before the package or after', () => {
    // Each order twice, alternating, so that a slow moment of the machine does not decide the speed comparison.
    const runs = [run('train_wasm_first.ts'), run('train_integral_first.ts'), run('train_wasm_first.ts'),
                  run('train_integral_first.ts')];
    const [wasmFirst, integralFirst] = [runs[0], runs[1]];
    wasmFirst.stepMs = Math.min(runs[0].stepMs, runs[2].stepMs);
    integralFirst.stepMs = Math.min(runs[1].stepMs, runs[3].stepMs);
    expect(integralFirst.conv2dBackpropInput).toBe(wasmFirst.conv2dBackpropInput);  // this package's kernel both times
    expect(integralFirst.gradients.length).toBe(wasmFirst.gradients.length);
    integralFirst.gradients.forEach((g, i) => expectClose(g, wasmFirst.gradients[i], 1e-5));
    expect(integralFirst.stepMs / wasmFirst.stepMs).toBeLessThan(1.2);
    expect(integralFirst.stepMs / wasmFirst.stepMs).toBeGreaterThan(1 / 1.2);
  });
});
