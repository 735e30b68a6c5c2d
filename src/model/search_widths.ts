/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {checkInputData, forEachBatch, InputData, InputSpec} from '../calibration/input_data';
import {modelCost, ModelCost} from '../converter/model_cost';
import {disposeModel} from '../converter/topology';
import {assertArg} from '../util/errors';
import type {IntegralModel} from './integral_model';

/** What a width search keeps under its budget: a fraction of the model's parameters or of its FLOPs. */
export type WidthBudget = {
  /** Fraction in (0, 1] of the exported model's parameters at the starting widths. */
  params: number,
}|{
  /** Fraction in (0, 1] of the exported model's multiply-adds per input at the starting widths. */
  flops: number,
};

/** Parameters and multiply-adds per input of an exported model, and of the model at the starting widths. */
export interface WidthSearchCost extends ModelCost {
  /** Parameters at the starting widths. */
  startParams: number;
  /** Multiply-adds per input at the starting widths. */
  startFlops: number;
}

/** Options of {@link searchWidths}. */
export interface SearchWidthsOptions {
  /** The budget, a fraction in (0, 1] of the model's cost at its current widths. */
  budget: WidthBudget;
  /**
   * Unlabeled inputs (a tensor `[N, ...input shape]` or a `tf.data.Dataset` of inputs or input batches): the first
   * `searchSamples` score the candidates, all of them calibrate the result.
   */
  calibration: InputData;
  /**
   * Labels of the first inputs of `calibration` (class indices `[n]` or one-hot `[n, classes]`, at least
   * `searchSamples` of them): score by accuracy instead of agreement.
   */
  labels?: tf.Tensor;
  /** Channels a step removes from a group, as a fraction of its original width (default 1/8, at least 1 channel). */
  step?: number;
  /** Inputs of `calibration` each candidate is calibrated and scored with (default 128). */
  searchSamples?: number;
  /** Calibrate every candidate before scoring it (default true; false is faster and cruder). */
  calibrateCandidates?: boolean;
}

/** The result of {@link searchWidths}. */
export interface WidthSearchResult {
  /** The model at the chosen widths, calibrated on all of `calibration` (a new IntegralModel). */
  model: IntegralModel;
  /** Chosen width of each continuous group. */
  widths: Record<string, number>;
  /** Parameters and FLOPs (multiply-adds per input) of the exported model, and those at the starting widths. */
  cost: WidthSearchCost;
  /** Agreement with the starting model's top-1 outputs (or accuracy, with labels) on `calibration`. */
  score: number;
}

const OP = 'searchWidths';

/**
 * Per-group widths that meet a budget while losing the least: a greedy shrink. From the model's current widths,
 * each step tries removing `step` of every continuous group's channels, resamples, calibrates the candidate on
 * `searchSamples` inputs (unless `calibrateCandidates` is false) and measures its loss, the mean squared difference
 * of its outputs from the starting model's (or from the one-hot `labels`: the Brier score); it keeps the candidate
 * that loses the least per unit of cost saved, until the exported model's cost fits the budget; then it gives
 * channels back one at a time (the lowest loss first) while the cost still fits, as a step may overshoot. The result is
 * calibrated on all of `calibration` (docs/api.md §5) and scored by top-1 agreement with the starting model (or accuracy).
 */
export async function searchWidths(inn: IntegralModel, options: SearchWidthsOptions): Promise<WidthSearchResult> {
  assertArg(options != null && typeof options === 'object', OP, 'options', 'an object', options);
  const {budget, calibration, labels, step = 1 / 8, searchSamples = 128, calibrateCandidates = true} = options;
  const isObject = budget != null && typeof budget === 'object';
  const metric = isObject && 'params' in budget ? 'params' : isObject && 'flops' in budget ? 'flops' : null;
  assertArg(metric != null, OP, 'options.budget', `{params: fraction} or {flops: fraction}`, budget);
  const fraction = (budget as Record<string, number>)[metric];
  assertArg(Number.isFinite(fraction) && fraction > 0 && fraction <= 1, OP, `options.budget.${metric}`,
            'a fraction in (0, 1]', fraction);
  assertArg(Number.isFinite(step) && step > 0 && step <= 0.5, OP, 'options.step', 'a fraction in (0, 0.5]', step);
  assertArg(Number.isInteger(searchSamples) && searchSamples >= 1, OP, 'options.searchSamples', 'a positive integer',
            searchSamples);
  assertArg(typeof calibrateCandidates === 'boolean', OP, 'options.calibrateCandidates', 'a boolean',
            calibrateCandidates);
  const input = inn.inputSpec();
  await checkInputData(calibration, input, OP, 'options.calibration');
  const x = await firstInputs(calibration, input, searchSamples);
  const n = x.shape[0];
  assertArg(labels == null || (labels instanceof tf.Tensor && labels.shape[0] >= n), OP, 'options.labels',
            `a tensor of at least ${n} labels`, labels);
  // The candidates' outputs are compared with these: the starting model's outputs, or the one-hot labels.
  const reference = tf.tidy(() => labels == null ? inn.predict(x) as tf.Tensor : oneHot(labels, n, inn));
  try {
    const start = costOf(inn);
    const limit = fraction * start[metric];
    const widths = new Map(inn.groups.filter(g => g.continuous).map(g => [g.name, g.size]));
    // Refused before any search: a budget below the cost of one channel in every group.
    const narrowest = inn.resample(Object.fromEntries([...widths.keys()].map(g => [g, 1])));
    const floor = costOf(narrowest)[metric];
    narrowest.dispose();
    assertArg(floor <= limit, OP, `options.budget.${metric}`,
              `reachable (every group at 1 channel costs ${floor} of ${start[metric]})`, fraction);
    const original = new Map(inn.groups.map(g => [g.name, g.originalSize]));
    let cost = start;
    let loss = labels == null ? 0 : await lossOf(inn, x, reference);
    // Every continuous group moved to `next(group, width)` in turn (where that changes it), resampled, evaluated.
    const tryEach = async (next: (group: string, width: number) => number) => {
      const candidates = [];
      for (const [group, width] of widths) {
        const moved = next(group, width);
        if (moved === width) continue;
        const candidate = inn.resample({...Object.fromEntries(widths), [group]: moved});
        candidates.push({group, width: moved, ...await evaluated(candidate, x, reference, calibrateCandidates)});
      }
      return candidates;
    };
    const take = (c: {group: string, width: number, cost: ModelCost, loss: number}) => {
      widths.set(c.group, c.width);
      cost = c.cost;
      loss = c.loss;
    };
    while (cost[metric] > limit) {
      const shrunk = (await tryEach((g, w) => Math.max(1, w - Math.max(1, Math.round(step * original.get(g)!)))))
                         .filter(c => c.cost[metric] < cost[metric]);
      assertArg(shrunk.length > 0, OP, `options.budget.${metric}`,
                `reachable (every group is at 1 channel at ${cost[metric]} of ${start[metric]})`, fraction);
      // The least loss per unit of cost saved.
      const rate = (c: {cost: ModelCost, loss: number}) => (c.loss - loss) / (cost[metric] - c.cost[metric]);
      take(shrunk.reduce((a, b) => (rate(b) < rate(a) ? b : a)));
    }
    // A step can overshoot the budget: give back channels one at a time, best loss first, while the cost fits.
    for (;;) {
      const grown = (await tryEach((g, w) => Math.min(original.get(g)!, w + 1))).filter(c => c.cost[metric] <= limit);
      if (grown.length === 0) break;
      take(grown.reduce((a, b) => (b.loss < a.loss ? b : a)));
    }
    const chosen = Object.fromEntries(widths);
    const resampled = inn.resample(chosen);
    try {
      const model = await resampled.calibrate(calibration);
      const finalScore = await scoreOn(model, inn, calibration, input, labels);
      return {model, widths: chosen, cost: {...cost, startParams: start.params, startFlops: start.flops},
              score: finalScore};
    } finally {
      resampled.dispose();
    }
  } finally {
    tf.dispose([x, reference]);
  }
}

/** The first `n` inputs of `data` (fewer if it holds fewer), as one tensor. */
async function firstInputs(data: InputData, input: InputSpec, n: number):
    Promise<tf.Tensor> {
  if (data instanceof tf.Tensor) return tf.slice(data, 0, Math.min(n, data.shape[0]));
  const parts: tf.Tensor[] = [];
  let count = 0;
  try {
    await forEachBatch(data, input, n, OP, async x => {
      if (count < n) parts.push(tf.slice(x, 0, Math.min(n - count, x.shape[0])));
      count += x.shape[0];
    }, 'options.calibration');
    return tf.concat(parts);
  } finally {
    tf.dispose(parts);
  }
}

/** Class indices `[n]` of the first `n` labels (indices or one-hot). */
function classes(labels: tf.Tensor, n: number): tf.Tensor {
  const head = tf.slice(labels, 0, n);
  return head.rank === 2 ? tf.argMax(head, -1) : tf.cast(head, 'int32');
}

/** The first `n` labels one-hot, as wide as `inn`'s output. */
function oneHot(labels: tf.Tensor, n: number, inn: IntegralModel): tf.Tensor {
  const head = tf.slice(labels, 0, n);
  return head.rank === 2 ? tf.cast(head, 'float32') :
                           tf.oneHot(tf.cast(head, 'int32'), inn.outputSize());
}

/**
 * The cost of `candidate` (disposed here), calibrated on `x` first when `calibrate`, and its loss: the mean squared
 * difference of its outputs from `reference` (the starting model's outputs, or one-hot labels: the Brier score),
 * a smooth measure where top-1 agreement on a few inputs moves in steps.
 */
async function evaluated(candidate: IntegralModel, x: tf.Tensor, reference: tf.Tensor, calibrate: boolean) {
  // Candidates are calibrated quickly (the uniform grid, a fixed ridge); the result with calibrate's defaults.
  const model = calibrate ? await candidate.calibrate(x, {grid: 'uniform', ridge: 1e-3}) : candidate;
  try {
    return {cost: costOf(model), loss: await lossOf(model, x, reference)};
  } finally {
    if (model !== candidate) model.dispose();
    candidate.dispose();
  }
}

/** Mean squared difference of `inn`'s outputs on `x` from `reference`. */
async function lossOf(inn: IntegralModel, x: tf.Tensor, reference: tf.Tensor): Promise<number> {
  const loss = tf.tidy(() => tf.mean(tf.squaredDifference(inn.predict(x) as tf.Tensor, reference)));
  const value = (await loss.data())[0];
  loss.dispose();
  return value;
}

/**
 * Agreement of `model` with `start`'s top-1 outputs on `data` (or accuracy against `labels`, aligned with the order
 * `data` yields its inputs), read in batches.
 */
async function scoreOn(model: IntegralModel, start: IntegralModel, data: InputData, input: InputSpec,
                       labels?: tf.Tensor): Promise<number> {
  let hits = 0, seen = 0;
  await forEachBatch(data, input, SCORE_BATCH, OP, async x => {
    const n = x.shape[0];
    const hit = tf.tidy(() => {
      const expected = labels == null ? tf.argMax(start.predict(x) as tf.Tensor, -1) :
                                        classes(tf.slice(labels, seen, n), n);
      return tf.sum(tf.cast(tf.equal(tf.argMax(model.predict(x) as tf.Tensor, -1), expected), 'int32'));
    });
    hits += (await hit.data())[0];
    hit.dispose();
    seen += n;
  }, 'options.calibration');
  return hits / seen;
}

/** Inputs per prediction when the result is scored. */
const SCORE_BATCH = 256;

/** Parameters and multiply-adds per input of the stock model `inn` exports. */
export function costOf(inn: IntegralModel): ModelCost {
  const stock = inn.toLayersModel();
  try {
    return modelCost(stock);
  } finally {
    disposeModel(stock);
  }
}
