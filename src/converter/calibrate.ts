/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import * as tfl from '@tensorflow/tfjs-layers';

import {integralWeight} from '../ops/integral_weight';
import {assertArg, describeValue} from '../util/errors';
import type {ProducerCalibration} from './kinds/layer_kind';
import {kindOfClass} from './kinds/registry';
import {ridgeSolve} from './least_squares';

/** Progress of {@link IntegralModel.calibrate}: layer `index` of `total` (`layer` names it) is fitted. */
export interface CalibrationProgress {
  layer: string;
  index: number;
  total: number;
}

/** Options of `IntegralModel.calibrate` (api.md §5). */
export interface CalibrateOptions {
  /** Inputs per forward pass (default 64): memory is bounded by it, never the whole calibration set. */
  batchSize?: number;
  /** Ridge, relative to the mean diagonal of each layer's input Gram matrix (default 1e-3). */
  ridge?: number;
  /** Called after each layer is fitted. */
  onProgress?: (progress: CalibrationProgress) => void;
}

/** Calibration inputs: a tensor `[N, ...input shape]`, or a `tf.data.Dataset` of inputs or of input batches. */
export type CalibrationData = tf.Tensor|tfd.Dataset<tf.Tensor>;

/** A producer to re-fit: its output sampling along the full width's channels (`null`: discrete, taken as is). */
export interface CalibrationTarget {
  name: string;
  /** `[C_full, n]`: the full output sampled at the narrow layer's channel positions, or null for the identity. */
  sampling: tf.Tensor2D|null;
}

const OP = 'calibrate';

/** The output channels of the full width sampled at `n` uniform positions (api.md §1), as a `[C, n]` matrix. */
export function outputSampling(fullSize: number, n: number, cubicA: number): tf.Tensor2D {
  return tf.tidy(() => integralWeight(tf.eye(fullSize), {inContinuous: false, outSize: n, cubicA}) as tf.Tensor2D);
}

/** Checks one batch of calibration inputs against the model's input, naming `calibrate` and the argument. */
async function checkBatch(x: tf.Tensor, input: tfl.SymbolicTensor, arg: string) {
  assertArg(x instanceof tf.Tensor, OP, arg, 'a Tensor or a tf.data.Dataset of tensors', x);
  const expected = input.shape.slice(1);
  const matches = x.rank === expected.length + 1 && expected.every((d, i) => d == null || d === x.shape[i + 1]);
  assertArg(matches, OP, arg, `of shape [N, ${expected.map(d => d ?? 'any').join(', ')}] (the model's input)`, x);
  assertArg(x.shape[0] > 0, OP, arg, 'non-empty', x);
  assertArg(x.dtype === input.dtype, OP, arg, `of dtype ${input.dtype} (the model's input)`, x);
  if (x.dtype === 'float32') {
    const finite = tf.tidy(() => tf.all(tf.isFinite(x)));
    const ok = (await finite.data())[0] === 1;
    finite.dispose();
    assertArg(ok, OP, arg, 'finite (no NaN or Inf)', x);
  }
}

/** Calls `fn` on each batch of at most `batchSize` inputs (disposed after it), validating each. */
async function forEachBatch(data: CalibrationData, input: tfl.SymbolicTensor, batchSize: number,
                            fn: (x: tf.Tensor) => Promise<void>) {
  if (data instanceof tf.Tensor) {
    for (let start = 0; start < data.shape[0]; start += batchSize) {
      const x = tf.slice(data, start, Math.min(batchSize, data.shape[0] - start));
      try {
        await fn(x);
      } finally {
        x.dispose();
      }
    }
    return;
  }
  const iterator = await data.iterator();
  let single: tf.Tensor[] = [];
  const flush = async () => {
    if (single.length === 0) return;
    const x = tf.stack(single);
    tf.dispose(single);
    single = [];
    try {
      await checkBatch(x, input, 'x');
      await fn(x);
    } finally {
      x.dispose();
    }
  };
  for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
    const element = r.value;
    if (element instanceof tf.Tensor && element.rank === input.shape.length - 1) {  // one input, not a batch
      single.push(element);
      if (single.length === batchSize) await flush();
      continue;
    }
    try {
      await checkBatch(element, input, 'x');
      for (let start = 0; start < element.shape[0]; start += batchSize) {
        const x = tf.slice(element, start, Math.min(batchSize, element.shape[0] - start));
        try {
          await fn(x);
        } finally {
          x.dispose();
        }
      }
    } finally {
      tf.dispose(element);
    }
  }
  await flush();
}

/** The part of a model from its input to the input of one of its layers, as a function of an input batch. */
type Prefix = (x: tf.Tensor) => tf.Tensor;

/**
 * The prefix of `model` before its layer `name`. It shares the model's layers and holds no tensor of its own; it is
 * not disposed (disposing a model disposes its layers, which `model` still uses).
 */
function prefix(model: tfl.LayersModel, name: string): Prefix {
  const input = model.getLayer(name).input as tfl.SymbolicTensor;
  if (input === model.inputs[0]) return x => x;
  const part = tfl.model({inputs: model.inputs, outputs: input});
  return x => part.predict(x, {batchSize: x.shape[0]}) as tf.Tensor;
}

/** Adds `v` (a `rows × cols` float32 product, read back) into the float64 block of `into` at (`r0`, `c0`). */
function accumulate(into: Float64Array, stride: number, v: Float32Array, cols: number, r0 = 0, c0 = 0) {
  for (let i = 0; i < v.length / cols; i++) {
    const base = (r0 + i) * stride + c0;
    for (let j = 0; j < cols; j++) into[base + j] += v[i * cols + j];
  }
}

/**
 * Re-fits, in place and in graph order, the producers `targets` of the stock model `narrow` (the IntegralModel at
 * its widths) so that each one's pre-activation output on the calibration inputs matches `full`'s (the original
 * widths) sampled at its channel positions (inn-math.md §10). Each layer's inputs come from `narrow` with the layers
 * before it already re-fitted; the normal equations `[X 1]ᵀ[X 1]`, `[X 1]ᵀZ` are accumulated batch by batch and
 * solved on the host in float64.
 */
export async function calibrateLayers(narrow: tfl.LayersModel, full: tfl.LayersModel, targets: CalibrationTarget[],
                                      data: CalibrationData, options: CalibrateOptions) {
  const {batchSize = 64, ridge = 1e-3, onProgress} = options;
  assertArg(Number.isInteger(batchSize) && batchSize >= 1, OP, 'options.batchSize', 'a positive integer', batchSize);
  assertArg(Number.isFinite(ridge) && ridge >= 0, OP, 'options.ridge', 'a non-negative number', ridge);
  assertArg(narrow.inputs.length === 1, OP, 'model', 'a model with one input', `${narrow.inputs.length} inputs`);
  if (data instanceof tf.Tensor) await checkBatch(data, narrow.inputs[0], 'x');
  else assertArg(data != null && typeof (data as {iterator?: unknown}).iterator === 'function', OP, 'x',
                 'a Tensor or a tf.data.Dataset of tensors', describeValue(data));
  for (const [index, target] of targets.entries()) {
    const layer = narrow.getLayer(target.name);
    const fullLayer = full.getLayer(target.name);
    const calibration = kindOfClass(layer.getClassName())!.calibration!;
    const [kernel, bias] = layer.getWeights();
    const [fullKernel, fullBias] = fullLayer.getWeights();
    const prefixes = {narrow: prefix(narrow, target.name), full: prefix(full, target.name)};
    const fitted = await fitLayer(calibration, narrow.inputs[0], prefixes,
                                  {config: layer.getConfig(), kernelShape: kernel.shape, hasBias: bias != null},
                                  {config: fullLayer.getConfig(), kernel: fullKernel, bias: fullBias}, target.sampling,
                                  data, batchSize, ridge);
    layer.setWeights(fitted);
    tf.dispose(fitted);
    onProgress?.({layer: target.name, index, total: targets.length});
  }
}

/** Least squares for one producer: accumulates the normal equations over the batches and solves them. */
async function fitLayer(calibration: ProducerCalibration, input: tfl.SymbolicTensor,
                        prefixes: {narrow: Prefix, full: Prefix},
                        narrow: {config: tf.serialization.ConfigDict, kernelShape: number[], hasBias: boolean},
                        full: {config: tf.serialization.ConfigDict, kernel: tf.Tensor, bias?: tf.Tensor},
                        sampling: tf.Tensor2D|null, data: CalibrationData, batchSize: number, ridge: number):
    Promise<tf.Tensor[]> {
  const fullMatrix = calibration.toMatrix(full.kernel);
  let d = 0, k = 0, gram: Float64Array|null = null, cross: Float64Array|null = null;
  try {
    await forEachBatch(data, input, batchSize, async x => {
      const parts = tf.tidy(() => {
        const patches = calibration.patches(prefixes.narrow(x), narrow.config, narrow.kernelShape);
        const fullPatches = calibration.patches(prefixes.full(x), full.config, full.kernel.shape);
        let z = tf.matMul(fullPatches, fullMatrix);
        if (full.bias != null) z = tf.add(z, full.bias);
        if (sampling != null) z = tf.matMul(z, sampling);
        // An explicit transpose: wasm's matMul with a transposed operand is many times slower than without.
        const transposed = tf.transpose(patches);
        return [tf.matMul(transposed, patches), tf.matMul(transposed, z), tf.sum(patches, 0), tf.sum(z, 0),
                tf.scalar(patches.shape[0])];
      });
      const [pp, pz, ps, zs, rows] = await Promise.all(parts.map(t => t.data() as Promise<Float32Array>));
      tf.dispose(parts);
      if (gram == null) {
        [d, k] = [ps.length, zs.length];
        const size = d + (narrow.hasBias ? 1 : 0);
        gram = new Float64Array(size * size);
        cross = new Float64Array(size * k);
      }
      const size = d + (narrow.hasBias ? 1 : 0);
      accumulate(gram, size, pp, d);
      accumulate(cross!, k, pz, k);
      if (narrow.hasBias) {
        accumulate(gram, size, ps, d, d, 0);
        accumulate(gram, size, ps, 1, 0, d);
        gram[d * size + d] += rows[0];
        accumulate(cross!, k, zs, k, d, 0);
      }
    });
  } finally {
    if (fullMatrix !== full.kernel) fullMatrix.dispose();  // a Dense kernel is its own matrix
  }
  const size = d + (narrow.hasBias ? 1 : 0);
  const solution = ridgeSolve(gram!, cross!, size, k, ridge, narrow.hasBias ? [d] : []);
  return tf.tidy(() => {
    const matrix = tf.tensor2d(Float32Array.from(solution.subarray(0, d * k)), [d, k]);
    const kernel = calibration.fromMatrix(matrix, narrow.kernelShape);
    return narrow.hasBias ? [kernel, tf.tensor1d(Float32Array.from(solution.subarray(d * k)))] : [kernel];
  });
}
