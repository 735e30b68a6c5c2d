/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {assertArg} from '../util/errors';
import type {InputData} from './input_data';

/** Progress of {@link IntegralModel.calibrate}: layer `index` of `total` (`layer` names it) is fitted. */
export interface CalibrationProgress {
  /** The layer just fitted. */
  layer: string;
  /** Its index among the layers fitted, from 0. */
  index: number;
  /**
   * How many layer fits there are: one per layer, or two for a model trained or re-fitted before (its layers are
   * fitted again on all the inputs when the first calibration beats its start on held-out ones; when the start
   * wins, the second pass reports every layer `kept`). The last report's `index` is always `total - 1`.
   */
  total: number;
  /** The ridge its fit used. */
  ridge: number;
  /**
   * True when it kept its weights: no fit predicted the held-out inputs better (`ridge: 'auto'`), or (second pass)
   * the whole network kept its start.
   */
  kept: boolean;
}

/** Options of `IntegralModel.calibrate` (docs/api.md §5). */
export interface CalibrateOptions {
  /**
   * Inputs per forward pass (default 64): the tensors alive are bounded by it; the host holds the inputs and the
   * activations calibration stores between layers (docs/calibration.md).
   */
  batchSize?: number;
  /**
   * Ridge, relative to the mean diagonal of each layer's input Gram matrix: a number, or `'auto'` (the default) to
   * choose it per layer from the data: a quarter of the inputs' batches is held out, the ridge of 1e-6 … 10 whose fit
   * on the rest predicts them best is taken, and a layer whose current weights predict them better keeps those. The
   * ridge pulls each layer's weights towards their current values where the inputs leave them undetermined (fewer
   * inputs than a layer has regressors, as after a Flatten).
   */
  ridge?: number|'auto';
  /**
   * Where the narrow channels sit on the reference's channel axes: `'fit'` (the default): chosen per group from the
   * data among the current positions and the channel selections of L1 pruning and of output energy, by how well the
   * next layer reproduces the reference from them (docs/calibration.md); a model trained or re-fitted before is
   * placed anew from the reference's weights too, and keeps its weights and positions if the whole network ends
   * farther from the reference on held-out inputs; or `'uniform'`. The positions are part of the result (saved; at
   * other widths, interpolated).
   */
  grid?: 'uniform'|'fit';
  /**
   * Rows (images × output positions) a layer's least squares reads per regressor, at most (default 1024; `Infinity`:
   * all). A convolution over large images has far more rows than its fit needs: each batch then contributes an even
   * share, its positions drawn at random (seeded; the same rows for every fit of the layer), which bounds the cost
   * of a layer by its regressors instead of by the images' pixels.
   */
  rowsPerRegressor?: number;
  /** Called after each layer is fitted. */
  onProgress?: (progress: CalibrationProgress) => void;
}

/** Calibration inputs: a tensor `[N, ...input shape]`, or a `tf.data.Dataset` of inputs or of input batches. */
export type CalibrationData = InputData;

/** `options` with defaults, checked: Errors name `calibrate` and the field. */
export function checkedCalibrateOptions(options: unknown): Required<Omit<CalibrateOptions, 'onProgress'>>&
    Pick<CalibrateOptions, 'onProgress'> {
  const op = 'calibrate';
  assertArg(options != null && typeof options === 'object' && !Array.isArray(options), op, 'options', 'an object',
            options);
  const {batchSize = 64, ridge = 'auto', grid = 'fit', rowsPerRegressor = 1024, onProgress} =
      options as CalibrateOptions;
  assertArg(grid === 'uniform' || grid === 'fit', op, 'options.grid', `'uniform' or 'fit'`, grid);
  assertArg(Number.isInteger(batchSize) && batchSize >= 1, op, 'options.batchSize', 'a positive integer', batchSize);
  assertArg(ridge === 'auto' || (typeof ridge === 'number' && Number.isFinite(ridge) && ridge >= 0), op,
            'options.ridge', `'auto' or a non-negative number`, ridge);
  assertArg(rowsPerRegressor === Infinity || (Number.isInteger(rowsPerRegressor) && rowsPerRegressor >= 1), op,
            'options.rowsPerRegressor', 'a positive integer or Infinity', rowsPerRegressor);
  assertArg(onProgress == null || typeof onProgress === 'function', op, 'options.onProgress', 'a function',
            onProgress);
  return {batchSize, ridge, grid, rowsPerRegressor, onProgress};
}
