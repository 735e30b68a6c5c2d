/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {DEBIAN_FASHION_MNIST_DIR, loadFashionMnist} from '../demo/fashion_mnist';
import {accuracy} from '../demo/pipeline';
import {disposeModel} from '../src/converter/topology';
import * as tfi from '../src/index';
import {shuffledOrder} from '../src/util/random';

/** One width of the package path on a CNN other than the demo's: test accuracy after each step. */
export interface AnotherCnnRow {
  width: number;
  full: number;
  resampled: number;
  calibrated: number;
  /** After `distill` on `distillImages` × `distillEpochs` unlabeled training images. */
  distilled: number;
  distillImages: number;
  distillEpochs: number;
  calibrateSeconds: number;
  distillSeconds: number;
}

/**
 * A CNN of another shape than the demo's (three convolutions without BatchNormalization, global average pooling, two
 * Dense), trained with labels for 3 epochs (Adam 2e-3, batch 128, seeded), then shrunk without labels on the
 * package path at each width: `resample`, `calibrate` (fitted grid, 512 images), `distill` at 5e-3 for each budget
 * of `[images, epochs]`. Test accuracy on the 10,000 test images.
 */
export async function benchAnotherCnn(budgets: Array<[number, number]>): Promise<AnotherCnnRow[]> {
  const {train, test} = loadFashionMnist(DEBIAN_FASHION_MNIST_DIR, 60000, 10000);
  const init = (i: number) => ({kernelInitializer: tfl.initializers.heNormal({seed: 10 + i})});
  const model = tfl.sequential({layers: [
    tfl.layers.conv2d({filters: 24, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [28, 28, 1],
                       ...init(0)}),
    tfl.layers.maxPooling2d({poolSize: 2}),
    tfl.layers.conv2d({filters: 48, kernelSize: 3, padding: 'same', activation: 'relu', ...init(1)}),
    tfl.layers.maxPooling2d({poolSize: 2}),
    tfl.layers.conv2d({filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', ...init(2)}),
    tfl.layers.globalAveragePooling2d({}),
    tfl.layers.dense({units: 64, activation: 'relu', ...init(3)}),
    tfl.layers.dense({units: 10, activation: 'softmax', ...init(4)}),
  ]});
  model.compile({optimizer: tf.train.adam(2e-3), loss: 'categoricalCrossentropy'});
  for (let epoch = 0; epoch < 3; epoch++) {
    const [x, y] = tf.tidy(() => {
      const order = tf.tensor1d(shuffledOrder(60000, 500 + epoch), 'int32');
      return [tf.gather(train.images, order), tf.cast(tf.oneHot(tf.gather(train.labels, order), 10), 'float32')];
    });
    await model.fit(x, y, {batchSize: 128, epochs: 1, shuffle: false, verbose: 0});
    tf.dispose([x, y]);
  }
  model.optimizer.dispose();
  const full = await accuracy(model, test, 1000);
  const inn = await tfi.wrapModel(model, {seed: 1});
  const unlabeled = (seed: number, n: number) =>
      tf.tidy(() => tf.gather(train.images, tf.tensor1d(shuffledOrder(60000, seed).slice(0, n), 'int32')));
  const calibration = unlabeled(1999, 512);
  const scored = async (m: tfi.IntegralModel) => {
    const stock = m.toLayersModel();
    const a = await accuracy(stock, test, 1000);
    disposeModel(stock);
    return a;
  };
  const budgetImages = budgets.map(([images]) => unlabeled(1998, images));
  const rows: AnotherCnnRow[] = [];
  for (const width of [0.75, 0.5, 0.35, 0.25]) {
    const resampled = inn.resample(width);
    let start = performance.now();
    const calibrated = await resampled.calibrate(calibration);
    const calibrateSeconds = (performance.now() - start) / 1000;
    const [resampledAccuracy, calibratedAccuracy] = [await scored(resampled), await scored(calibrated)];
    for (const [b, [distillImages, distillEpochs]] of budgets.entries()) {
      start = performance.now();
      const distilled = await calibrated.distill(budgetImages[b], {epochs: distillEpochs, learningRate: 5e-3, seed: 1});
      const distillSeconds = (performance.now() - start) / 1000;
      rows.push({width, full, resampled: resampledAccuracy, calibrated: calibratedAccuracy,
                 distilled: await scored(distilled), distillImages, distillEpochs, calibrateSeconds, distillSeconds});
      distilled.dispose();
    }
    [resampled, calibrated].forEach(m => m.dispose());
  }
  tf.dispose(budgetImages);
  inn.dispose();
  disposeModel(model);
  tf.dispose([train.images, train.labels, test.images, test.labels, calibration]);
  return rows;
}
