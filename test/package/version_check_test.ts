/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
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
