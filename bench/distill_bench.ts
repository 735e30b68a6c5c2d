/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {demoCnn} from '../demo/model';
import {disposeModel} from '../src/converter/topology';
import * as tfi from '../src/index';

/** Distillation's throughput against stock `fit` of the exported model at the same width, on one backend. */
export interface DistillRow {
  backend: string;
  width: number;
  /** Images per second of `model.fit` (Adam, categorical cross-entropy on labels) of the exported stock model. */
  stockFit: number;
  /** Images per second of `distill` with the teacher's outputs already kept by the reference (a later width). */
  distill: number;
  /** `distill / stockFit`. */
  ratio: number;
  /** Images per second of the first `distill` on these inputs, the teacher's outputs computed once included. */
  distillFirst: number;
}

/** Images per second of `run`, which trains on `n` images (timed after `warm` once ran). */
async function imagesPerSecond(n: number, warm: () => Promise<unknown>, run: () => Promise<unknown>): Promise<number> {
  await warm();
  const start = performance.now();
  await run();
  return n / ((performance.now() - start) / 1000);
}

/** Throughput of `distill` and of stock `fit` on the demo CNN (random weights) at `widths`, batch 128. */
export async function benchDistill(backend: string, widths: number[], images: number): Promise<DistillRow[]> {
  const model = demoCnn({seed: 3});
  const inn = await tfi.wrapModel(model);
  const x = tf.randomUniform([images, 28, 28, 1], 0, 1, 'float32', 4);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([images], 0, 10, 'int32', 5), 10));
  const warmX = tf.slice(x, 0, 256), warmY = tf.slice(y, 0, 256);
  const rows: DistillRow[] = [];
  const options = {epochs: 1, batchSize: 128, learningRate: 1e-3};
  try {
    for (const width of widths) {
      const resampled = inn.resample(width);
      const stock = resampled.toLayersModel();
      stock.compile({optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy'});
      const fit = (a: tf.Tensor, b: tf.Tensor) => () => stock.fit(a, b, {epochs: 1, batchSize: 128, verbose: 0});
      const stockFit = await imagesPerSecond(images, fit(warmX, warmY), fit(x, y));
      const kept: tfi.IntegralModel[] = [];
      const distill = (data: tf.Tensor) => async () => kept.push(await resampled.distill(data, options));
      // The first distillation on `x` computes the reference's outputs once; later ones (other widths) reuse them.
      const distillFirst = rows.length === 0 ? await imagesPerSecond(images, distill(warmX), distill(x)) : NaN;
      const later = await imagesPerSecond(images, async () => {}, distill(x));
      rows.push({backend, width, stockFit, distill: later, ratio: later / stockFit, distillFirst});
      stock.optimizer.dispose();
      disposeModel(stock);
      kept.forEach(m => m.dispose());
      resampled.dispose();
    }
  } finally {
    tf.dispose([x, y, warmX, warmY]);
    inn.dispose();
    disposeModel(model);
  }
  return rows;
}
