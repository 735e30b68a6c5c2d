/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import type {CalibratedWeights, LayerCalibration} from '../converter/kinds/layer_kind';
import {kindOfClass} from '../converter/kinds/registry';
import {integralWeight} from '../ops/integral_weight';
import {assertArg} from '../util/errors';
import {freshCopy} from '../util/fresh_copy';
import {ActivationCache, HostBatch, toHost} from './activation_cache';
import {CalibrateOptions, checkedCalibrateOptions} from './calibrate_options';
import {checkInputData, forEachBatch, InputData} from './input_data';
import {ridgeSolve} from './ridge_solve';

/** A producer to re-fit: its output sampling along the full width's channels (`null`: discrete, taken as is). */
export interface CalibrationTarget {
  name: string;
  /** `[C_full, n]`: the full output sampled at the narrow layer's channel positions, or null for the identity. */
  sampling: tf.Tensor2D|null;
}

const OP = 'calibrate';

/** The output channels of the full width sampled at `n` uniform positions (docs/api.md §1), as a `[C, n]` matrix. */
export function outputSampling(fullSize: number, n: number, cubicA: number): tf.Tensor2D {
  return tf.tidy(() => integralWeight(tf.eye(fullSize), {inContinuous: false, outSize: n, cubicA}) as tf.Tensor2D);
}


/**
 * Re-fits, in place and in graph order, the producers `targets` of the stock model `narrow` (the IntegralModel at
 * its widths) so that each one's pre-activation output on the calibration inputs matches `full`'s (the original
 * widths) sampled at its channel positions (inn-math.md §10). Each layer's inputs come from `narrow` with the layers
 * before it already re-fitted; the normal equations `[X 1]ᵀ[X 1]`, `[X 1]ᵀZ` are accumulated batch by batch and
 * solved on the host in float64.
 */
export async function calibrateLayers(narrow: tfl.LayersModel, full: tfl.LayersModel, targets: CalibrationTarget[],
                                      data: InputData, options: CalibrateOptions) {
  const {batchSize, ridge, onProgress} = checkedCalibrateOptions(options);
  assertArg(narrow.inputs.length === 1, OP, 'model', 'a model with one input', `${narrow.inputs.length} inputs`);
  const input = {shape: narrow.inputs[0].shape.slice(1), dtype: narrow.inputs[0].dtype};
  await checkInputData(data, input, OP);
  const inputs: HostBatch[] = [];
  await forEachBatch(data, input, batchSize, OP, async x => void inputs.push(await toHost(x)));
  const activations = {narrow: new ActivationCache(narrow, inputs), full: new ActivationCache(full, inputs)};
  for (const [index, target] of targets.entries()) {
    const layer = narrow.getLayer(target.name);
    const fullLayer = full.getLayer(target.name);
    const calibration = kindOfClass(layer.getClassName())!.calibration!;
    const [kernel, bias] = layer.getWeights();
    const [fullKernel, fullBias] = fullLayer.getWeights();
    const sources = {narrow: await activations.narrow.prepare(layer.input as tfl.SymbolicTensor),
                     full: await activations.full.prepare(fullLayer.input as tfl.SymbolicTensor)};
    const fitted = await fitLayer(calibration, sources, inputs.length, {config: layer.getConfig(), kernel, bias},
                                  {config: fullLayer.getConfig(), kernel: fullKernel, bias: fullBias}, target.sampling,
                                  ridge);
    layer.setWeights(fitted);
    tf.dispose(fitted);
    onProgress?.({layer: target.name, index, total: targets.length});
  }
}

/** The normal equations of `groups` independent least-squares problems, `d` regressors (+ a bias) and `k` targets. */
class NormalEquations {
  readonly size: number;
  readonly gram: Float64Array;
  readonly cross: Float64Array;

  constructor(readonly groups: number, readonly d: number, readonly k: number, readonly bias: boolean) {
    this.size = d + (bias ? 1 : 0);
    this.gram = new Float64Array(groups * this.size * this.size);
    this.cross = new Float64Array(groups * this.size * k);
  }

  /** Adds one batch: `PᵀP`, `PᵀZ` per group (float32, read back), column sums of `P` and `Z`, and the row count. */
  add(pp: Float32Array, pz: Float32Array, ps: Float32Array, zs: Float32Array, rows: number) {
    const {d, k, size} = this;
    for (let g = 0; g < this.groups; g++) {
      const gram = g * size * size, cross = g * size * k;
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) this.gram[gram + i * size + j] += pp[(g * d + i) * d + j];
        for (let j = 0; j < k; j++) this.cross[cross + i * k + j] += pz[(g * d + i) * k + j];
      }
      if (!this.bias) continue;
      for (let i = 0; i < d; i++) {
        this.gram[gram + d * size + i] += ps[g * d + i];
        this.gram[gram + i * size + d] += ps[g * d + i];
      }
      this.gram[gram + d * size + d] += rows;
      for (let j = 0; j < k; j++) this.cross[cross + d * k + j] += zs[g * k + j];
    }
  }

  /**
   * The ridge solutions, `[groups, size, k]`: each group's `d × k` matrix, then its bias row; the ridge pulls them
   * towards `prior` (same layout) where the data leave them undetermined.
   */
  solve(ridge: number, prior?: Float64Array): Float64Array {
    const {size, k} = this;
    const out = new Float64Array(this.groups * size * k);
    for (let g = 0; g < this.groups; g++) {
      const x = ridgeSolve(this.gram.subarray(g * size * size, (g + 1) * size * size),
                           this.cross.subarray(g * size * k, (g + 1) * size * k), size, k, ridge,
                           this.bias ? [this.d] : [], prior?.subarray(g * size * k, (g + 1) * size * k));
      out.set(x, g * size * k);
    }
    return out;
  }
}

/** The layer's current weights in the solution's layout `[groups, size, k]` (bias row last): the ridge's prior. */
async function priorOf(calibration: LayerCalibration, kernel: tf.Tensor, bias: tf.Tensor|undefined, size: number) {
  const matrices = calibration.toMatrices(kernel);
  const [groups, d, k] = matrices.shape;
  const values = await matrices.data();
  const biasValues = bias == null ? null : await bias.data();
  matrices.dispose();
  const prior = new Float64Array(groups * size * k);
  for (let g = 0; g < groups; g++) {
    prior.set(values.subarray(g * d * k, (g + 1) * d * k), g * size * k);
    if (biasValues != null && size > d) prior.set(biasValues.subarray(g * k, (g + 1) * k), (g * size + d) * k);
  }
  return prior;
}

/**
 * Least squares for one layer: accumulates its normal equations over the batches of its inputs in the narrow and the
 * full network, and solves them.
 */
async function fitLayer(calibration: LayerCalibration,
                        sources: {narrow: (batch: number) => tf.Tensor, full: (batch: number) => tf.Tensor},
                        batches: number, narrow: CalibratedWeights, full: CalibratedWeights,
                        sampling: tf.Tensor2D|null, ridge: number): Promise<tf.Tensor[]> {
  let equations: NormalEquations|null = null;
  for (let b = 0; b < batches; b++) {
    const m = tf.tidy(() => ({...calibration.moments(sources.narrow(b), sources.full(b), narrow, full, sampling)}));
    const [pp, pz, ps, zs] = await Promise.all([m.pp, m.pz, m.ps, m.zs].map(t => t.data() as Promise<Float32Array>));
    const [groups, d, k] = [m.ps.shape[0], m.ps.shape[1]!, m.zs.shape[1]!];
    tf.dispose(m);
    equations ??= new NormalEquations(groups, d, k, narrow.bias != null);
    equations.add(pp, pz, ps, zs, m.rows);
  }
  const {groups, d, k, size} = equations!;
  const solution = equations!.solve(ridge, await priorOf(calibration, narrow.kernel, narrow.bias, size));
  const bias = new Float32Array(groups * k);
  for (let g = 0; g < groups; g++) bias.set(solution.subarray((g * size + d) * k, (g * size + d + 1) * k), g * k);
  return tf.tidy(() => {
    const all = tf.tensor3d(Float32Array.from(solution), [groups, size, k]);
    const kernel = freshCopy(calibration.fromMatrices(tf.slice(all, [0, 0, 0], [groups, d, k]), narrow.kernel.shape));
    return narrow.bias != null ? [kernel, tf.tensor1d(bias)] : [kernel];
  });
}
