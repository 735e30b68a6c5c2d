/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// Writes a Node jasmine suite's counts (suite name: $TEST_SUITE, default 'node') for scripts/test_all.mjs.
import {mkdirSync, writeFileSync} from 'node:fs';

// SwiftShader's WebGPU runs on the CPU: training specs take seconds there.
jasmine.DEFAULT_TIMEOUT_INTERVAL = 120000;

const counts = {passed: 0, failed: 0, skipped: 0};
jasmine.getEnv().addReporter({
  specDone(result) {
    if (result.status === 'passed') counts.passed++;
    else if (result.status === 'failed') counts.failed++;
    else counts.skipped++;
  },
  suiteDone(result) {
    if (result.status === 'failed') counts.failed++;  // an error in beforeAll/afterAll
  },
  jasmineDone() {
    const suite = process.env.TEST_SUITE ?? 'node';
    mkdirSync('.test-results', {recursive: true});
    writeFileSync(`.test-results/${suite}.json`, JSON.stringify(counts));
    console.log(`${suite}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  },
});
