/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {disposeModel} from '../src/converter/model_json';
import * as tfi from '../src/index';

type Factory = (args: object) => tfl.layers.Layer;

/**
 * The demo's Fashion-MNIST CNN: Conv 32 → MaxPool → Conv 64 → MaxPool → Conv 128 → GlobalAveragePooling →
 * Dense 128 → Dense 10, from stock or integral layers.
 */
export function demoCnn(integral: boolean) {
  const conv = (integral ? tfi.layers.integralConv2d : tfl.layers.conv2d) as Factory;
  const dense = (integral ? tfi.layers.integralDense : tfl.layers.dense) as Factory;
  const ends = integral ? {first: {inContinuous: false}, last: {outContinuous: false}} : {first: {}, last: {}};
  return tfl.sequential({layers: [
    conv({filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [28, 28, 1], ...ends.first}),
    tfl.layers.maxPooling2d({poolSize: 2}),
    conv({filters: 64, kernelSize: 3, padding: 'same', activation: 'relu'}),
    tfl.layers.maxPooling2d({poolSize: 2}),
    conv({filters: 128, kernelSize: 3, padding: 'same', activation: 'relu'}),
    tfl.layers.globalAveragePooling2d({}),
    dense({units: 128, activation: 'relu'}),
    dense({units: 10, activation: 'softmax', ...ends.last}),
  ]});
}

/** Which version of the demo CNN a training measurement used. */
export type CnnVersion = 'stock layers'|'integral layers'|'wrapped (wrapModel of the stock CNN)';

/** A training throughput measurement. */
export interface TrainingRow {
  backend: string;
  model: CnnVersion;
  batch: number;
  steps: number;
  imagesPerSecond: number;
}

/** Images per second of `steps` Adam steps (after one warm-up step) of the demo CNN at `batch`. */
export async function benchTraining(backend: string, version: CnnVersion, batch: number, steps: number):
    Promise<TrainingRow> {
  let model: tfl.LayersModel = demoCnn(version === 'integral layers');
  if (version.startsWith('wrapped')) {
    const stock = model;
    model = (await tfi.wrapModel(stock)).model;
    disposeModel(stock);
  }
  model.compile({optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy'});
  const x = tf.randomNormal([batch, 28, 28, 1], 0, 1, 'float32', 1);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 2), 10);
  await model.trainOnBatch(x, y);
  const start = performance.now();
  for (let s = 0; s < steps; s++) await model.trainOnBatch(x, y);
  const seconds = (performance.now() - start) / 1000;
  tf.dispose([x, y]);
  model.optimizer.dispose();
  disposeModel(model);
  return {backend, model: version, batch, steps, imagesPerSecond: batch * steps / seconds};
}
