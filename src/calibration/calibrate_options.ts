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
  /** How many layers are fitted. */
  total: number;
}

/** Options of `IntegralModel.calibrate` (docs/api.md §5). */
export interface CalibrateOptions {
  /** Inputs per forward pass (default 64): memory is bounded by it, never the whole calibration set. */
  batchSize?: number;
  /**
   * Ridge, relative to the mean diagonal of each layer's input Gram matrix (default 1e-3). It pulls each layer's
   * weights towards their resampled values where the inputs leave them undetermined (fewer inputs than a layer has
   * regressors, as after a Flatten).
   */
  ridge?: number;
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
  const {batchSize = 64, ridge = 1e-3, onProgress} = options as CalibrateOptions;
  assertArg(Number.isInteger(batchSize) && batchSize >= 1, op, 'options.batchSize', 'a positive integer', batchSize);
  assertArg(typeof ridge === 'number' && Number.isFinite(ridge) && ridge >= 0, op, 'options.ridge',
            'a non-negative number', ridge);
  assertArg(onProgress == null || typeof onProgress === 'function', op, 'options.onProgress', 'a function',
            onProgress);
  return {batchSize, ridge, onProgress};
}
