/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import * as tfi from '../../src/index';
import {positionsFromLogits} from '../../src/layers/integral_layer_util';
import {describeWithBackends} from '../describe_with_backends';
import {readAndDispose} from '../test_util';
import {smallCnn, syntheticImages} from './layer_test_util';
import {warmUpLayers} from './layers_test';

const STOCK = {dense: tfl.layers.dense as (a: object) => tfl.layers.Layer,
               conv2d: tfl.layers.conv2d as (a: object) => tfl.layers.Layer};
const INTEGRAL = {dense: tfi.layers.integralDense as (a: object) => tfl.layers.Layer,
                  conv2d: tfi.layers.integralConv2d as (a: object) => tfl.layers.Layer};

/** Initial loss, then the mean training loss of each epoch (Adam, batches of 16, no shuffling). */
async function train(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor, epochs: number) {
  model.compile({optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy'});
  const initial = await readAndDispose(model.evaluate(x, y) as tf.Scalar);
  const history = await model.fit(x, y, {epochs, batchSize: 16, shuffle: false, verbose: 0});
  return [initial[0], ...history.history.loss as number[]];
}

function disposeTrained(model: tfl.LayersModel) {
  model.optimizer.dispose();
  model.dispose();
}

describeWithBackends('integral layers in training', () => {
  // tfjs's own fused matMul trips the engine's per-kernel leak check during fit on wasm (a tfjs false positive);
  // the specs check tf.memory() themselves.
  let isTest = false;
  beforeAll(() => {
    isTest = tf.env().getBool('IS_TEST');
    tf.env().set('IS_TEST', false);
    warmUpLayers();
  });
  afterAll(() => tf.env().set('IS_TEST', isTest));

  it('trains a small CNN like its stock twin (same seeds, same data)', async () => {
    const {x, y} = syntheticImages(48, 16, 5);
    const stock = smallCnn(16, STOCK), integral = smallCnn(16, INTEGRAL);
    const [a, b] = [await train(stock, x, y, 3), await train(integral, x, y, 3)];
    expect(b[0]).toBeCloseTo(a[0], 4);  // the same initial function
    expect(b[b.length - 1]).toBeLessThan(b[0] * 0.8);
    for (let e = 1; e < a.length; e++) expect(Math.abs(b[e] - a[e])).toBeLessThanOrEqual(0.1 * a[0]);
    tf.dispose([x, y]);
    disposeTrained(stock);
    disposeTrained(integral);
  });

  it('leaves no tensors behind across training steps and predictions', async () => {
    const {x, y} = syntheticImages(32, 8, 6);
    const model = smallCnn(8, INTEGRAL);
    await train(model, x, y, 1);  // creates the optimizer's slots
    const before = tf.memory().numTensors;
    await model.fit(x, y, {epochs: 1, batchSize: 16, verbose: 0});
    tf.dispose(model.predict(x) as tf.Tensor);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    disposeTrained(model);
  });

  it('trains sample positions that stay strictly increasing in [0, 1]', async () => {
    const model = tfl.sequential({layers: [
      tfi.layers.integralDense({units: 6, activation: 'tanh', inputShape: [5], trainablePositions: true,
                                inControlSize: 9, outControlSize: 8}),
      tfi.layers.integralDense({units: 1, outContinuous: false}),
    ]});
    const x = tf.randomNormal([32, 5], 0, 1, 'float32', 1), y = tf.randomNormal([32, 1], 0, 1, 'float32', 2);
    const logits = () => model.layers[0].getWeights().slice(2);
    const before = await Promise.all(logits().map(w => w.data()));
    model.compile({optimizer: tf.train.sgd(0.5), loss: 'meanSquaredError'});
    await model.fit(x, y, {epochs: 3, batchSize: 32, verbose: 0});
    const after = logits();
    expect(after.map(w => w.shape)).toEqual([[4], [5]]);
    for (let i = 0; i < after.length; i++) {
      const moved = (await after[i].data()).some((v, j) => Math.abs(v - before[i][j]) > 1e-6);
      expect(moved).withContext(`position logits ${i} were trained`).toBe(true);
      const p = await readAndDispose(positionsFromLogits(after[i] as tf.Tensor1D));  // tidy inside
      expect(p[0]).toBe(0);
      expect(p[p.length - 1]).toBe(1);
      for (let j = 1; j < p.length; j++) expect(p[j]).toBeGreaterThan(p[j - 1]);
    }
    tf.dispose([x, y]);
    disposeTrained(model);
  });
});
