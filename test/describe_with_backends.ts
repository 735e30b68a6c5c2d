/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {webgpu_util} from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';

import {integralWeightTensorflowConfig} from '../kernels/tensorflow/IntegralWeight';
import {integralWeightBackpropTensorflowConfig} from '../kernels/tensorflow/IntegralWeightBackprop';
import {IntegralWeight, IntegralWeightBackprop} from '../src/kernel_names';

/**
 * Test backend `composite`: the cpu backend with its weight kernels swapped for the ones built from standard ops,
 * which serve the `tensorflow` backend (tfjs-node cannot install here). The same specs then test that path.
 */
export const COMPOSITE = 'composite';

function swapInCompositeKernels(): () => void {
  const saved = [IntegralWeight, IntegralWeightBackprop].map(name => tf.getKernel(name, 'cpu')!);
  for (const k of saved) tf.unregisterKernel(k.kernelName, 'cpu');
  tf.registerKernel({...integralWeightTensorflowConfig, backendName: 'cpu'});
  tf.registerKernel({...integralWeightBackpropTensorflowConfig, backendName: 'cpu'});
  return () => {
    for (const k of saved) {
      tf.unregisterKernel(k.kernelName, 'cpu');
      tf.registerKernel(k);
    }
  };
}

/**
 * The webgpu specs multiply matrices of every size with tfjs's tiled program. For outputs of at most 128 elements
 * tfjs picks a workgroup-reduction program, which SwiftShader (barriers emulated in software; the test machines have
 * no GPU) runs in about a second a dispatch, a hundred times the tiled one's time: the small models of the flows'
 * specs would take minutes. The kernels compose tfjs's `BatchMatMul` as a black box, whichever program it runs.
 */
function useTiledMatMul(): () => void {
  const saved = tf.env().getNumber('WEBGPU_MATMUL_PROGRAM_TYPE');
  tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', webgpu_util.MatMulProgramType.MatMulPackedProgram);
  return () => tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', saved);
}

/** The backends this run tests: set by `node_setup.ts` (cpu, wasm, webgpu, composite) or `browser_setup.ts` (webgl, webgpu). */
export function testBackends(): string[] {
  return (globalThis as {TEST_BACKENDS?: string[]}).TEST_BACKENDS ?? ['cpu'];
}

/**
 * The backends for specs of whole models (graph models wrapped, exported, refused): every test backend except
 * Chromium's webgpu, whose kernels and ops the other specs test there, and which the Node suite runs on the same Dawn
 * WebGPU; software shader compilation for every new shape makes whole-model specs take minutes in Chromium's.
 */
export function modelLevelBackends(): string[] {
  const inBrowser = typeof window !== 'undefined';
  return testBackends().filter(b => !(inBrowser && b === 'webgpu'));
}

/**
 * The backends for whole-model flows (calibration of whole models, distillation, width search, a graph model
 * through them): Node's only. Every op they run is tested on every backend by the kernel, op and layer specs, the
 * browser app's test runs the flows on webgl end to end, and Chromium's software shader compilation for every new
 * shape makes them take minutes there.
 */
export function flowBackends(): string[] {
  return typeof window !== 'undefined' ? [] : testBackends();
}

/**
 * Runs `fn` once per test backend, as a suite named `${name} [${backend}]`. Each suite switches to its backend
 * (failing if it cannot start) and every spec must leave `tf.memory().numTensors` as it found it.
 */
export function describeWithBackends(name: string, fn: (backend: string) => void, backends = testBackends()) {
  for (const backend of backends) {
    describe(`${name} [${backend}]`, () => {
      let tensorsBefore = 0;
      let restore = () => {};
      beforeAll(async () => {
        const name = backend === COMPOSITE ? 'cpu' : backend;
        if (!(await tf.setBackend(name))) throw new Error(`backend '${name}' failed to initialize`);
        if (backend === COMPOSITE) restore = swapInCompositeKernels();
        if (backend === 'webgpu') restore = useTiledMatMul();
      });
      afterAll(() => restore());
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
