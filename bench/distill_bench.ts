/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

import {demoCnn} from '../demo/model';
import {disposeModel} from '../src/converter/topology';
import * as tfi from '../src/index';
import {mobileNetV2} from './converter_bench';

/** Distillation's throughput against stock `fit` of the exported model at the same width, on one backend. */
export interface DistillRow {
  backend: string;
  model: string;
  width: number;
  batchSize: number;
  /** Images per second of `model.fit` (Adam, categorical cross-entropy on labels) of the exported stock model. */
  stockFit: number;
  /** Images per second of `distill` with the teacher's outputs already kept by the reference (a later width). */
  distill: number;
  /** `distill / stockFit`. */
  ratio: number;
  /** Images per second of the first `distill` on these inputs, the teacher's outputs computed once included. */
  distillFirst: number;
}

/** A model distilled by the bench: its name, a factory (random weights) and its input shape and classes. */
export interface DistilledModel {
  name: string;
  make: () => tfl.LayersModel;
  inputShape: number[];
  classes: number;
}

/** The demo CNN (28×28×1, 10 classes). */
export const DEMO_CNN: DistilledModel = {name: 'demo CNN', make: () => demoCnn({seed: 3}), inputShape: [28, 28, 1],
                                         classes: 10};

/** MobileNetV2 as Keras builds it at 224×224, 1000 classes (3.5M parameters). */
export const MOBILENET_V2_224: DistilledModel = {name: 'MobileNetV2 (224x224)', make: () => mobileNetV2(224, 1000),
                                                 inputShape: [224, 224, 3], classes: 1000};

/** Images per second of `run`, which trains on `n` images (timed after `warm` once ran). */
async function imagesPerSecond(n: number, warm: () => Promise<unknown>, run: () => Promise<unknown>): Promise<number> {
  await warm();
  const start = performance.now();
  await run();
  return n / ((performance.now() - start) / 1000);
}

/** Throughput of `distill` and of stock `fit` of `net` (random weights) at `widths`, `images` inputs per run. */
export async function benchDistill(backend: string, net: DistilledModel, widths: number[], images: number,
                                   batchSize: number): Promise<DistillRow[]> {
  const model = net.make();
  const inn = await tfi.wrapModel(model, {permute: false});
  const x = tf.randomUniform([images, ...net.inputShape], 0, 1, 'float32', 4);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([images], 0, net.classes, 'int32', 5), net.classes));
  const warm = Math.min(images, 2 * batchSize);
  const warmX = tf.slice(x, 0, warm), warmY = tf.slice(y, 0, warm);
  const rows: DistillRow[] = [];
  const options = {epochs: 1, batchSize, learningRate: 1e-3};
  try {
    for (const width of widths) {
      const resampled = inn.resample(width);
      const stock = resampled.toLayersModel();
      stock.compile({optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy'});
      const fit = (a: tf.Tensor, b: tf.Tensor) => () => stock.fit(a, b, {epochs: 1, batchSize, verbose: 0});
      const stockFit = await imagesPerSecond(images, fit(warmX, warmY), fit(x, y));
      const kept: tfi.IntegralModel[] = [];
      const distill = (data: tf.Tensor) => async () => kept.push(await resampled.distill(data, options));
      // The first distillation on `x` computes the reference's outputs once; later ones (other widths) reuse them.
      const distillFirst = rows.length === 0 ? await imagesPerSecond(images, distill(warmX), distill(x)) : NaN;
      const later = await imagesPerSecond(images, async () => {}, distill(x));
      rows.push({backend, model: net.name, width, batchSize, stockFit, distill: later, ratio: later / stockFit,
                 distillFirst});
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
