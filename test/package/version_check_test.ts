/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';

import {checkTfjsVersions} from '../../src/util/version_check';

describe('tfjs version check', () => {
  it('is silent on tfjs 4.22 and warns once, with the fix, otherwise', () => {
    const warnings: string[] = [];
    expect(checkTfjsVersions('4.22.0', '4.22.0', m => warnings.push(m))).toBeNull();
    expect(warnings).toEqual([]);
    checkTfjsVersions('4.21.0', '4.22.0', m => warnings.push(m));
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toMatch(/tfjs-integral supports tfjs 4.22.x, but loaded @tensorflow\/tfjs-core 4.21.0\. .*npm install @tensorflow\/tfjs@~4.22.0/);
  });
});

describe('a second copy of tfjs-layers', () => {
  it('gets an error with the fix from wrapModel and from an integral layer, the package\'s own copy none', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'second_tfjs_layers.ts')],
                             {encoding: 'utf8', timeout: 120000});
    expect(result.status).withContext(result.stderr).toBe(0);
    const report = JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, string|null>;
    const fix = /another copy of @tensorflow\/tfjs-layers .*npm ls @tensorflow\/tfjs-layers.*npm dedupe/;
    expect(report.wrapModel).toMatch(/^Error in wrapModel: 'model' /);
    expect(report.wrapModel).toMatch(fix);
    expect(report.apply).toMatch(/^Error in IntegralDense '[^']+': 'inputs' /);
    expect(report.apply).toMatch(fix);
    expect(report.sameCopy).toBeNull();
  });
});
