/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {assertArg} from '../util/errors';
import type {IntegralModel} from './integral_model';
import {disposeModel} from './topology';

/** What a width search keeps under its budget: a fraction of the model's parameters or of its FLOPs. */
export type WidthBudget = {params: number}|{flops: number};

/** Options of {@link searchWidths}. */
export interface SearchWidthsOptions {
  /** The budget, a fraction in (0, 1] of the model's cost at its current widths. */
  budget: WidthBudget;
  /** Inputs `[N, ...input shape]` the candidates are scored on and the result is calibrated with. */
  calibration: tf.Tensor;
  /** Labels of `calibration` (class indices `[N]` or one-hot `[N, classes]`): score by accuracy instead of agreement. */
  labels?: tf.Tensor;
  /** Channels a step removes from a group, as a fraction of its original width (default 1/8, at least 1 channel). */
  step?: number;
  /** Inputs of `calibration` each candidate is calibrated and scored with (default 128). */
  searchSamples?: number;
}

/** The result of {@link searchWidths}. */
export interface WidthSearchResult {
  /** The model at the chosen widths, calibrated on all of `calibration` (a new IntegralModel). */
  model: IntegralModel;
  /** Chosen width of each continuous group. */
  widths: Record<string, number>;
  /** Parameters and FLOPs (multiply-adds per input) of the exported model, and those at the starting widths. */
  cost: {params: number, flops: number, startParams: number, startFlops: number};
  /** Agreement with the starting model's top-1 outputs (or accuracy, with labels) on `calibration`. */
  score: number;
}

const OP = 'searchWidths';

/**
 * Per-group widths that meet a budget while losing the least (#15): a greedy shrink. From the model's current
 * widths, each step tries removing `step` of every continuous group's channels, resamples, calibrates on
 * `searchSamples` inputs and scores the candidate (agreement of its top-1 output with the starting model's, or
 * accuracy when `labels` are given); it keeps the candidate that loses the least score per unit of cost saved, until
 * the exported model's cost fits the budget. The result is calibrated on all of `calibration` (api.md §5).
 */
export async function searchWidths(inn: IntegralModel, options: SearchWidthsOptions): Promise<WidthSearchResult> {
  assertArg(options != null && typeof options === 'object', OP, 'options', 'an object', options);
  const {budget, calibration, labels, step = 1 / 8, searchSamples = 128} = options;
  const metric = budget != null && 'params' in budget ? 'params' : budget != null && 'flops' in budget ? 'flops' : null;
  assertArg(metric != null, OP, 'options.budget', `{params: fraction} or {flops: fraction}`, budget);
  const fraction = (budget as Record<string, number>)[metric];
  assertArg(Number.isFinite(fraction) && fraction > 0 && fraction <= 1, OP, `options.budget.${metric}`,
            'a fraction in (0, 1]', fraction);
  assertArg(Number.isFinite(step) && step > 0 && step <= 0.5, OP, 'options.step', 'a fraction in (0, 0.5]', step);
  assertArg(calibration instanceof tf.Tensor && calibration.shape[0] > 0, OP, 'options.calibration',
            'a non-empty Tensor of inputs', calibration);
  assertArg(Number.isInteger(searchSamples) && searchSamples >= 1, OP, 'options.searchSamples', 'a positive integer',
            searchSamples);
  const n = Math.min(searchSamples, calibration.shape[0]);
  const x = tf.slice(calibration, 0, n);
  const reference = tf.tidy(() => labels == null ? tf.argMax(inn.predict(x) as tf.Tensor, -1) : classes(labels, n));
  try {
    const start = costOf(inn);
    const limit = fraction * start[metric];
    const widths = new Map(inn.groups.filter(g => g.continuous).map(g => [g.name, g.size]));
    const original = new Map(inn.groups.map(g => [g.name, g.originalSize]));
    let cost = start;
    let score = 1;
    while (cost[metric] > limit) {
      let best: {group: string, width: number, cost: Cost, score: number, rate: number}|null = null;
      for (const [group, width] of widths) {
        const next = Math.max(1, width - Math.max(1, Math.round(step * original.get(group)!)));
        if (next === width) continue;
        const candidate = await scored(inn, {...Object.fromEntries(widths), [group]: next}, x, reference);
        const saved = cost[metric] - candidate.cost[metric];
        if (saved <= 0) continue;
        const rate = (score - candidate.score) / saved;
        if (best == null || rate < best.rate) best = {group, width: next, ...candidate, rate};
      }
      assertArg(best != null, OP, `options.budget.${metric}`,
                `reachable (every group is at 1 channel at ${cost[metric]} of ${start[metric]})`, fraction);
      widths.set(best.group, best.width);
      cost = best.cost;
      score = best.score;
    }
    const chosen = Object.fromEntries(widths);
    const resampled = inn.resample(chosen);
    try {
      const model = await resampled.calibrate(calibration);
      const finalScore = await scoreOn(model, inn, calibration, labels);
      return {model, widths: chosen, cost: {...cost, startParams: start.params, startFlops: start.flops},
              score: finalScore};
    } finally {
      resampled.dispose();
    }
  } finally {
    tf.dispose([x, reference]);
  }
}

interface Cost {
  params: number;
  flops: number;
}

/** Class indices `[n]` of the first `n` labels (indices or one-hot). */
function classes(labels: tf.Tensor, n: number): tf.Tensor {
  const head = tf.slice(labels, 0, n);
  return head.rank === 2 ? tf.argMax(head, -1) : tf.cast(head, 'int32');
}

/** The candidate at `widths`, calibrated on `x`, with its cost and score. */
async function scored(inn: IntegralModel, widths: Record<string, number>, x: tf.Tensor, reference: tf.Tensor) {
  const resampled = inn.resample(widths);
  try {
    const calibrated = await resampled.calibrate(x);
    try {
      return {cost: costOf(calibrated), score: await matchRate(calibrated, x, reference)};
    } finally {
      calibrated.dispose();
    }
  } finally {
    resampled.dispose();
  }
}

/** Fraction of `x` whose top-1 output under `inn` is `reference`. */
async function matchRate(inn: IntegralModel, x: tf.Tensor, reference: tf.Tensor): Promise<number> {
  const hits = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(inn.predict(x) as tf.Tensor, -1), reference), 'float32')));
  const value = (await hits.data())[0];
  hits.dispose();
  return value;
}

/** Agreement of `model` with `start`'s top-1 outputs on `x` (or accuracy, with labels). */
async function scoreOn(model: IntegralModel, start: IntegralModel, x: tf.Tensor, labels?: tf.Tensor): Promise<number> {
  const reference = tf.tidy(() => labels == null ? tf.argMax(start.predict(x) as tf.Tensor, -1) : classes(labels, x.shape[0]));
  try {
    return await matchRate(model, x, reference);
  } finally {
    reference.dispose();
  }
}

/** Parameters and multiply-adds per input of the stock model `inn` exports. */
export function costOf(inn: IntegralModel): Cost {
  const stock = inn.toLayersModel();
  try {
    return {params: stock.countParams(), flops: stock.layers.reduce((sum, l) => sum + layerFlops(l), 0)};
  } finally {
    disposeModel(stock);
  }
}

/** Multiply-adds per input of a stock layer's kernel (0 for layers without one). */
function layerFlops(layer: tfl.layers.Layer): number {
  const kernel = layer.getWeights()[0];
  if (kernel == null) return 0;
  const out = layer.outputShape as number[];
  const positions = out.slice(1, -1).reduce((a, b) => a * (b ?? 1), 1);
  const name = layer.getClassName();
  if (name === 'Conv2DTranspose') {  // each input position scatters the whole kernel
    return kernel.size * (layer.input as tfl.SymbolicTensor).shape.slice(1, -1).reduce((a: number, b) => a * (b ?? 1), 1);
  }
  return ['Dense', 'Conv1D', 'Conv2D', 'DepthwiseConv2D'].includes(name) ? kernel.size * positions : 0;
}
