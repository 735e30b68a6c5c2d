/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import * as tfl from '@tensorflow/tfjs-layers';

import {LeastSquares, outputSampling} from '../../src/calibration/least_squares';
import {batchRows} from '../../src/calibration/row_sample';
import {kindOfClass} from '../../src/converter/kinds/registry';
import type {OutputLattice} from '../../src/converter/patches';
import {disposeModel} from '../../src/converter/topology';
import * as tfi from '../../src/index';
import {describeWithBackends, flowBackends, testBackends} from '../describe_with_backends';
import {warmUpLayers} from '../layers/layers_test';
import {refWeight} from '../reference';
import {expectClose, readAndDispose} from '../test_util';
import {KIND_MODELS} from './kind_models';
import {cnnTrainingData, concatNet, residualCnn, sequentialCnn, withoutKernelLeakCheck} from './models';

/** Solves `A·X = B` (`A` d×d, `B` d×k, row-major) in float64 by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[][]): number[][] {
  const d = a.length;
  const m = a.map((row, i) => [...row, ...b[i]]);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let j = c; j < m[r].length; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row, i) => row.slice(d).map(v => v / m[i][i]));
}

/** Rows of `x` (`n × d`) times `w` (`d × k`) plus `b`. */
const affine = (x: number[][], w: number[][], b: number[]) =>
    x.map(row => b.map((bj, j) => row.reduce((s, v, i) => s + v * w[i][j], bj)));

/**
 * The calibrated `[W, b]` of one layer by the normal equations written out: `[X 1]ᵀ[X 1] + λ·diag(1, ..., 1, 0)`
 * against `[X 1]ᵀ Z + λ·[W₀; 0]`, `λ = ridge · trace(XᵀX) / d`, `W₀` the layer's weights before calibration (the
 * ridge pulls towards them).
 */
function referenceFit(x: number[][], z: number[][], ridge: number, prior: number[][]): [number[][], number[]] {
  const d = x[0].length;
  const rows = x.map(r => [...r, 1]);
  const gram = rows[0].map((_, i) => rows[0].map((__, j) => rows.reduce((s, r) => s + r[i] * r[j], 0)));
  let trace = 0;
  for (let i = 0; i < d; i++) trace += gram[i][i];
  const lambda = ridge * trace / d;
  for (let i = 0; i < d; i++) gram[i][i] += lambda;
  const cross = rows[0].map((_, i) => z[0].map((__, j) => rows.reduce((s, r, n) => s + r[i] * z[n][j], 0) +
                                                           (i < d ? lambda * prior[i][j] : 0)));
  const solution = solve(gram, cross);
  return [solution.slice(0, d), solution[d]];
}

const toRows = (values: ArrayLike<number>, cols: number) =>
    Array.from({length: values.length / cols}, (_, i) => Array.from(values).slice(i * cols, (i + 1) * cols));

/** Mean squared difference of two models' outputs on `x`. */
async function meanSquaredDifference(a: {predict: (x: tf.Tensor) => unknown}, b: {predict: (x: tf.Tensor) => unknown},
                                     x: tf.Tensor): Promise<number> {
  const d = tf.tidy(() => tf.mean(tf.squaredDifference(a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor)));
  return (await readAndDispose(d))[0];
}

describeWithBackends('IntegralModel.calibrate', () => {
  beforeAll(warmUpLayers);

  it('solves the normal equations of each layer on the rows rowsPerRegressor allows, as a reference written for the test does', async () => {
    const model = tfl.sequential({layers: [
      tfl.layers.dense({units: 6, activation: 'relu', inputShape: [3], kernelInitializer: tfl.initializers.glorotNormal({seed: 1}),
                        biasInitializer: tfl.initializers.randomNormal({seed: 2, stddev: 0.3})}),
      tfl.layers.dense({units: 2, kernelInitializer: tfl.initializers.glorotNormal({seed: 3})}),
    ]});
    const inn = await tfi.wrapModel(model, {permute: false});
    const small = inn.resample(0.5);  // hidden 6 → 3
    const x = tf.randomNormal([40, 3], 0, 1, 'float32', 4);
    const ridge = 1e-2;
    const resampled = small.toLayersModel();
    const [p1, , p2] = await Promise.all(resampled.getWeights().map(w => w.data()));
    disposeModel(resampled);
    const xs = toRows(await x.data(), 3);
    const [w1, b1, w2, b2] = await Promise.all(model.getWeights().map(w => w.data()));
    // All rows; then 4 rows per regressor (both layers have 3 inputs and a bias: 16 rows in all, 2 per batch of 5,
    // every third row from an offset drawn per batch).
    for (const rowsPerRegressor of [Infinity, 4]) {
      const calibrated = await small.calibrate(x, {ridge, batchSize: 5, grid: 'uniform', rowsPerRegressor});
      const exported = calibrated.toLayersModel();
      const kept = (rows: number[][]) => rowsPerRegressor === Infinity ? rows : rows.filter((_, i) => {
        const lattice = batchRows(Math.floor(i / 5), 8, rowsPerRegressor * 4)([1, 5, 1]);
        return lattice == null || (i % 5 >= lattice.offset[0] && (i % 5 - lattice.offset[0]) % lattice.steps[0] === 0);
      });
      const hiddenFull = affine(xs, toRows(w1, 6), Array.from(b1));
      // Layer 1: the full pre-activation sampled at 3 positions (the same cubic interpolation as resampling).
      const sampling = toRows(refWeight({values: Float64Array.from({length: 36}, (_, i) => (i % 7 === 0 ? 1 : 0)), shape: [6, 6]},
                                        {inContinuous: false, outSize: 3}).values, 3);
      const [v1, c1] = referenceFit(kept(xs), kept(affine(hiddenFull, sampling, [0, 0, 0])), ridge, toRows(p1, 3));
      // Layer 2: inputs from the calibrated layer 1, target the full network's logits.
      const hidden = affine(xs, v1, c1).map(r => r.map(v => Math.max(v, 0)));
      const logits = affine(hiddenFull.map(r => r.map(v => Math.max(v, 0))), toRows(w2, 2), Array.from(b2));
      const [v2, c2] = referenceFit(kept(hidden), kept(logits), ridge, toRows(p2, 2));
      if (rowsPerRegressor !== Infinity) expect(kept(xs).length).toBeLessThan(xs.length);
      const got = await Promise.all(exported.getWeights().map(w => w.data()));
      [v1.flat(), c1, v2.flat(), c2].forEach((expected, i) => expectClose(got[i], expected, 2e-4));
      calibrated.dispose(); disposeModel(exported);
    }
    tf.dispose(x);
    disposeModel(model); inn.dispose(); small.dispose();
  });

  it('fits a producer from sums taken once with its output unsampled as from sums taken at its sampling', async () => {
    const model = sequentialCnn(false);
    const inn = await tfi.wrapModel(model, {permute: false});
    const [narrow, full] = [inn.resample(0.5).toLayersModel(), inn.toLayersModel()];
    const name = narrow.layers.find(l => l.getClassName() === 'Conv2D')!.name;
    const start = narrow.getLayer(name).getWeights().map(w => w.clone());
    const x = tf.randomNormal([32, 8, 8, 3], 0, 1, 'float32', 7);
    const uniform = outputSampling(8, 4, -0.5);
    const selection = tf.tidy(() => tf.transpose(tf.oneHot(tf.tensor1d([0, 2, 5, 7], 'int32'), 8)).toFloat()) as tf.Tensor2D;
    const fitted = async (reuse: boolean) => {
      const ls = await LeastSquares.read(narrow, full, x, 8, 1e-3, 1024);
      if (reuse) {
        ls.reuseSums(name);
        await ls.fit(name, selection);
        narrow.getLayer(name).setWeights(start);
      }
      const fit = await ls.fit(name, uniform);
      const weights = await Promise.all(narrow.getLayer(name).getWeights().map(w => w.data()));
      narrow.getLayer(name).setWeights(start);
      return {fit, weights};
    };
    const moments = spyOn(kindOfClass('Conv2D')!.calibration!, 'moments').and.callThrough();
    const direct = await fitted(false);
    const directCalls = moments.calls.count();
    const reused = await fitted(true);
    // Two fits from one pass over the batches, its output unsampled.
    expect(moments.calls.count()).toBe(2 * directCalls);
    expect(moments.calls.mostRecent().args[4]).toBeNull();
    expect(reused.fit).toEqual(direct.fit);
    expect(direct.fit.kept).toBeFalse();
    reused.weights.forEach((w, i) => expectClose(w, direct.weights[i], 1e-4));
    tf.dispose([x, uniform, selection, ...start]);
    disposeModel(narrow); disposeModel(full); disposeModel(model); inn.dispose();
  });

  it('rejects bad inputs naming calibrate and the argument, leaving no tensors', async () => {
    const model = residualCnn();
    const inn = await tfi.wrapModel(model);
    const half = inn.resample(0.5);
    const bad: Array<[tf.Tensor|null, RegExp]> = [
      [tf.zeros([4, 6, 6, 3]), /^Error in calibrate: 'x' must be of shape \[N, 6, 6, 2\]/],
      [tf.zeros([4, 6, 6, 2], 'int32'), /^Error in calibrate: 'x' must be of dtype float32/],
      [tf.zeros([0, 6, 6, 2]), /^Error in calibrate: 'x' must be non-empty/],
      [tf.fill([2, 6, 6, 2], NaN), /^Error in calibrate: 'x' must be finite/],
      [null, /^Error in calibrate: 'x' must be a Tensor or a tf.data.Dataset/],
    ];
    for (const [x, message] of bad) {
      await expectAsync(half.calibrate(x as tf.Tensor)).toBeRejectedWithError(message);
      tf.dispose(x ?? []);
    }
    const x = tf.zeros([2, 6, 6, 2]);
    await expectAsync(half.calibrate(x, {batchSize: 0})).toBeRejectedWithError(/'options.batchSize' must be a positive integer/);
    await expectAsync(half.calibrate(x, {ridge: -1})).toBeRejectedWithError(/'options.ridge' must be 'auto' or a non-negative number/);
    tf.dispose(x);
    disposeModel(model); inn.dispose(); half.dispose();
  });

  it('sums a depthwise layer\'s per-channel problems as a direct loop over its windows does (all, or a lattice)', async () => {
    // Narrow: 3 channels, multiplier 2; full: 4 channels sampled at the narrow positions by `sampling`.
    const [b, h, w, c, cf, m] = [2, 5, 6, 3, 4, 2];
    const cases: Array<[number, 'same'|'valid', OutputLattice|null]> = [
      [1, 'same', null], [2, 'valid', null], [1, 'same', {steps: [2, 3], offset: [1, 2]}],
      [2, 'valid', {steps: [2, 1], offset: [0, 0]}]];
    for (const [strides, padding, lattice] of cases) {
      const onLattice = (oy: number, ox: number) => lattice == null ||
          ((oy - lattice.offset[0]) % lattice.steps[0] === 0 && oy >= lattice.offset[0] &&
           (ox - lattice.offset[1]) % lattice.steps[1] === 0 && ox >= lattice.offset[1]);
      const x = tf.randomNormal([b, h, w, c], 0, 1, 'float32', 21), fullX = tf.randomNormal([b, h, w, cf], 0, 1, 'float32', 22);
      const fullKernel = tf.randomNormal([3, 3, cf, m], 0, 1, 'float32', 23), fullBias = tf.randomNormal([cf * m], 0, 1, 'float32', 24);
      const sampling = tf.randomNormal([cf, c], 0, 1, 'float32', 25) as tf.Tensor2D;
      const config = {strides, padding, dilationRate: 1};
      const moments = tf.tidy(() => {
        const r = kindOfClass('DepthwiseConv2D')!.calibration!.moments(
            x, fullX, {config, kernel: tf.zeros([3, 3, c, m])}, {config, kernel: fullKernel, bias: fullBias}, sampling,
            () => lattice);
        return [r.pp, r.pz, r.ps, r.zs, tf.scalar(r.rows)];
      });
      const [pp, pz, ps, zs, rows] = await Promise.all(moments.map(readAndDispose));
      // The reference: windows read directly from the host arrays.
      const [xs, fs, ks, bs, ss] = await Promise.all([x, fullX, fullKernel, fullBias, sampling].map(t => t.data()));
      const pad = padding === 'same' ? 1 : 0;
      const [oh, ow] = [h, w].map(n => Math.floor((n + 2 * pad - 3) / strides) + 1);
      const at = (data: ArrayLike<number>, channels: number, n: number, y: number, x0: number, ch: number) =>
          (y < 0 || y >= h || x0 < 0 || x0 >= w) ? 0 : data[((n * h + y) * w + x0) * channels + ch];
      const refPp = new Float64Array(c * 81), refPz = new Float64Array(c * 9 * m), refPs = new Float64Array(c * 9);
      const refZs = new Float64Array(c * m);
      let refRows = 0;
      for (let n = 0; n < b; n++) {
        for (let oy = 0; oy < oh; oy++) {
          for (let ox = 0; ox < ow; ox++) {
            if (!onLattice(oy, ox)) continue;
            refRows++;
            const tap = (data: ArrayLike<number>, channels: number, t: number, ch: number) =>
                at(data, channels, n, oy * strides + Math.floor(t / 3) - pad, ox * strides + (t % 3) - pad, ch);
            // The full output at this window, sampled along its channels.
            const full = Array.from({length: cf}, (_, ch) => Array.from({length: m}, (__, j) => {
              let v = bs[ch * m + j];
              for (let t = 0; t < 9; t++) v += tap(fs, cf, t, ch) * ks[(t * cf + ch) * m + j];
              return v;
            }));
            for (let ch = 0; ch < c; ch++) {
              const target = Array.from({length: m}, (_, j) => full.reduce((sum, row, f) => sum + row[j] * ss[f * c + ch], 0));
              target.forEach((v, j) => refZs[ch * m + j] += v);
              for (let t1 = 0; t1 < 9; t1++) {
                const p1 = tap(xs, c, t1, ch);
                refPs[ch * 9 + t1] += p1;
                for (let t2 = 0; t2 < 9; t2++) refPp[(ch * 9 + t1) * 9 + t2] += p1 * tap(xs, c, t2, ch);
                for (let j = 0; j < m; j++) refPz[(ch * 9 + t1) * m + j] += p1 * target[j];
              }
            }
          }
        }
      }
      expect(rows[0]).toBe(refRows);
      expect(refRows).toBeLessThan(lattice == null ? Infinity : b * oh * ow);
      expectClose(pp, refPp, 1e-4);
      expectClose(pz, refPz, 1e-4);
      expectClose(ps, refPs, 1e-4);
      expectClose(zs, refZs, 1e-4);
      tf.dispose([x, fullX, fullKernel, fullBias, sampling]);
    }
  });
}, testBackends().filter(b => b !== 'composite'));

// Whole-model flows: Node's backends (the browser runs the numerics above, the kernels' specs and the app).
describeWithBackends('IntegralModel.calibrate of whole models', () => {
  beforeAll(warmUpLayers);

  it('returns the same function at full width, and leaves both models untouched', async () => {
    const model = sequentialCnn(false);
    const inn = await tfi.wrapModel(model);
    const x = tf.randomNormal([24, 8, 8, 3], 0, 1, 'float32', 5);
    const half = inn.resample(0.5);
    const before = await readAndDispose(half.predict(x) as tf.Tensor);
    const same = await inn.calibrate(x);
    expectClose(await readAndDispose(same.predict(x) as tf.Tensor), await readAndDispose(inn.predict(x) as tf.Tensor), 0);
    const calibrated = await half.calibrate(x);
    expectClose(await readAndDispose(half.predict(x) as tf.Tensor), before, 0);
    // The same groups; a fitted grid adds the positions it chose.
    expect(calibrated.groups.map(({positions, ...g}) => g)).toEqual(half.groups);
    tf.dispose(x);
    disposeModel(model); inn.dispose(); half.dispose(); same.dispose(); calibrated.dispose();
  });

  for (const [name, make, shape] of [['a BatchNormalization CNN', () => sequentialCnn(false), [8, 8, 3]],
                                     ['a residual block', residualCnn, [6, 6, 2]],
                                     ['nested concatenations', concatNet, [6, 6, 3]]] as const) {
    it(`brings ${name} at half width closer to the full network than resampling alone`, async () => {
      const model = make();
      const inn = await tfi.wrapModel(model);
      const half = inn.resample(0.5);
      const [x, fresh] = [tf.randomNormal([96, ...shape], 0, 1, 'float32', 6), tf.randomNormal([32, ...shape], 0, 1, 'float32', 7)];
      const calibrated = await half.calibrate(x, {batchSize: 32});
      const [plain, fitted] = [await meanSquaredDifference(half, inn, fresh), await meanSquaredDifference(calibrated, inn, fresh)];
      expect(fitted).toBeLessThan(plain);
      const exported = calibrated.toLayersModel();
      expectClose(await readAndDispose(exported.predict(fresh) as tf.Tensor), await readAndDispose(calibrated.predict(fresh) as tf.Tensor));
      tf.dispose([x, fresh]);
      disposeModel(model); inn.dispose(); half.dispose(); calibrated.dispose(); disposeModel(exported);
    });
  }

  it('calibrates every producer kind (Conv1D, Conv2DTranspose, TimeDistributed, separable halves)', async () => {
    for (const km of KIND_MODELS.filter(k => !k.name.startsWith('InceptionV3'))) {
      const model = km.make();
      const inn = await tfi.wrapModel(model);
      const half = inn.resample(0.5);
      const x = tf.tidy(() => tf.concat([km.input(), km.input(), km.input(), km.input()]));
      const calibrated = await half.calibrate(x);
      const [plain, fitted] = [await meanSquaredDifference(half, inn, x), await meanSquaredDifference(calibrated, inn, x)];
      expect(fitted).withContext(km.name).toBeLessThanOrEqual(plain * 1.0001);
      tf.dispose(x);
      disposeModel(model); inn.dispose(); half.dispose(); calibrated.dispose();
    }
  }, 300000);  // seven models

  it('reads a tf.data.Dataset of inputs or batches, as the same tensor; reports progress', async () => {
    const model = residualCnn();
    const inn = await tfi.wrapModel(model);
    const half = inn.resample(0.5);
    const x = tf.randomNormal([20, 6, 6, 2], 0, 1, 'float32', 8);
    const progress: string[] = [];
    // The grid does not read the data differently: the uniform one keeps this spec short on emulated GPUs.
    const options = {batchSize: 8, grid: 'uniform' as const};
    const fromTensor = await half.calibrate(x, {...options, onProgress: p => progress.push(`${p.index + 1}/${p.total} ${p.layer}`)});
    const items = tf.unstack(x);
    const fromItems = await half.calibrate(tfd.array(items), options);
    const fromBatches = await half.calibrate(tfd.array(items).batch(8) as tfd.Dataset<tf.Tensor>, options);
    const probe = tf.randomNormal([4, 6, 6, 2], 0, 1, 'float32', 9);
    const expected = await readAndDispose(fromTensor.predict(probe) as tf.Tensor);
    expectClose(await readAndDispose(fromItems.predict(probe) as tf.Tensor), expected, 1e-4);
    expectClose(await readAndDispose(fromBatches.predict(probe) as tf.Tensor), expected, 1e-4);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress[progress.length - 1]).toMatch(new RegExp(`^${progress.length}/${progress.length} `));
    tf.dispose([x, probe, ...items]);
    disposeModel(model); inn.dispose(); half.dispose(); fromTensor.dispose(); fromItems.dispose(); fromBatches.dispose();
  });

  it('keeps the tensors alive bounded by batchSize, not by the calibration set', async () => {
    const model = sequentialCnn(false);
    const inn = await tfi.wrapModel(model);
    const half = inn.resample(0.5);
    const items = tf.tidy(() => tf.unstack(tf.randomNormal([64, 8, 8, 3], 0, 1, 'float32', 10)));
    const peakBytes = async (batchSize: number) => {
      let peak = 0;
      const watched = tfd.array(items).map(t => {
        peak = Math.max(peak, tf.memory().numBytes);
        return t;
      });
      const c = await half.calibrate(watched, {batchSize, grid: 'uniform'});
      c.dispose();
      return peak;
    };
    const base = tf.memory().numBytes;
    const [small, large] = [await peakBytes(4), await peakBytes(64)];
    expect(small - base).toBeLessThan(large - base);
    tf.dispose(items);
    disposeModel(model); inn.dispose(); half.dispose();
  });

  it('composes with random-width training: train, resample, calibrate', () => withoutKernelLeakCheck(async () => {
    const model = sequentialCnn(false);
    const inn = await tfi.wrapModel(model);
    inn.compile({optimizer: tf.train.sgd(0.02), loss: 'categoricalCrossentropy'});
    const {x, y} = cnnTrainingData(32, 11);
    await inn.fit(x, y, {epochs: 1, batchSize: 8, verbose: 0, randomWidth: {min: 0.25, seed: 2}});
    const half = inn.resample(0.5);
    const calibrated = await half.calibrate(x);
    expect(await meanSquaredDifference(calibrated, inn, x)).toBeLessThan(await meanSquaredDifference(half, inn, x));
    tf.dispose([x, y]);
    inn.model.optimizer.dispose();
    disposeModel(model); inn.dispose(); half.dispose(); calibrated.dispose();
  }));
}, flowBackends().filter(b => b !== 'composite'));
