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
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as {gradients: number[][],
                                                                   registered: Record<string, boolean>};
}

describe('import order (Node, wasm)', () => {
  it('trains on this package\'s wasm kernels, with the same gradients, whether tfjs-backend-wasm comes first or last', () => {
    const [wasmFirst, integralFirst] = [run('train_wasm_first.ts'), run('train_integral_first.ts')];
    for (const report of [wasmFirst, integralFirst]) {
      expect(Object.keys(report.registered).length).toBeGreaterThan(0);
      for (const [name, ours] of Object.entries(report.registered)) expect(ours).withContext(name).toBeTrue();
    }
    expect(integralFirst.gradients.length).toBe(wasmFirst.gradients.length);
    integralFirst.gradients.forEach((g, i) => expectClose(g, wasmFirst.gradients[i], 1e-5));
  });
});
