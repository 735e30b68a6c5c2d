/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {disposeModel} from '../../src/converter/topology';
import * as tfi from '../../src/index';
import {describeWithBackends, testBackends} from '../describe_with_backends';
import {warmUpLayers} from '../layers/layers_test';
import {readAndDispose} from '../test_util';
import {cnnTrainingData, sequentialCnn, withoutKernelLeakCheck} from './models';

/** The sampled widths of the live integral convolutions of `inn`. */
const liveFilters = (inn: tfi.IntegralModel) =>
    inn.model.layers.filter(l => l instanceof tfi.layers.IntegralConv2D).map(l => (l as tfi.layers.IntegralConv2D).filters);

describeWithBackends('robustness', () => {
  beforeAll(warmUpLayers);

  it('rejects what is not a model, and absurd sizes, before allocating anything', async () => {
    for (const bad of [null, undefined, {}, 3]) {
      await expectAsync(tfi.wrapModel(bad as unknown as tfl.LayersModel))
          .toBeRejectedWithError(/^Error in wrapModel: 'model' must be a tf.LayersModel/);
    }
    const model = sequentialCnn(false);
    const inn = await tfi.wrapModel(model);
    await expectAsync(tfi.wrapModel(inn as unknown as tfl.LayersModel))
        .toBeRejectedWithError(/'model' must be a tf.LayersModel .* but got 'an IntegralModel'/);
    expect(() => inn.resample(3000)).toThrowError(/IntegralModel.resample: 'spec' must be a positive scale ≤ 16/);
    expect(() => inn.resample({[inn.groups[1].name]: 1e6})).toThrowError(/must be a positive integer ≤ 16 × its original width/);
    for (const make of [tfi.layers.integralDense, tfi.layers.integralConv1d, tfi.layers.integralConv2d,
                        tfi.layers.integralConv2dTranspose, tfi.layers.integralEmbedding]) {
      for (const bad of [undefined, null, 3]) {
        expect(() => (make as (a: unknown) => unknown)(bad)).toThrowError(/^Error in Integral\w+: 'args' must be an object/);
      }
    }
    const controls = tf.zeros([4, 4]);
    expect(() => tfi.integralWeight(controls, {outSize: 2e8})).toThrowError(/integralWeight: 'outSize' must be a positive integer ≤/);
    expect(() => tfi.integralWeight(controls, {inSize: 2 ** 15, outSize: 2 ** 15}))
        .toThrowError(/'outSize' must be small enough for a sampled weight of at most 268435456 elements/);
    tf.dispose(controls);
    disposeModel(model); inn.dispose();
  });

  it('resample → dispose in a loop leaks nothing; models made from a disposed one stay usable', async () => {
    const model = sequentialCnn(false);
    const inn = await tfi.wrapModel(model);
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 9);
    const start = tf.memory().numTensors;
    for (const width of [0.9, 0.5, 0.3, 0.5, 0.7]) {
      const r = inn.resample(width);
      tf.dispose(r.predict(x));
      r.dispose();
      expect(tf.memory().numTensors).toBe(start);
    }
    const half = inn.resample(0.5);
    inn.dispose();
    expect((await readAndDispose(half.predict(x) as tf.Tensor)).length).toBe(8);
    half.dispose();
    tf.dispose(x);
    disposeModel(model);
  });

  it('restores its widths however a random-width fit ends, and predicts at its own widths meanwhile', () => withoutKernelLeakCheck(async () => {
    const model = sequentialCnn(false);
    const inn = await tfi.wrapModel(model);
    inn.compile({optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy'});
    const {x, y} = cnnTrainingData(16, 2);
    const own = liveFilters(inn);
    const expected = await readAndDispose(inn.predict(x) as tf.Tensor);
    try {
      // A callback that throws mid-batch: the fit rejects, the widths come back. tfjs's fit leaves the aborted
      // epoch's tensors behind (it does so for a stock model too): the test's own scope collects them, and the
      // package leaves no more than stock tfjs does.
      const aborted = async (runFit: (callbacks: tfl.CustomCallbackArgs) => Promise<unknown>) => {
        const before = tf.memory().numTensors;
        tf.engine().startScope();
        const failing = runFit({onBatchBegin: async batch => {
          if (batch === 1) throw new Error('user callback failed');
        }});
        await expectAsync(failing).toBeRejectedWithError(/user callback failed/);
        const left = tf.memory().numTensors - before;
        tf.engine().endScope();
        return left;
      };
      const stock = sequentialCnn(false);
      stock.compile({optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy'});
      const stockLeft = await aborted(callbacks => stock.fit(x, y, {epochs: 1, batchSize: 4, verbose: 0, callbacks}));
      const left = await aborted(callbacks => inn.fit(x, y, {epochs: 1, batchSize: 4, verbose: 0, callbacks,
                                                          randomWidth: {min: 0.25, seed: 3}}));
      expect(left).toBe(stockLeft);
      stock.optimizer.dispose();
      disposeModel(stock);
      expect(liveFilters(inn)).toEqual(own);
      // Predictions, resampling and saving while a fit awaits.
      let seen: number[][] = [];
      const during: Array<Promise<void>> = [];
      const running = inn.fit(x, y, {epochs: 1, batchSize: 4, verbose: 0, randomWidth: {min: 0.25, seed: 4},
                                     callbacks: {onBatchBegin: async () => {
                                       seen.push(liveFilters(inn));
                                       during.push((async () => {
                                         const yHat = inn.predict(x) as tf.Tensor;
                                         expect(yHat.shape).toEqual([16, 4]);
                                         yHat.dispose();
                                         const r = inn.resample(1);
                                         expect(liveFilters(r)).toEqual(own);
                                         r.dispose();
                                         await expectAsync(inn.save(tf.io.withSaveHandler(async () => ({} as tf.io.SaveResult))))
                                             .toBeRejectedWithError(/IntegralModel.save: a random-width fit is running/);
                                       })());
                                     }}});
      await running;
      await Promise.all(during);
      expect(seen.some(w => w.join() !== own.join())).toBe(true);  // the fit did run at random widths
      expect(liveFilters(inn)).toEqual(own);
      seen = [];
      // Stopped early: the widths come back too.
      await inn.fit(x, y, {epochs: 3, batchSize: 4, verbose: 0, randomWidth: {min: 0.25, seed: 5},
                           callbacks: {onBatchEnd: async () => {
                             inn.model.stopTraining = true;
                           }}});
      expect(liveFilters(inn)).toEqual(own);
      expect((await readAndDispose(inn.predict(x) as tf.Tensor)).length).toBe(expected.length);
    } finally {
      tf.dispose([x, y]);
      inn.model.optimizer.dispose();
      disposeModel(model); inn.dispose();
    }
  }));
}, testBackends().filter(b => b !== 'composite'));
