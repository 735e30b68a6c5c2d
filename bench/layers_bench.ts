/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import * as tfi from '../src/index';
import {BenchRow, Effort} from './ops_bench';
import {compare} from './timing';

type Factory = (args: object) => tfl.layers.Layer;

/** A small Fashion-MNIST-sized CNN: conv 8 → pool → conv 16 → pool → flatten → dense 10. */
function smallCnn(conv2d: Factory, dense: Factory, inContinuous: object) {
  return tfl.sequential({layers: [
    conv2d({filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [28, 28, 1], ...inContinuous}),
    tfl.layers.maxPooling2d({poolSize: 2}),
    conv2d({filters: 16, kernelSize: 3, padding: 'same', activation: 'relu'}),
    tfl.layers.maxPooling2d({poolSize: 2}),
    tfl.layers.flatten(),
    dense({units: 10, activation: 'softmax'}),
  ]});
}

/** One optimizer step (forward, backward, Adam update) of `model` on a batch, as a function returning the loss. */
function trainStep(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor) {
  const optimizer = tf.train.adam(1e-3);
  const vars = model.trainableWeights.map(w => w.read() as tf.Variable);
  return () => optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor), true, vars)!;
}

/** One training step at batch 128 of the same CNN from integral layers vs from stock layers. */
export async function benchTrainingStep(backend: string, effort: Effort): Promise<BenchRow[]> {
  const x = tf.randomNormal([128, 28, 28, 1], 0, 1, 'float32', 1);
  const y = tf.oneHot(tf.randomUniform([128], 0, 10, 'int32', 2), 10);
  const stock = smallCnn(tfl.layers.conv2d as Factory, tfl.layers.dense as Factory, {});
  const integral = smallCnn(tfi.layers.integralConv2d as Factory, tfi.layers.integralDense as Factory,
                            {inContinuous: false});
  const r = await compare(trainStep(stock, x, y), trainStep(integral, x, y), effort.rounds, effort.minReps, effort.minMs);
  tf.dispose([x, y]);
  stock.dispose();
  integral.dispose();
  return [{backend, op: 'train step', shape: 'CNN 28x28x1, batch 128', width: 'full', pass: 'forward+backward', ...r}];
}

/**
 * Inference, where the layers reuse their sampled weights: an `IntegralDense` layer (controls 4/3 wider, sampled to
 * 1024) against `tf.layers.dense` at batch 32 and 128, and the small CNN wrapped, resampled to half width and
 * predicted through its `IntegralModel` against the stock model it exports.
 */
export async function benchInference(backend: string, effort: Effort): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const n = 1024;
  const stockDense = tfl.sequential({layers: [tfl.layers.dense({units: n, inputShape: [n]})]});
  const integralDense = tfl.sequential({layers: [tfi.layers.integralDense({units: n, inputShape: [n],
                                                                           inControlSize: 1365, outControlSize: 1365})]});
  for (const batch of [32, 128]) {
    const x = tf.randomNormal([batch, n], 0, 1, 'float32', 1);
    const r = await compare(() => stockDense.predict(x) as tf.Tensor, () => integralDense.predict(x) as tf.Tensor,
                            effort.rounds, effort.minReps, effort.minMs);
    rows.push({backend, op: 'dense layer predict', shape: `${batch}x${n} → ${n}`, width: 'resampled', pass: 'forward', ...r});
    x.dispose();
  }
  const full = await tfi.wrapModel(smallCnn(tfl.layers.conv2d as Factory, tfl.layers.dense as Factory, {}));
  const half = full.resample(0.5);
  const exported = half.toLayersModel();
  const x = tf.randomNormal([128, 28, 28, 1], 0, 1, 'float32', 1);
  const r = await compare(() => exported.predict(x) as tf.Tensor, () => half.predict(x) as tf.Tensor, effort.rounds,
                          effort.minReps, effort.minMs);
  rows.push({backend, op: 'IntegralModel.predict vs its export', shape: 'CNN 28x28x1, batch 128, 50 %',
             width: 'resampled', pass: 'forward', ...r});
  x.dispose();
  [stockDense, integralDense, exported].forEach(m => m.dispose());
  [full, half].forEach(m => m.dispose());
  return rows;
}
