/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {assertArg} from '../util/errors';
import {MAX_UPSAMPLING} from '../util/limits';

/** Progress of distillation: after each batch. */
export interface DistillProgress {
  /** The epoch, from 0. */
  epoch: number;
  /** The batch within the epoch, from 0. */
  batch: number;
  /** Batches per epoch (null for a dataset, whose length is not known ahead). */
  batches: number|null;
  /** The batch's loss (summed over the widths of a train-once step). */
  loss: number;
  /** Inputs seen so far. */
  seen: number;
}

/** Callbacks of distillation, called (and awaited) after each batch and each epoch. */
export interface DistillCallbacks {
  /** After each batch: where the distillation stands. */
  onBatchEnd?: (progress: DistillProgress) => void|Promise<void>;
  /** After each epoch: its index and its mean loss. */
  onEpochEnd?: (epoch: number, logs: {loss: number}) => void|Promise<void>;
}

/** Train once, deploy any width: the range of widths one weight function is trained for (docs/api.md §6). */
export interface DistillWidths {
  /** Smallest width, a fraction of each group's original width. */
  min: number;
  /** Largest width (default 1). */
  max?: number;
  /** Random widths per step besides the largest and the smallest (default 1). */
  random?: number;
}

/** Options of `IntegralModel.distill` (docs/api.md §6). */
export interface DistillOptions {
  /** Passes over the inputs (default 1). */
  epochs?: number;
  /** Inputs per step (default 128). */
  batchSize?: number;
  /** Adam's learning rate at the start (default 1e-3). */
  learningRate?: number;
  /**
   * How the learning rate moves: constant, or a cosine decay to 0 over all steps (default 'cosine'; over the epochs
   * for a dataset, whose length is not known ahead).
   */
  schedule?: 'constant'|'cosine';
  /** Softmax temperature of a classifier's targets and outputs (default 1). */
  temperature?: number;
  /**
   * The model to imitate (default: the reference network, the full-width function the model was wrapped from).
   * Its input and output must match the model's.
   */
  teacher?: tfl.LayersModel|{
    /** The teacher as a stock model (an IntegralModel at its widths). */
    toLayersModel(): tfl.LayersModel
  };
  /**
   * The loss: 'kl' (softmax cross-entropy at `temperature` against the teacher's softmax, for classifiers), 'mse'
   * (mean squared difference of the outputs), or 'auto' (default): 'kl' when the model's output layer is a softmax,
   * else 'mse'.
   */
  loss?: 'auto'|'kl'|'mse';
  /** Seed of the shuffles (default 1): the same seed, data and backend (cpu, wasm) give the same result. */
  seed?: number;
  /** Shuffle a tensor's inputs every epoch (default true; a dataset is read in its own order). */
  shuffle?: boolean;
  /**
   * At fixed widths on a tensor, hold out a sixteenth of its inputs (at most 512, fixed by the seed) and return the
   * starting weights when the training took the model farther from its teacher on them (default true): for a
   * classifier, significantly more top-1 disagreements (McNemar's test at two standard deviations; its loss may rise
   * while its accuracy does too); otherwise a higher loss.
   */
  validation?: boolean;
  /**
   * Cache the teacher's outputs for a tensor `x` while they take at most this many bytes (default 256 MiB): later
   * epochs and widths reuse them; above, they are computed batch by batch.
   */
  teacherCacheBytes?: number;
  /** Train once for every width in this range (sandwich rule) instead of at the model's widths. */
  widths?: DistillWidths;
  /** Called after each batch. */
  onProgress?: (progress: DistillProgress) => void;
  /** Called after each batch and each epoch. */
  callbacks?: DistillCallbacks;
  /** Stops the training after the current batch when aborted; the model trained so far is returned. */
  signal?: AbortSignal;
}

/** `options` with defaults, checked: Errors name `distill` and the field. */
export function checkedDistillOptions(options: unknown) {
  const op = 'distill';
  assertArg(options != null && typeof options === 'object' && !Array.isArray(options), op, 'options', 'an object',
            options);
  const {epochs = 1, batchSize = 128, learningRate = 1e-3, schedule = 'cosine', temperature = 1, teacher,
         loss = 'auto', seed = 1, shuffle = true, validation = true, teacherCacheBytes = 256 * 2 ** 20, widths,
         onProgress, callbacks, signal} = options as DistillOptions;
  assertArg(Number.isInteger(epochs) && epochs >= 1 && epochs <= 1000, op, 'options.epochs', 'an integer in [1, 1000]',
            epochs);
  assertArg(Number.isInteger(batchSize) && batchSize >= 1, op, 'options.batchSize', 'a positive integer', batchSize);
  assertArg(typeof learningRate === 'number' && learningRate > 0 && learningRate <= 10, op, 'options.learningRate',
            'a number in (0, 10]', learningRate);
  assertArg(schedule === 'constant' || schedule === 'cosine', op, 'options.schedule', `'constant' or 'cosine'`, schedule);
  assertArg(typeof temperature === 'number' && temperature >= 0.05 && temperature <= 100, op, 'options.temperature',
            'a number in [0.05, 100]', temperature);
  assertArg(teacher == null || teacher instanceof tfl.LayersModel ||
                typeof (teacher as {toLayersModel?: unknown}).toLayersModel === 'function',
            op, 'options.teacher', 'a tf.LayersModel or an IntegralModel', teacher);
  assertArg(loss === 'auto' || loss === 'kl' || loss === 'mse', op, 'options.loss', `'auto', 'kl' or 'mse'`, loss);
  assertArg(Number.isSafeInteger(seed), op, 'options.seed', 'an integer', seed);
  assertArg(typeof shuffle === 'boolean', op, 'options.shuffle', 'a boolean', shuffle);
  assertArg(typeof validation === 'boolean', op, 'options.validation', 'a boolean', validation);
  assertArg(typeof teacherCacheBytes === 'number' && teacherCacheBytes >= 0, op, 'options.teacherCacheBytes',
            'a non-negative number', teacherCacheBytes);
  if (widths != null) {
    assertArg(typeof widths === 'object', op, 'options.widths', 'an object {min, max?, random?}', widths);
    const {min, max = 1, random = 1} = widths;
    assertArg(typeof min === 'number' && min > 0 && min <= 1, op, 'options.widths.min', 'a fraction in (0, 1]', min);
    assertArg(typeof max === 'number' && max >= min && max <= MAX_UPSAMPLING, op, 'options.widths.max',
              `a fraction in [min, ${MAX_UPSAMPLING}]`, max);
    assertArg(Number.isInteger(random) && random >= 0 && random <= 8, op, 'options.widths.random',
              'an integer in [0, 8]', random);
  }
  assertArg(onProgress == null || typeof onProgress === 'function', op, 'options.onProgress', 'a function', onProgress);
  assertArg(callbacks == null || typeof callbacks === 'object', op, 'options.callbacks',
            'an object of onBatchEnd / onEpochEnd', callbacks);
  assertArg(signal == null || typeof (signal as AbortSignal).aborted === 'boolean', op, 'options.signal',
            'an AbortSignal', signal);
  return {epochs, batchSize, learningRate, schedule, temperature, teacher, loss, seed, shuffle, validation,
          teacherCacheBytes,
          widths: widths == null ? null : {min: widths.min, max: widths.max ?? 1, random: widths.random ?? 1},
          onProgress, callbacks, signal};
}

/** The checked options. */
export type CheckedDistillOptions = ReturnType<typeof checkedDistillOptions>;

/** The loss of outputs `student` against `teacher` (both logits for 'kl'), averaged over the batch. */
export function distillLoss(student: tf.Tensor, teacher: tf.Tensor, kind: 'kl'|'mse', temperature: number): tf.Scalar {
  return tf.tidy(() => {
    if (kind === 'mse') return tf.mean(tf.squaredDifference(student, teacher));
    const t = temperature;
    const targets = tf.softmax(tf.div(teacher, t));
    const logProbabilities = tf.logSoftmax(tf.div(student, t));
    // Cross-entropy against the soft targets: the KL divergence plus the targets' (constant) entropy; T² keeps the
    // gradients' scale across temperatures.
    return tf.mul(tf.neg(tf.mean(tf.sum(tf.mul(targets, logProbabilities), -1))), t * t);
  });
}
