/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The backends this run tests: set by `node_setup.ts` (cpu, wasm, webgpu) or `browser_setup.ts` (webgl, webgpu). */
export function testBackends(): string[] {
  return (globalThis as {TEST_BACKENDS?: string[]}).TEST_BACKENDS ?? ['cpu'];
}

/**
 * Runs `fn` once per test backend, as a suite named `${name} [${backend}]`. Each suite switches to its backend
 * (failing if it cannot start) and every spec must leave `tf.memory().numTensors` as it found it.
 */
export function describeWithBackends(name: string, fn: (backend: string) => void, backends = testBackends()) {
  for (const backend of backends) {
    describe(`${name} [${backend}]`, () => {
      let tensorsBefore = 0;
      beforeAll(async () => {
        if (!(await tf.setBackend(backend))) throw new Error(`backend '${backend}' failed to initialize`);
      });
      beforeEach(() => {
        tensorsBefore = tf.memory().numTensors;
      });
      afterEach(() => {
        expect(tf.memory().numTensors).withContext('tensors leaked by this spec').toBe(tensorsBefore);
      });
      fn(backend);
    });
  }
}
