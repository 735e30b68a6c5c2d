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
import {gaussianProjection} from '../util/random';
import {ActivationCache, atLeastBatches, HostBatch, toHost} from './activation_cache';
import {CalibrateOptions, checkedCalibrateOptions} from './calibrate_options';
import {HeldOutOutputs, isHeldOut} from './held_out_outputs';
import {checkInputData, forEachBatch, InputData} from './input_data';
import type {SelectionSums} from './channel_search';
import {chosenRidge, NormalEquations, projectedColumns} from './normal_equations';
import {batchRows} from './row_sample';
import {fittedInputs, storedActivations} from './stored_activations';

/** A producer to re-fit: its output sampling along the full width's channels (`null`: discrete, taken as is). */
export interface CalibrationTarget {
  name: string;
  /** `[C_full, n]`: the full output sampled at the narrow layer's channel positions, or null for the identity. */
  sampling: tf.Tensor2D|null;
}

const OP = 'calibrate';
/** Targets a data-chosen ridge is compared on: a wider output is projected to this many columns. */
const SELECTION_COLUMNS = 32;

/** The output channels of the full width sampled at `n` uniform positions (docs/api.md §1), as a `[C, n]` matrix. */
export function outputSampling(fullSize: number, n: number, cubicA: number): tf.Tensor2D {
  return tf.tidy(() => integralWeight(tf.eye(fullSize), {inContinuous: false, outSize: n, cubicA}) as tf.Tensor2D);
}


/** Sources of one layer's inputs, batch by batch: in the narrow network and in the full one. */
export interface LayerSources {
  narrow: (batch: number) => tf.Tensor;
  full: (batch: number) => tf.Tensor;
}

/**
 * Layer-wise least squares of the stock network `narrow` toward `full` on one set of inputs (docs/calibration.md):
 * the inputs read once, each network's activations computed once in graph order and kept on the host.
 */
export class LeastSquares {
  readonly caches: {narrow: ActivationCache, full: ActivationCache};
  /** Sums kept with the full output unsampled, by layer ({@link reuseSums}; null until the first fit). */
  private readonly reusedSums = new Map<string, LayerSums|null>();
  /** The tensors each network's caches store on the host ({@link storedActivations}). */
  private readonly kept: {narrow: (t: tfl.SymbolicTensor) => boolean, full: (t: tfl.SymbolicTensor) => boolean};
  /** The tensors fits read in the full network, whose weights never change ({@link fittedInputs}). */
  private readonly fullReads: (t: tfl.SymbolicTensor) => boolean;

  /**
   * True when the held-out rows stay out of every solve (they then judge the whole network: {@link calibrateLayers});
   * otherwise they choose the ridge and the chosen ridge is solved on all rows.
   */
  holdOutOfSolves = false;

  private constructor(readonly narrow: tfl.LayersModel, readonly full: tfl.LayersModel, readonly inputs: HostBatch[],
                      readonly ridge: number|'auto', readonly rowsPerRegressor: number) {
    this.kept = {narrow: storedActivations(narrow), full: storedActivations(full)};
    this.fullReads = fittedInputs(full);
    this.caches = {narrow: new ActivationCache(narrow, inputs, new Map(), this.kept.narrow),
                   full: new ActivationCache(full, inputs, new Map(), this.kept.full, this.fullReads)};
  }

  /** Least squares of the same networks on the same inputs, its activations computed anew (with the weights then). */
  onSameInputs(): LeastSquares {
    return new LeastSquares(this.narrow, this.full, this.inputs, this.ridge, this.rowsPerRegressor);
  }

  /**
   * A branch of one network's activations from `from` (an input of a fitted layer, computed first in the main
   * cache): the layers downstream of it run again, with their current weights, without moving the main cache on.
   */
  async branch(network: 'narrow'|'full', from: tfl.SymbolicTensor): Promise<ActivationCache> {
    return new ActivationCache(this[network], this.inputs, new Map([[from, await this.caches[network].valuesOf(from)]]),
                               this.kept[network], network === 'full' ? this.fullReads : null);
  }

  /**
   * Reads `data` (checked against `narrow`'s input, in batches) for least squares of `narrow` toward `full`, each
   * layer's sums over at most `rowsPerRegressor` rows per regressor.
   */
  static async read(narrow: tfl.LayersModel, full: tfl.LayersModel, data: InputData, batchSize: number,
                    ridge: number|'auto', rowsPerRegressor: number): Promise<LeastSquares> {
    assertArg(narrow.inputs.length === 1, OP, 'model', 'a model with one input', `${narrow.inputs.length} inputs`);
    const input = {shape: narrow.inputs[0].shape.slice(1), dtype: narrow.inputs[0].dtype};
    await checkInputData(data, input, OP);
    const read: HostBatch[] = [];
    await forEachBatch(data, input, batchSize, OP, async x => void read.push(await toHost(x)));
    // A data-chosen ridge holds out every fourth batch: at least 8 batches give it two.
    return new LeastSquares(narrow, full, atLeastBatches(read, 8), ridge, rowsPerRegressor);
  }

  /** The sources of layer `name`'s inputs (its input in each network, computed as far as needed). */
  async sources(name: string): Promise<LayerSources> {
    return {narrow: await this.caches.narrow.prepare(this.narrow.getLayer(name).input as tfl.SymbolicTensor),
            full: await this.caches.full.prepare(this.full.getLayer(name).input as tfl.SymbolicTensor)};
  }

  /**
   * Fits layer `name` of the narrow network to the full network's, its output sampled by `sampling` (null: the
   * same channels), and sets the fitted weights (unless its current ones predict held-out inputs better). `ridge`:
   * the calibration's, or a fixed one.
   */
  async fit(name: string, sampling: tf.Tensor2D|null, ridge = this.ridge): Promise<LayerFit> {
    const layer = this.narrow.getLayer(name);
    const [kernel, bias] = layer.getWeights();
    const narrow = {config: layer.getConfig(), kernel, bias};
    const {weights, fit} = await fitLayer(this.calibrationOf(name), await this.sumsOf(name, narrow, sampling),
                                          narrow, ridge, false, this.holdOutOfSolves);
    if (weights != null) {
      layer.setWeights(weights);
      tf.dispose(weights);
    }
    return fit;
  }

  /**
   * How well layer `name`, reading `sources.narrow` and starting from `prior` (its stock weights, outputs as
   * `projection` makes them), can reproduce the full layer's whole output on `sources.full`, projected by
   * `projection` (`[C, m]`, fewer columns to solve for; null: all of them): the held-out error of its
   * fit at `ridge` (`'auto'`: the one the held-out inputs choose), or of `prior` when that is lower (up to a
   * constant that does not depend on the narrow inputs; with fewer than 4 batches, nothing is held out: the error of
   * the fit on its own rows), and the ridge. The layer is not changed.
   */
  async reconstructionError(name: string, sources: LayerSources, prior: tf.Tensor[], projection: tf.Tensor2D|null,
                            ridge: number|'auto' = 'auto'): Promise<{error: number, ridge: number}> {
    const [kernel, bias] = prior;
    const narrow = {config: this.narrow.getLayer(name).getConfig(), kernel, bias};
    const sums = await this.layerSums(name, sources, narrow, projection);
    const {heldOutError, fit} = await fitLayer(this.calibrationOf(name), sums, narrow, ridge, true);
    return {error: heldOutError, ridge: fit.ridge};
  }

  /**
   * Layer `name`'s sums reading `sources` (in both networks: every channel of its input is a regressor), its output
   * projected by `projection` as in {@link reconstructionError}, with `weights` (its reference's, outputs projected)
   * as the ridge's prior: what {@link searchedChannels} scores channel sets on.
   */
  async selectionSums(name: string, sources: LayerSources, weights: tf.Tensor[], projection: tf.Tensor2D|null):
      Promise<SelectionSums> {
    const [kernel, bias] = weights;
    const narrow = {config: this.narrow.getLayer(name).getConfig(), kernel, bias};
    const sums = await this.layerSums(name, sources, narrow, projection);
    return {...sums, prior: await priorOf(this.calibrationOf(name), kernel, bias, sums.fitted.size)};
  }

  /**
   * From the next fit of producer `name` on, its sums are taken once with the full output unsampled and serve
   * every later fit of it at any sampling (the fitted grid's candidates, then the fit it chooses): its inputs must
   * not change meanwhile. Layers whose sampling mixes their groups (depthwise) are summed per fit as before.
   */
  reuseSums(name: string) {
    if (this.calibrationOf(name).samplesTargetColumns && !this.reusedSums.has(name)) this.reusedSums.set(name, null);
  }

  private async sumsOf(name: string, narrow: CalibratedWeights, sampling: tf.Tensor2D|null): Promise<LayerSums> {
    const compute = async (s: tf.Tensor2D|null) => this.layerSums(name, await this.sources(name), narrow, s);
    if (!this.reusedSums.has(name)) return compute(sampling);
    const sums = this.reusedSums.get(name) ?? await compute(null);
    this.reusedSums.set(name, sums);
    if (sampling == null) return sums;
    const [columns, n] = [await sampling.data() as Float32Array, sampling.shape[1]];
    return {...sums, fitted: sums.fitted.projected(columns, n), heldOut: sums.heldOut.projected(columns, n)};
  }

  /** Layer `name`'s sums over `sources`, its full output sampled by `sampling` ({@link accumulatedSums}). */
  private layerSums(name: string, sources: LayerSources, narrow: CalibratedWeights,
                    sampling: tf.Tensor2D|null): Promise<LayerSums> {
    return accumulatedSums(this.calibrationOf(name), sources, this.inputs.length, this.rowsPerRegressor, narrow,
                           this.fullWeightsOf(name), sampling);
  }

  private calibrationOf(name: string): LayerCalibration {
    return kindOfClass(this.narrow.getLayer(name).getClassName())!.calibration!;
  }

  private fullWeightsOf(name: string): CalibratedWeights {
    const layer = this.full.getLayer(name);
    const [kernel, bias] = layer.getWeights();
    return {config: layer.getConfig(), kernel, bias};
  }
}

/**
 * Re-fits, in place and in graph order, the producers `targets` of the stock model `narrow` (the IntegralModel at
 * its widths) so that each one's pre-activation output on the calibration inputs matches `full`'s (the original
 * widths) sampled at its channel positions (docs/calibration.md). Each layer's inputs come from `narrow` with the
 * layers before it already re-fitted; the normal equations `[X 1]ᵀ[X 1]`, `[X 1]ᵀZ` are accumulated batch by batch
 * and solved on the host in float64. With `keepBetterStart` (a model that was trained or re-fitted), the fits leave
 * the held-out inputs out, and the network keeps its starting weights when it ends farther from `full` on them
 * ({@link HeldOutOutputs}): `keptStart` says so; else its layers are fitted again on all the inputs. `choose`,
 * when given, is asked before each target for its output sampling (the fitted grid chooses its group's positions
 * there).
 */
export async function calibrateLayers(narrow: tfl.LayersModel, full: tfl.LayersModel, targets: CalibrationTarget[],
                                      data: InputData, options: CalibrateOptions, keepBetterStart: boolean,
                                      choose?: (target: CalibrationTarget, ls: LeastSquares) => Promise<tf.Tensor2D|null>):
    Promise<{keptStart: boolean}> {
  const {batchSize, ridge, rowsPerRegressor, onProgress} = checkedCalibrateOptions(options);
  const ls = await LeastSquares.read(narrow, full, data, batchSize, ridge, rowsPerRegressor);
  // The held-out inputs judge the whole network only if no fit has seen them.
  ls.holdOutOfSolves = keepBetterStart;
  const judge = keepBetterStart && targets.length > 0 ? HeldOutOutputs.of(full, ls.inputs) : null;
  const start = judge != null ? targets.map(t => narrow.getLayer(t.name).getWeights().map(w => tf.clone(w))) : [];
  // A judged calibration that wins is fitted again: the progress counts both passes.
  const total = targets.length * (judge != null ? 2 : 1);
  try {
    const startLoss = judge != null ? await judge.lossOf(narrow) : NaN;
    const fits: LayerFit[] = [];
    for (const [index, target] of targets.entries()) {
      const sampling = choose != null ? await choose(target, ls) : target.sampling;
      fits.push(await ls.fit(target.name, sampling));
      onProgress?.({layer: target.name, index, total, ...fits[index]});
    }
    // Layer by layer, each fit may beat the weights it replaces and the whole network still end farther from the
    // reference (a trained start was fitted end to end): the held-out inputs judge the whole.
    const keptStart = judge != null && await judge.lossOf(narrow) > startLoss;
    if (keptStart) {
      // Every layer is back at its start: the second pass reports each one kept, so progress still ends at total.
      targets.forEach((t, i) => {
        narrow.getLayer(t.name).setWeights(start[i]);
        onProgress?.({layer: t.name, index: targets.length + i, total, ridge: fits[i].ridge, kept: true});
      });
    } else if (judge != null) {
      // The calibration won on inputs none of its fits had seen: every layer it fitted is fitted again, in graph
      // order, at the same sampling and ridge, on all the inputs.
      const again = ls.onSameInputs();
      for (const [index, target] of targets.entries()) {
        const fit = fits[index].kept ? fits[index] : await again.fit(target.name, target.sampling, fits[index].ridge);
        onProgress?.({layer: target.name, index: targets.length + index, total, ...fit});
      }
    }
    return {keptStart};
  } finally {
    judge?.dispose();
    tf.dispose(start.flat());
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

/** How a layer's fit went: the ridge used, and whether its current weights did better on held-out inputs. */
export interface LayerFit {
  /** The ridge of the fit (relative to the mean diagonal of the input's Gram matrix). */
  ridge: number;
  /** True when the layer keeps its current weights: no fit beat them on the held-out inputs. */
  kept: boolean;
}

/** One layer's least-squares sums: the rows held out to choose a ridge (every fourth batch, from 4 batches on), and the others. */
interface LayerSums {
  fitted: NormalEquations;
  heldOut: NormalEquations;
  /** False when there were too few batches to hold any out (`heldOut` is empty). */
  split: boolean;
}

/**
 * Accumulates one layer's normal equations over the `batches` of its inputs in the narrow and the full network (at
 * most `rowsPerRegressor` rows per regressor: {@link batchRows}), its full output sampled by `sampling`.
 */
async function accumulatedSums(calibration: LayerCalibration, sources: LayerSources, batches: number,
                               rowsPerRegressor: number, narrow: CalibratedWeights, full: CalibratedWeights,
                               sampling: tf.Tensor2D|null): Promise<LayerSums> {
  const regressors = tf.tidy(() => calibration.toMatrices(narrow.kernel).shape[1]) + 1;
  const maxRows = rowsPerRegressor * regressors;
  let fitted: NormalEquations|null = null, heldOut: NormalEquations|null = null;
  for (let b = 0; b < batches; b++) {
    const keep = batchRows(b, batches, maxRows);
    const m = tf.tidy(() => ({...calibration.moments(sources.narrow(b), sources.full(b), narrow, full, sampling,
                                                     keep)}));
    const [pp, pz, ps, zs] = await Promise.all([m.pp, m.pz, m.ps, m.zs].map(t => t.data() as Promise<Float32Array>));
    const [groups, d, k] = [m.ps.shape[0], m.ps.shape[1]!, m.zs.shape[1]!];
    tf.dispose(m);
    fitted ??= new NormalEquations(groups, d, k, narrow.bias != null);
    heldOut ??= new NormalEquations(groups, d, k, narrow.bias != null);
    (isHeldOut(b, batches) ? heldOut : fitted).add(pp, pz, ps, zs, m.rows);
  }
  return {fitted: fitted!, heldOut: heldOut!, split: batches >= 4};
}

/**
 * Least squares for one layer from its sums. With `ridge: 'auto'`, the ridge is the one whose fit on the rows not
 * held out predicts the held-out rows best, and the layer keeps its current weights when they predict them better
 * still; the chosen ridge is then solved on all rows (on the rows not held out with `holdOut`).
 */
async function fitLayer(calibration: LayerCalibration, sums: LayerSums, narrow: CalibratedWeights,
                        ridge: number|'auto', scoreOnly = false, holdOut = false):
    Promise<{weights: tf.Tensor[]|null, fit: LayerFit, heldOutError: number}> {
  const {fitted, heldOut, split} = sums;
  const {groups, d, k, size} = fitted;
  const prior = await priorOf(calibration, narrow.kernel, narrow.bias, size);
  let chosen = typeof ridge === 'number' ? ridge : 1e-3, heldOutError = NaN;
  if ((ridge === 'auto' || scoreOnly) && split) {
    // A wide output is compared on a fixed random projection of its columns (the errors' estimates share it): the
    // walk solves for SELECTION_COLUMNS targets per ridge, and only the chosen ridge for all k.
    const r = k > SELECTION_COLUMNS ? gaussianProjection(k, SELECTION_COLUMNS) : null;
    const [fit, held, start] = r == null ? [fitted, heldOut, prior] :
        [fitted.projected(r, SELECTION_COLUMNS), heldOut.projected(r, SELECTION_COLUMNS),
         projectedColumns(prior, k, r, SELECTION_COLUMNS)];
    const best = ridge === 'auto' ? chosenRidge(fit, held, start) :
                                    {ridge, error: held.error(fit.solve(ridge, start))};
    const priorError = held.error(start);
    const kept = priorError <= best.error;
    heldOutError = Math.min(best.error, priorError);
    if (kept || scoreOnly) return {weights: null, fit: {ridge: best.ridge, kept}, heldOutError};
    chosen = best.ridge;
  }
  const all = split && holdOut ? fitted : fitted.plus(heldOut);
  const solution = all.solve(chosen, prior);
  // Too few batches to hold any out: a score is the fit's error on the rows it was fitted to.
  if (scoreOnly) return {weights: null, fit: {ridge: chosen, kept: false}, heldOutError: all.error(solution)};
  const bias = new Float32Array(groups * k);
  for (let g = 0; g < groups; g++) bias.set(solution.subarray((g * size + d) * k, (g * size + d + 1) * k), g * k);
  const weights = tf.tidy(() => {
    const all = tf.tensor3d(Float32Array.from(solution), [groups, size, k]);
    const kernel = freshCopy(calibration.fromMatrices(tf.slice(all, [0, 0, 0], [groups, d, k]), narrow.kernel.shape));
    return narrow.bias != null ? [kernel, tf.tensor1d(bias)] : [kernel];
  });
  return {weights, fit: {ridge: chosen, kept: false}, heldOutError};
}
