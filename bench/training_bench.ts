/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {demoCnn} from '../demo/model';
import {disposeModel} from '../src/converter/topology';
import * as tfi from '../src/index';

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
  let model: tfl.LayersModel = demoCnn({integral: version === 'integral layers'});
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
