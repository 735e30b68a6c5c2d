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
