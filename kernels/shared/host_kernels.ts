/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import type {KernelBackend, TensorInfo, TypedArray} from '@tensorflow/tfjs-core';

import {IntegralWeightAttrs, IntegralWeightBackpropAttrs, IntegralWeightBackpropInputs, IntegralWeightInputs} from '../../src/kernel_names';
import {integralWeightBackpropImpl, integralWeightImpl, Sampling} from './IntegralWeight_impl';
import {shape3} from './kernel_util';

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
 * `IntegralWeight` as a host kernel: synchronous reads, then the reference TypedArray maths. Serves `cpu`, and
 * `wasm`, whose reads are plain heap copies.
 */
export function integralWeightHost(
    {inputs, attrs, backend}: {inputs: IntegralWeightInputs, attrs: IntegralWeightAttrs, backend: KernelBackend}) {
  const shape = shape3(inputs.controls);
  const s = readSampling(backend, inputs, attrs.cubicA);
  const key = samplingKey(s, attrs);
  let out = cachedWeight(inputs.controls.dataId, key);
  if (out == null) {
    const controls = backend.readSync(inputs.controls.dataId) as TypedArray;
    out = integralWeightImpl(controls, shape, s, attrs.inDerivative, attrs.outDerivative);
    remember(inputs.controls.dataId, key, out);
  }
  return writeFloat32(backend, out.slice(), [shape[0], s.inCoords.length, s.outCoords.length]);
}

/**
 * Sampled weights by control data: inference calls an integral layer again and again on the same controls (a
 * variable's data changes identity when it is assigned), so the synthesis runs once per sampling. Weak keys: an
 * entry goes with its data.
 */
const weightCache = new WeakMap<object, Array<{key: Float64Array, weight: Float32Array}>>();
const ENTRIES_PER_CONTROLS = 4;

function samplingKey(s: Sampling, attrs: IntegralWeightAttrs): Float64Array {
  const head = [attrs.cubicA, +attrs.inDerivative, +attrs.outDerivative, s.inCoords.length, s.outCoords.length];
  const key = new Float64Array(head.length + s.inCoords.length + s.outCoords.length + s.quadWeights.length);
  let at = 0;
  for (const part of [head, s.inCoords, s.outCoords, s.quadWeights]) {
    for (let i = 0; i < part.length; i++) key[at++] = part[i];
  }
  return key;
}

function cachedWeight(dataId: object, key: Float64Array): Float32Array|undefined {
  const same = (a: Float64Array) => a.length === key.length && a.every((v, i) => v === key[i]);
  return weightCache.get(dataId)?.find(e => same(e.key))?.weight;
}

function remember(dataId: object, key: Float64Array, weight: Float32Array) {
  const entries = weightCache.get(dataId) ?? [];
  entries.unshift({key, weight});
  weightCache.set(dataId, entries.slice(0, ENTRIES_PER_CONTROLS));
}

/** `IntegralWeightBackprop` as a host kernel (see {@link integralWeightHost}). */
export function integralWeightBackpropHost({inputs, attrs, backend}: {
  inputs: IntegralWeightBackpropInputs, attrs: IntegralWeightBackpropAttrs, backend: KernelBackend
}) {
  const dy = backend.readSync(inputs.dy.dataId) as TypedArray;
  const s = readSampling(backend, inputs, attrs.cubicA);
  return writeFloat32(backend, integralWeightBackpropImpl(dy, attrs.controlsShape, s), attrs.controlsShape);
}
