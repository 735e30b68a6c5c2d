/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// Who owns what: the reference network every derived model holds, resampled models that share their source's
// weights, chains that leave nothing behind, and tensors of other code that the package never touches.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {disposeModel} from '../../src/converter/topology';
import * as tfi from '../../src/index';
import {cnnTrainingData, sequentialCnn, withoutKernelLeakCheck} from '../converter/models';
import {describeWithBackends, testBackends} from '../describe_with_backends';
import {expectClose, memoryIO, readAndDispose} from '../test_util';

/** Predictions of an IntegralModel or LayersModel on `x`, read back. */
const predicted = (m: {predict(x: tf.Tensor): tf.Tensor|tf.Tensor[]}, x: tf.Tensor) =>
    readAndDispose(m.predict(x) as tf.Tensor);

/** Predictions of `inn` resampled to `width` (the resampled model disposed). */
async function predictedAt(inn: tfi.IntegralModel, width: number, x: tf.Tensor): Promise<Float32Array> {
  const resampled = inn.resample(width);
  try {
    return await predicted(resampled, x);
  } finally {
    resampled.dispose();
  }
}

/** A copy of `inn` with a network of its own (not a view of `inn`'s). */
function ownCopy(inn: tfi.IntegralModel): tfi.IntegralModel {
  const copy = inn.resample(1);
  void copy.model;
  return copy;
}

/** Mean squared difference between two prediction arrays. */
const msd = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / a.length;

describeWithBackends('model ownership', () => {
  let model: tfl.LayersModel;
  let inn: tfi.IntegralModel;
  let x: tf.Tensor;

  beforeAll(async () => {
    model = sequentialCnn(false);
    inn = await tfi.wrapModel(model);
    x = tf.randomNormal([48, 8, 8, 3], 0, 1, 'float32', 5);
  });
  afterAll(() => {
    inn.dispose();
    disposeModel(model);
    x.dispose();
  });

  it('calibrates toward the reference network: calibrating again changes almost nothing, also after save and load', async () => {
    const reference = await predicted(model, x);
    const half = inn.resample(0.5);
    const once = await half.calibrate(x);
    const twice = await once.calibrate(x);
    const [p1, p2] = [await predicted(once, x), await predicted(twice, x)];
    // The second calibration aims at the same reference from a start that already fits it.
    expect(msd(p1, p2)).toBeLessThan(0.1 * msd(p1, reference));
    const saved = memoryIO();
    await once.save(saved.save);
    const loaded = await tfi.loadIntegralModel(saved.load());
    expectClose(await predicted(loaded, x), p1, 1e-5);
    const again = await loaded.calibrate(x);
    expectClose(await predicted(again, x), p2, 1e-3);
    // At the original widths, calibrating a calibrated model gives back the reference function.
    const full = await once.resample(1).calibrate(x);
    const upsampled = await predictedAt(once, 1, x);
    expect(msd(await predicted(full, x), reference)).toBeLessThan(0.01 * msd(upsampled, reference));
    [half, once, twice, loaded, again, full].forEach(m => m.dispose());
  });

  it('leaves nothing behind in the documented chains once their results are disposed', async () => {
    const before = tf.memory().numTensors;
    const small = await inn.resample(0.5).calibrate(x);
    small.dispose();
    disposeModel(inn.resample(0.25).toLayersModel());
    inn.resample(0.75).resample({[inn.groups[1].name]: 3}).dispose();
    await inn.resample(0.5).save(memoryIO().save);
    const stock = inn.resample(0.5).toLayersModel();
    const quantizedTarget = memoryIO();
    await stock.save(tfi.quantized(quantizedTarget.save, 'uint8'));
    disposeModel(stock);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('lets a resampled model share its source until it is used on its own', async () => {
    const expected = await predictedAt(inn, 0.5, x);
    // Never used before its source goes: it keeps the source's weights alive, then takes its own.
    const source = ownCopy(inn);
    const kept = source.resample(0.5);
    source.dispose();
    expectClose(await predicted(kept, x), expected, 1e-5);
    // Used on its own first: independent of its source.
    const other = ownCopy(inn);
    const own = other.resample(0.5);
    expectClose(await predicted(own, x), expected, 1e-5);
    other.dispose();
    expectClose(await predicted(own, x), expected, 1e-5);
    // The start of a chain, then its source disposed: a clear error, nothing freed twice.
    const third = ownCopy(inn);
    const start = third.resample(0.5);
    const derived = await start.calibrate(x);
    third.dispose();
    expect(() => start.predict(x)).toThrowError(/resampled from a model that has since been disposed/);
    expect((await predicted(derived, x)).length).toBe(48 * 4);
    [kept, own, start, derived].forEach(m => m.dispose());
    expect(() => kept.predict(x)).toThrowError(/this IntegralModel is disposed/);
  });

  it('gives models resampled before a fit the weights they had', () => withoutKernelLeakCheck(async () => {
    const trained = ownCopy(inn);
    const half = trained.resample(0.5);
    const expected = await predictedAt(inn, 0.5, x);
    trained.compile({optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy'});
    const {x: tx, y: ty} = cnnTrainingData(16, 3);
    await trained.fit(tx, ty, {epochs: 1, batchSize: 8, verbose: 0});
    expectClose(await predicted(half, x), expected, 1e-5);
    // One resampled after the fit sees the trained weights.
    const after = await predictedAt(trained, 0.5, x);
    expect(msd(after, expected)).toBeGreaterThan(0);
    trained.model.optimizer.dispose();
    [trained, half].forEach(m => m.dispose());
    tf.dispose([tx, ty]);
  }));

  it('never disposes tensors it does not own: callbacks\' and concurrent code\'s', () => withoutKernelLeakCheck(async () => {
    const kept: tf.Tensor[] = [];
    const trained = inn.resample(1);
    trained.compile({optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy'});
    const {x: tx, y: ty} = cnnTrainingData(16, 4);
    await trained.fit(tx, ty, {epochs: 1, batchSize: 8, verbose: 0, randomWidth: {min: 0.5, seed: 2},
                                callbacks: {onBatchEnd: async () => void kept.push(trained.predict(tx) as tf.Tensor)}});
    // Other code making tensors while the package awaits.
    let running = true;
    const concurrent = (async () => {
      while (running) {
        kept.push(tf.scalar(kept.length));
        await new Promise(resolve => setTimeout(resolve, 0));
      }
    })();
    const target = memoryIO();
    await trained.save(target.save);
    const loaded = await tfi.loadIntegralModel(target.load());
    const calibrated = await loaded.resample(0.5).calibrate(x);
    const searched = await tfi.searchWidths(loaded, {budget: {params: 0.6}, calibration: x, searchSamples: 16,
                                                     calibrateCandidates: false});
    running = false;
    await concurrent;
    expect(kept.length).toBeGreaterThan(2);
    expect(kept.every(t => !t.isDisposed)).toBe(true);
    tf.dispose(kept);
    trained.model.optimizer.dispose();
    [trained, loaded, calibrated, searched.model].forEach(m => m.dispose());
    tf.dispose([tx, ty]);
  }));
}, testBackends().filter(b => b === 'cpu' || b === 'wasm'));
