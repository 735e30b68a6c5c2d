/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import type {KernelBackend, TensorInfo, TypedArray} from '@tensorflow/tfjs-core';

import {IntegralWeight, IntegralWeightAttrs, IntegralWeightInputs} from '../../src/kernel_names';
import {integralWeightImpl, Sampling} from '../shared/IntegralWeight_impl';
import {defineKernel, shape3} from '../shared/kernel_util';

/** Reads the sampling inputs of an integral kernel from a backend with synchronous reads. */
export function readSampling(
    backend: KernelBackend, inputs: {inCoords: TensorInfo, outCoords: TensorInfo, quadWeights: TensorInfo},
    cubicA: number): Sampling {
  const read = (t: TensorInfo) => backend.readSync(t.dataId) as TypedArray;
  return {
    inCoords: read(inputs.inCoords),
    outCoords: read(inputs.outCoords),
    quadWeights: read(inputs.quadWeights),
    cubicA,
  };
}

/** Writes a float32 result and returns its `TensorInfo`. */
export function writeFloat32(backend: KernelBackend, values: Float32Array, shape: number[]): TensorInfo {
  return {dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32'};
}

/**
 * Host kernel: synchronous reads, then the reference TypedArray maths. Registered for `cpu`; usable by any
 * backend whose `readSync` is cheap.
 */
export function integralWeightHost(
    {inputs, attrs, backend}: {inputs: IntegralWeightInputs, attrs: IntegralWeightAttrs, backend: KernelBackend}) {
  const shape = shape3(inputs.controls);
  const controls = backend.readSync(inputs.controls.dataId) as TypedArray;
  const s = readSampling(backend, inputs, attrs.cubicA);
  const out = integralWeightImpl(controls, shape, s, attrs.inDerivative, attrs.outDerivative);
  return writeFloat32(backend, out, [shape[0], s.inCoords.length, s.outCoords.length]);
}

/** `IntegralWeight` as a host kernel for `backendName` (cpu, and wasm: its heap reads are plain copies). */
export const integralWeightHostConfig = (backendName: string) =>
    defineKernel<IntegralWeightInputs, IntegralWeightAttrs, KernelBackend>(IntegralWeight, backendName, integralWeightHost);
