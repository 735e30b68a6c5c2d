/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {LeastSquares, outputSampling} from '../../src/calibration/least_squares';
import {disposeModel} from '../../src/converter/topology';
import * as tfi from '../../src/index';
import {DEFAULT_CUBIC_A} from '../../src/ops/sampling';
import {sequentialCnn, withoutKernelLeakCheck} from '../converter/models';
import {describeWithBackends, flowBackends} from '../describe_with_backends';
import {expectClose, readAndDispose} from '../test_util';

const seeded = (seed: number) => tfl.initializers.glorotNormal({seed});

/** A small classifier: Dense 6 relu → Dense 3 softmax. */
function mlp(seed: number): tfl.LayersModel {
  return tfl.sequential({layers: [
    tfl.layers.dense({units: 6, activation: 'relu', inputShape: [4], kernelInitializer: seeded(seed)}),
    tfl.layers.dense({units: 3, activation: 'softmax', kernelInitializer: seeded(seed + 1)}),
  ]});
}

/**
 * The plain reference: the student's logits (the softmax dropped) trained by hand-written Adam on the soft
 * cross-entropy against the teacher's logits, batches in order, constant rate. Returns the trained weights' values.
 */
async function referenceDistill(student: tfl.LayersModel, teacher: tfl.LayersModel, x: tf.Tensor, batch: number,
                                rate: number, temperature: number): Promise<Float32Array[]> {
  const [w1, b1, w2, b2] = student.getWeights().map(w => tf.variable(w));
  const [t1, c1, t2, c2] = teacher.getWeights();
  const logits = (v: tf.Tensor, k1: tf.Tensor, d1: tf.Tensor, k2: tf.Tensor, d2: tf.Tensor) =>
      tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(v, k1), d1)), k2), d2);
  const params = [w1, b1, w2, b2];
  const m: tf.Tensor[] = params.map(p => tf.zerosLike(p)), s: tf.Tensor[] = params.map(p => tf.zerosLike(p));
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-7];
  for (let start = 0, step = 1; start < x.shape[0]; start += batch, step++) {
    tf.tidy(() => {
      const xb = tf.slice(x, start, Math.min(batch, x.shape[0] - start));
      const target = tf.softmax(tf.div(logits(xb, t1, c1, t2, c2), temperature));
      const loss = () => tf.mul(tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(tf.div(
          logits(xb, w1, b1, w2, b2), temperature))), -1))), temperature * temperature) as tf.Scalar;
      const {grads} = tf.variableGrads(loss, params);
      params.forEach((p, i) => {
        const g = grads[p.name];
        const mi = tf.add(tf.mul(m[i], beta1), tf.mul(g, 1 - beta1)), si = tf.add(tf.mul(s[i], beta2), tf.mul(tf.square(g), 1 - beta2));
        const update = tf.div(tf.div(mi, 1 - beta1 ** step), tf.add(tf.sqrt(tf.div(si, 1 - beta2 ** step)), eps));
        p.assign(tf.sub(p, tf.mul(update, rate)));
        m[i].dispose();
        s[i].dispose();
        m[i] = tf.keep(mi);
        s[i] = tf.keep(si);
      });
    });
  }
  const values = await Promise.all(params.map(p => p.data() as Promise<Float32Array>));
  tf.dispose([...params, ...m, ...s]);
  return values;
}

describeWithBackends('IntegralModel.distill', backend => {
  it('trains as a plain hand-written loop does: soft cross-entropy of the logits, Adam, in order', () => withoutKernelLeakCheck(async () => {
    const [student, teacher] = [mlp(1), mlp(7)];
    const x = tf.randomNormal([48, 4], 0, 1, 'float32', 3);
    const inn = await tfi.wrapModel(student, {permute: false});
    const expected = await referenceDistill(student, teacher, x, 16, 0.01, 2);
    const distilled = await inn.distill(x, {teacher, epochs: 1, batchSize: 16, learningRate: 0.01, temperature: 2,
                                            schedule: 'constant', shuffle: false, validation: false});
    const stock = distilled.toLayersModel();
    const actual = await Promise.all(stock.getWeights().map(w => w.data() as Promise<Float32Array>));
    // WebGL's float32 shader maths moves the gradients in their last bits, and Adam's first steps divide them by
    // their own size: a weight may move a fifth of a step (0.002) apart there.
    actual.forEach((a, i) => expectClose(a, expected[i], backend === 'webgl' ? 2e-2 : 1e-4));
    // The receiver is unchanged.
    expectClose(await readAndDispose(inn.predict(x) as tf.Tensor), await readAndDispose(student.predict(x) as tf.Tensor));
    [inn, distilled].forEach(m => m.dispose());
    [student, teacher, stock].forEach(disposeModel);
    x.dispose();
  }));

  it('brings a resampled model closer to the reference, by default, seeded and deterministic', () => withoutKernelLeakCheck(async () => {
    const model = sequentialCnn(false);
    const inn = await tfi.wrapModel(model);
    const x = tf.randomNormal([64, 8, 8, 3], 0, 1, 'float32', 5);
    const reference = await readAndDispose(model.predict(x) as tf.Tensor);
    const distance = async (m: tfi.IntegralModel) => {
      const y = await readAndDispose(m.predict(x) as tf.Tensor);
      return y.reduce((sum, v, i) => sum + (v - reference[i]) ** 2, 0);
    };
    const half = inn.resample(0.5);
    const losses: number[] = [];
    const options = {epochs: 4, batchSize: 16, learningRate: 0.01, onProgress: (p: tfi.DistillProgress) => losses.push(p.loss)};
    const [a, b] = [await half.distill(x, options), await half.distill(x, {...options, onProgress: undefined})];
    expect(await distance(a)).toBeLessThan(0.5 * await distance(half));
    expect(losses.length).toBe(16);
    expect(losses.slice(-4).reduce((s, v) => s + v, 0)).toBeLessThan(losses.slice(0, 4).reduce((s, v) => s + v, 0));
    if (backend === 'cpu' || backend === 'wasm') expectClose(await readAndDispose(b.predict(x) as tf.Tensor),
                                                             await readAndDispose(a.predict(x) as tf.Tensor), 0);
    [inn, half, a, b].forEach(m => m.dispose());
    disposeModel(model);
    x.dispose();
  }));

  it('distills a classifier whose softmax is a layer of its own (the logits are what it compares)', () => withoutKernelLeakCheck(async () => {
    const model = tfl.sequential({layers: [
      tfl.layers.dense({units: 12, activation: 'relu', inputShape: [6], kernelInitializer: tfl.initializers.glorotNormal({seed: 1})}),
      tfl.layers.dense({units: 4, kernelInitializer: tfl.initializers.glorotNormal({seed: 2})}),
      tfl.layers.activation({activation: 'softmax'}),
    ]});
    const inn = await tfi.wrapModel(model);
    const x = tf.randomNormal([128, 6], 0, 1, 'float32', 3);
    const reference = await readAndDispose(model.predict(x) as tf.Tensor);
    const distance = async (m: tfi.IntegralModel) =>
        (await readAndDispose(m.predict(x) as tf.Tensor)).reduce((sum, v, i) => sum + (v - reference[i]) ** 2, 0);
    const half = inn.resample(0.5);
    const distilled = await half.distill(x, {epochs: 8, batchSize: 32, learningRate: 0.01, validation: false});
    expect(await distance(distilled)).toBeLessThan(await distance(half));
    [inn, half, distilled].forEach(m => m.dispose());
    disposeModel(model);
    x.dispose();
  }));

  it('calibrates a distilled model only as far as the whole network gets closer to the reference on held-out inputs', () => withoutKernelLeakCheck(async () => {
    const model = mlp(21);
    const inn = await tfi.wrapModel(model);
    const reference = inn.toLayersModel();
    const x = tf.randomNormal([256, 4], 0, 1, 'float32', 22);
    // Calibration's held-out inputs: its batches of 64 are cut into 8 of 32, and every fourth is held out.
    const heldOut = tf.tidy(() => tf.concat([tf.slice(x, 96, 32), tf.slice(x, 224, 32)]));
    const teacher = await readAndDispose(reference.predict(heldOut) as tf.Tensor);
    /** Cross-entropy of a model's probabilities against the reference's on the held-out inputs, written out. */
    const crossEntropy = async (m: {predict(x: tf.Tensor): tf.Tensor|tf.Tensor[]}) => {
      const p = await readAndDispose(m.predict(heldOut) as tf.Tensor);
      return -teacher.reduce((sum, t, i) => sum + t * Math.log(p[i]), 0) / heldOut.shape[0];
    };
    const sampling = outputSampling(6, 3, DEFAULT_CUBIC_A);
    /**
     * The layer-wise fit alone, on a stock copy of `m`: what calibrate computes before judging the whole, the
     * held-out rows kept out of its solves; and how each layer's fit went.
     */
    const layerWise = async (m: tfi.IntegralModel) => {
      const stock = m.toLayersModel();
      const [hidden, output] = stock.layers.map(l => l.name);
      const ls = await LeastSquares.read(stock, reference, x, 64, 'auto', 1024);
      ls.holdOutOfSolves = true;
      return {stock, fits: [await ls.fit(hidden, sampling), await ls.fit(output, null)]};
    };
    /** The same fit made again on all the inputs, at the ridges it chose (what calibrate keeps when it wins). */
    const onAllInputs = async (m: tfi.IntegralModel) => {
      const {stock, fits} = await layerWise(m);
      const ls = await LeastSquares.read(stock, reference, x, 64, 'auto', 1024);
      for (const [i, layer] of stock.layers.entries()) {
        if (!fits[i].kept) await ls.fit(layer.name, i === 0 ? sampling : null, fits[i].ridge);
      }
      return stock;
    };
    const half = inn.resample(0.5);
    for (const learningRate of [0.01, 3]) {
      // Trained end to end (0.01), or wrecked (3): the layer-wise fit ends farther from the reference, or closer.
      const start = await half.distill(x, {epochs: 20, batchSize: 32, learningRate, validation: false});
      const progress: tfi.CalibrationProgress[] = [];
      const [{stock: fitted}, calibrated] =
          [await layerWise(start), await start.calibrate(x, {grid: 'uniform', onProgress: p => progress.push(p)})];
      const keep = await crossEntropy(fitted) > await crossEntropy(start);
      expect(keep).toBe(learningRate === 0.01);
      // Two passes of the two layers, reported to the end either way; when the start wins, the second says so.
      expect(progress.map(p => `${p.index}/${p.total}`)).toEqual(['0/4', '1/4', '2/4', '3/4']);
      if (keep) expect(progress.slice(2).every(p => p.kept)).toBe(true);
      const refitted = await onAllInputs(start);
      expectClose(await readAndDispose(calibrated.predict(x) as tf.Tensor),
                  await readAndDispose((keep ? start : refitted).predict(x) as tf.Tensor), 1e-5);
      if (!keep) {
        // The second pass is seen: the fit on all inputs is not the one judged.
        const apart = tf.tidy(() => tf.max(tf.abs(tf.sub(refitted.predict(x) as tf.Tensor,
                                                          fitted.predict(x) as tf.Tensor))));
        expect((await readAndDispose(apart))[0]).toBeGreaterThan(1e-3);
      }
      // The fitted grid (the default) places the trained model anew from the reference, never ending farther than
      // its start: either it is closer on the held-out inputs and has positions, or it is the start unchanged.
      const placed = await start.calibrate(x);
      const [placedLoss, startLoss] = [await crossEntropy(placed), await crossEntropy(start)];
      expect(placedLoss).toBeLessThanOrEqual(startLoss + 1e-6);
      expect(placed.groups.some(g => g.positions != null)).toBe(placedLoss !== startLoss);
      if (learningRate === 3) expect(placedLoss).toBeLessThan(startLoss);
      [start, calibrated, placed].forEach(m => m.dispose());
      [fitted, refitted].forEach(disposeModel);
    }
    sampling.dispose();
    [inn, half].forEach(m => m.dispose());
    [model, reference].forEach(disposeModel);
    tf.dispose([x, heldOut]);
  }));

  it('keeps the starting weights of a classifier when training loses top-1 agreement on held-out inputs', () => withoutKernelLeakCheck(async () => {
    const model = sequentialCnn(false);
    const inn = await tfi.wrapModel(model);
    const start = inn.resample(0.75);
    const x = tf.randomNormal([512, 8, 8, 3], 0, 1, 'float32', 9);
    const agreement = async (m: tfi.IntegralModel) => {
      const same = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(m.predict(x) as tf.Tensor, -1),
                                                          tf.argMax(model.predict(x) as tf.Tensor, -1)), 'float32')));
      return (await readAndDispose(same))[0];
    };
    // A rate that wrecks it: without validation it agrees with its teacher far less; with it, nothing changes.
    const options = {learningRate: 5, epochs: 1, batchSize: 32};
    const wrecked = await start.distill(x, {...options, validation: false});
    expect(await agreement(wrecked)).toBeLessThan(await agreement(start) - 0.2);
    const kept = await start.distill(x, options);
    expectClose(await readAndDispose(kept.predict(x) as tf.Tensor), await readAndDispose(start.predict(x) as tf.Tensor), 1e-6);
    [inn, start, wrecked, kept].forEach(m => m.dispose());
    disposeModel(model);
    x.dispose();
  }));

  it('keeps the starting weights of a classifier distilled on a few inputs when training makes it worse', () => withoutKernelLeakCheck(async () => {
    const model = sequentialCnn(false);
    const inn = await tfi.wrapModel(model);
    const start = inn.resample(0.75);
    // 48 inputs: 3 held out, too few for any count of top-1 flips to be significant.
    const x = tf.randomNormal([48, 8, 8, 3], 0, 1, 'float32', 10);
    const options = {learningRate: 5, epochs: 2, batchSize: 16};
    const wrecked = await start.distill(x, {...options, validation: false});
    const [w, s0] = [await readAndDispose(wrecked.predict(x) as tf.Tensor), await readAndDispose(start.predict(x) as tf.Tensor)];
    expect(w.some((v, i) => Math.abs(v - s0[i]) > 0.05)).toBeTrue();
    const kept = await start.distill(x, options);
    expectClose(await readAndDispose(kept.predict(x) as tf.Tensor), s0, 1e-6);
    [inn, start, wrecked, kept].forEach(m => m.dispose());
    disposeModel(model);
    x.dispose();
  }));

  it('keeps the starting weights when training takes it further from its teacher on held-out inputs', () => withoutKernelLeakCheck(async () => {
    const model = sequentialCnn(false);
    const inn = await tfi.wrapModel(model);
    const x = tf.randomNormal([64, 8, 8, 3], 0, 1, 'float32', 9);
    // Its own teacher, by mean squared error: it starts at zero loss, and any step moves it away.
    const same = await inn.distill(x, {teacher: model, loss: 'mse', learningRate: 0.1, epochs: 2, batchSize: 16});
    expectClose(await readAndDispose(same.predict(x) as tf.Tensor), await readAndDispose(inn.predict(x) as tf.Tensor), 1e-6);
    [inn, same].forEach(m => m.dispose());
    disposeModel(model);
    x.dispose();
  }));

  it('streams a tf.data.Dataset as the same inputs in order, and stops when aborted', () => withoutKernelLeakCheck(async () => {
    const model = sequentialCnn(false);
    const inn = await tfi.wrapModel(model);
    const x = tf.randomNormal([32, 8, 8, 3], 0, 1, 'float32', 6);
    const options = {epochs: 1, batchSize: 8, learningRate: 0.01, shuffle: false, schedule: 'constant' as const,
                     validation: false};
    const half = inn.resample(0.5);
    const fromTensor = await half.distill(x, options);
    const dataset = {iterator: async () => {
      let i = 0;
      return {next: async () => i < 4 ? {value: tf.slice(x, 8 * i++, 8), done: false} : {value: undefined, done: true}};
    }};
    const fromDataset = await half.distill(dataset as tfi.InputDataset, options);
    expectClose(await readAndDispose(fromDataset.predict(x) as tf.Tensor), await readAndDispose(fromTensor.predict(x) as tf.Tensor), 1e-5);
    const controller = new AbortController();
    let batches = 0;
    const stopped = await half.distill(x, {...options, epochs: 3, signal: controller.signal, onProgress: () => {
      if (++batches === 2) controller.abort();
    }});
    expect(batches).toBe(2);
    [inn, half, fromTensor, fromDataset, stopped].forEach(m => m.dispose());
    disposeModel(model);
    x.dispose();
  }));

  it('trains once for a range of widths: the full width stays close to the reference, narrow ones improve', () => withoutKernelLeakCheck(async () => {
    const model = sequentialCnn(false);
    const inn = await tfi.wrapModel(model);
    const x = tf.randomNormal([64, 8, 8, 3], 0, 1, 'float32', 7);
    const reference = await readAndDispose(model.predict(x) as tf.Tensor);
    const gap = async (m: tfi.IntegralModel, width: number) => {
      const r = m.resample(width);
      const y = await readAndDispose(r.predict(x) as tf.Tensor);
      r.dispose();
      return y.reduce((sum, v, i) => sum + (v - reference[i]) ** 2, 0);
    };
    const once = await inn.distill(x, {widths: {min: 0.25}, epochs: 3, batchSize: 16, learningRate: 0.01});
    expect(await gap(once, 0.25)).toBeLessThan(await gap(inn, 0.25));
    expect(await gap(once, 1)).toBeLessThan(0.25 * await gap(inn, 0.25));
    // Calibrating a width of it aims at the reference, and keeps what training taught where that fits better.
    const small = once.resample(0.25);
    const calibrated = await small.calibrate(x);
    expect(await gap(calibrated, 1)).toBeGreaterThanOrEqual(0);
    [inn, once, small, calibrated].forEach(m => m.dispose());
    disposeModel(model);
    x.dispose();
  }));

  it('rejects bad options naming distill and the field, leaving no tensors', async () => {
    const model = sequentialCnn(false);
    const inn = await tfi.wrapModel(model);
    const x = tf.randomNormal([8, 8, 8, 3], 0, 1, 'float32', 8);
    const cases: Array<[unknown, RegExp]> = [
      [{epochs: 0}, /'options.epochs' must be an integer in \[1, 1000\]/],
      [{learningRate: -1}, /'options.learningRate'/], [{temperature: NaN}, /'options.temperature'/],
      [{loss: 'hinge'}, /'options.loss'/], [{widths: {min: 2}}, /'options.widths.min'/],
      [{teacher: 3}, /'options.teacher' must be a tf.LayersModel or an IntegralModel/], [{signal: 1}, /'options.signal'/],
      [null, /'options' must be an object/],
    ];
    for (const [options, message] of cases) {
      await expectAsync(inn.distill(x, options as tfi.DistillOptions)).toBeRejectedWithError(message);
    }
    const wrong = tf.zeros([2, 5]);
    await expectAsync(inn.distill(wrong)).toBeRejectedWithError(/Error in distill: 'x' must be of shape/);
    wrong.dispose();
    inn.dispose();
    disposeModel(model);
    x.dispose();
  });
}, flowBackends().filter(b => b !== 'composite'));
