/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import * as tfl from '@tensorflow/tfjs-layers';

import {disposeModel} from '../../src/converter/topology';
import {pathLength, shortestOpenPath} from '../../src/converter/permutation';
import * as tfi from '../../src/index';
import {describeWithBackends, testBackends} from '../describe_with_backends';
import {memoryRoundTrip} from '../layers/layer_test_util';
import {warmUpLayers} from '../layers/layers_test';
import {expectClose, memoryIO, readAndDispose} from '../test_util';
import {integralCnn, sequentialCnn} from './models';

/** A two-layer MLP whose weights are smooth functions of the hidden channel coordinate. */
function smoothMlp(hidden: number) {
  const model = tfl.sequential({layers: [
    tfl.layers.dense({units: hidden, activation: 'tanh', inputShape: [3]}),
    tfl.layers.dense({units: 2}),
  ]});
  const [w1, b1, w2, b2] = tf.tidy(() => {
    const v = tf.reshape(tf.linspace(0, 1, hidden), [1, hidden]);
    const rows = tf.reshape(tf.tensor1d([0.5, 1.5, -1]), [3, 1]);
    const out = tf.reshape(tf.tensor1d([1, -2]), [1, 2]);
    return [tf.sin(tf.add(tf.mul(v, 3), rows)), tf.cos(tf.mul(tf.reshape(v, [hidden]), 2)),
            tf.mul(tf.cos(tf.mul(tf.reshape(v, [hidden, 1]), 4)), tf.div(out, hidden)), tf.zeros([2])];
  });
  model.setWeights([w1, b1, w2, b2]);
  tf.dispose([w1, b1, w2, b2]);
  return model;
}

describe('permutation search', () => {
  it('finds the optimum of the worked example of inn-math §9 and never loses to the identity', () => {
    const d = Float64Array.from([0, 1.5, 2.5, 3.25, 1.5, 0, 3, 2.75, 2.5, 3, 0, 3.75, 3.25, 2.75, 3.75, 0]);
    const order = shortestOpenPath(d, 4, 1, 1000);
    expect(pathLength(d, 4, [0, 1, 2, 3])).toBe(8.25);
    expect(pathLength(d, 4, order)).toBe(6.75);
    expect([[2, 0, 1, 3], [3, 1, 0, 2]]).toContain(Array.from(order));
  });

  it('is deterministic for a seed', () => {
    const n = 40;
    const d = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = Math.abs(Math.sin(i * 7.1) - Math.sin(j * 7.1));
    expect(Array.from(shortestOpenPath(d, n, 3, 5000))).toEqual(Array.from(shortestOpenPath(d, n, 3, 5000)));
  });
});

describeWithBackends('IntegralModel', () => {
  beforeAll(warmUpLayers);

  it('reports total variation per group, never worse than the identity order', async () => {
    const model = sequentialCnn();
    const inn = await tfi.wrapModel(model, {seed: 2});
    expect(inn.permutation.map(r => r.group)).toEqual(inn.groups.filter(g => g.continuous).map(g => g.name));
    for (const r of inn.permutation) expect(r.tvAfter).toBeLessThanOrEqual(r.tvBefore);
    expect(inn.permutation.some(r => r.tvAfter < r.tvBefore)).toBe(true);
    disposeModel(model);
    inn.dispose();
  });

  it('resampling smooth weights to half width changes the output far less than keeping the first half', async () => {
    const model = smoothMlp(64);
    const x = tf.randomNormal([32, 3], 0, 1, 'float32', 7);
    const full = await readAndDispose(model.predict(x) as tf.Tensor);
    const inn = await tfi.wrapModel(model, {permute: false});
    const half = inn.resample(0.5);
    const truncated = tfl.sequential({layers: [
      tfl.layers.dense({units: 32, activation: 'tanh', inputShape: [3]}), tfl.layers.dense({units: 2})]});
    const [w1, b1, w2, b2] = model.getWeights();
    const parts = tf.tidy(() => [tf.slice(w1, [0, 0], [3, 32]), tf.slice(b1, 0, 32), tf.slice(w2, [0, 0], [32, 2]), b2.clone()]);
    truncated.setWeights(parts);
    tf.dispose(parts);
    const error = (y: Float32Array) => Math.max(...y.map((v, i) => Math.abs(v - full[i])));
    const [resampledError, truncatedError] = [error(await readAndDispose(half.predict(x) as tf.Tensor)),
                                              error(await readAndDispose(truncated.predict(x) as tf.Tensor))];
    expect(resampledError).toBeLessThan(0.1 * truncatedError);
    tf.dispose(x);
    disposeModel(model); inn.dispose(); half.dispose(); disposeModel(truncated);
  });

  it('trains with seeded random widths, reproducibly, and evaluates at its own width', async () => {
    const isTest = tf.env().getBool('IS_TEST');
    tf.env().set('IS_TEST', false);  // tfjs's fused matMul trips the per-kernel leak check on wasm during fit
    const run = async () => {
      const source = sequentialCnn(false);
      const inn = await tfi.wrapModel(source, {permute: false});
      inn.compile({optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy'});
      const x = tf.randomNormal([16, 8, 8, 3], 0, 1, 'float32', 8);
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 4));
      const widths: number[][] = [];
      const history = await inn.fit(x, y, {epochs: 2, batchSize: 4, shuffle: false, verbose: 0,
                                           randomWidth: {min: 0.25, max: 1, seed: 5},
                                           callbacks: {onBatchBegin: async () => {
                                             widths.push((inn.model.layers.filter(l => l.getClassName() === 'IntegralConv2D') as unknown as Array<{filters: number}>).map(l => l.filters));
                                           }}});
      const weights = await Promise.all(inn.model.getWeights().map(w => w.data()));
      tf.dispose([x, y]);
      inn.model.optimizer.dispose();
      inn.dispose();
      disposeModel(source);
      expect(new Set(widths.map(w => w.join())).size).toBeGreaterThan(1);  // the widths did vary
      return {loss: history.history.loss as number[], weights};
    };
    try {
      const [a, b] = [await run(), await run()];
      expect(a.loss).toEqual(b.loss);
      a.weights.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(b.weights[i])));
    } finally {
      tf.env().set('IS_TEST', isTest);
    }
  });

  it('trains a model built from integral layers with random widths through fitDataset, and up-samples', async () => {
    const isTest = tf.env().getBool('IS_TEST');
    tf.env().set('IS_TEST', false);
    const source = integralCnn();
    const inn = await tfi.wrapModel(source);
    expect(inn.groups.filter(g => g.continuous).map(g => g.originalSize)).toEqual([6, 8]);
    inn.compile({optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy'});
    const x = tf.randomNormal([12, 8, 8, 3], 0, 1, 'float32', 11);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 4));
    const [xs, ys] = [tf.unstack(x), tf.unstack(y)];
    const dataset = tfd.zip({xs: tfd.array(xs), ys: tfd.array(ys)}).batch(4);
    try {
      const history = await inn.fitDataset(dataset, {epochs: 2, verbose: 0, randomWidth: {min: 0.5, seed: 3}});
      expect(history.history.loss.length).toBe(2);
      const wide = inn.resample(1.5);
      expect(wide.groups.filter(g => g.continuous).map(g => g.size)).toEqual([9, 12]);
      const plain = wide.toLayersModel();
      expectClose(await readAndDispose(plain.predict(x) as tf.Tensor), await readAndDispose(wide.predict(x) as tf.Tensor));
      wide.dispose(); disposeModel(plain);
    } finally {
      tf.env().set('IS_TEST', isTest);
      tf.dispose([x, y, ...xs, ...ys]);
      inn.model.optimizer.dispose();
      disposeModel(source); inn.dispose();
    }
  });

  it('saves and loads with its groups, and resamples after loading', async () => {
    const model = sequentialCnn();
    const full = await tfi.wrapModel(model);
    const inn = full.resample(0.75);
    const io = memoryIO();
    await inn.save(io.save);
    const back = await tfi.loadIntegralModel(io.load());
    expect(back.groups).toEqual(inn.groups);
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 9);
    expectClose(await readAndDispose(back.predict(x) as tf.Tensor), await readAndDispose(inn.predict(x) as tf.Tensor), 0);
    const [a, b] = [back.resample(0.5), inn.resample(0.5)];
    expectClose(await readAndDispose(a.predict(x) as tf.Tensor), await readAndDispose(b.predict(x) as tf.Tensor), 0);
    await expectAsync(tfi.loadIntegralModel(tf.io.fromMemory((await (async () => {
      let artifacts: tf.io.ModelArtifacts|null = null;
      await model.save(tf.io.withSaveHandler(async s => {
        artifacts = s;
        return {modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(s)};
      }));
      return artifacts!;
    })())))).toBeRejectedWithError(/without IntegralModel metadata/);
    tf.dispose(x);
    disposeModel(model); full.dispose(); inn.dispose(); back.dispose(); a.dispose(); b.dispose();
  });

  it('wraps a model saved and loaded by stock tfjs, end to end', async () => {
    const model = sequentialCnn();
    const loaded = await memoryRoundTrip(model);
    const inn = await tfi.wrapModel(loaded);
    const half = inn.resample(0.5);
    const plain = half.toLayersModel();
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 10);
    expectClose(await readAndDispose(inn.predict(x) as tf.Tensor), await readAndDispose(model.predict(x) as tf.Tensor));
    expect((await readAndDispose(plain.predict(x) as tf.Tensor)).length).toBe(2 * 4);
    tf.dispose(x);
    disposeModel(model); disposeModel(loaded); inn.dispose(); half.dispose(); disposeModel(plain);
  });
}, testBackends().filter(b => b !== 'composite'));
