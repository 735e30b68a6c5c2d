/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {regressorChannels} from '../../src/calibration/fitted_grid';
import {calibrateLayers} from '../../src/calibration/least_squares';
import {channelPositions, sampledWeights, samplingMatrix} from '../../src/calibration/positions';
import {kindOfClass} from '../../src/converter/kinds/registry';
import {disposeModel} from '../../src/converter/topology';
import * as tfi from '../../src/index';
import {describeWithBackends, testBackends} from '../describe_with_backends';
import {refWeight} from '../reference';
import {expectClose, memoryIO, readAndDispose} from '../test_util';

const seeded = (seed: number) => tfl.initializers.glorotNormal({seed});

/** Conv 12 relu → global average → Dense 10 relu → Dense 3: two hidden groups. */
function smallNet(): tfl.LayersModel {
  return tfl.sequential({layers: [
    tfl.layers.conv2d({filters: 12, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [6, 6, 2],
                       kernelInitializer: seeded(1), biasInitializer: tfl.initializers.randomNormal({seed: 2})}),
    tfl.layers.globalAveragePooling2d({}),
    tfl.layers.dense({units: 10, activation: 'relu', kernelInitializer: seeded(3)}),
    tfl.layers.dense({units: 3, kernelInitializer: seeded(4)}),
  ]});
}

describeWithBackends('calibrate on a fitted grid', () => {
  it('reads the channel of every regressor of a layer\'s least squares from its kernel layout', async () => {
    const calibration = (name: string) => kindOfClass(name)!.calibration!;
    const channels = async (name: string, shape: number[], layout: {outer: number, inner: number}, c: number) => {
      const kernel = tf.zeros(shape);
      const read = await regressorChannels(calibration(name), kernel, -2, layout, c);
      kernel.dispose();
      return Array.from(read!);
    };
    // A 3 × 3 convolution: regressor (tap, channel), the channel fastest.
    expect(await channels('Conv2D', [3, 3, 4, 5], {outer: 1, inner: 1}, 4)).toEqual(
        Array.from({length: 36}, (_, i) => i % 4));
    expect(await channels('Conv1D', [2, 3, 5], {outer: 1, inner: 1}, 3)).toEqual(Array.from({length: 6}, (_, i) => i % 3));
    // A Dense after a Flatten of [2, 3, 4]: six blocks of the four channels.
    expect(await channels('Dense', [24, 5], {outer: 6, inner: 1}, 4)).toEqual(Array.from({length: 24}, (_, i) => i % 4));
    // Each of three channels twice in a row (a depthwise multiplier of 2 upstream).
    expect(await channels('Dense', [6, 5], {outer: 1, inner: 2}, 3)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('samples a node as that channel: the sampling matrix selects, the sampled weights gather', async () => {
    const matrix = samplingMatrix(7, [0, 2 / 6, 5 / 6], -0.5);
    const expected = new Float32Array(21);
    [0, 2, 5].forEach((node, j) => expected[node * 3 + j] = 1);
    expect(Array.from(matrix)).toEqual(Array.from(expected));
    const kernel = tf.randomNormal([3, 3, 7, 5], 0, 1, 'float32', 1);
    const [sampled] = sampledWeights([kernel], [{weight: 0, axis: -2, tensor: 'input'}], () =>
        ({matrix, size: 7, n: 3, layout: {outer: 1, inner: 1}}));
    const gathered = tf.gather(kernel, [0, 2, 5], 2);
    expectClose(await readAndDispose(sampled), await readAndDispose(gathered), 1e-6);
    kernel.dispose();
    // Fitted positions at another width: their piecewise-linear interpolation.
    const group = {name: 'g', size: 3, originalSize: 9, layers: [], continuous: true, positions: [0, 0.5, 0.75]};
    expect(channelPositions(group)).toEqual([0, 0.5, 0.75]);
    expect(channelPositions({...group, size: 5})).toEqual([0, 0.25, 0.5, 0.625, 0.75]);
  });

  it('is the reference sampled at the chosen positions, then the same least squares (on nodes: channel pruning)', async () => {
    const model = smallNet();
    const inn = await tfi.wrapModel(model, {permute: false});
    const x = tf.randomNormal([96, 6, 6, 2], 0, 1, 'float32', 5);
    const fitted = await inn.resample(0.5).calibrate(x, {grid: 'fit', ridge: 1e-3});
    const placed = fitted.groups.filter(g => g.positions != null);
    expect(placed.length).toBe(2);
    for (const g of placed) {
      expect(g.positions!.every((p, j) => p >= 0 && p <= 1 && (j === 0 || p > g.positions![j - 1]))).toBeTrue();
    }
    // The same by hand, with the plain reference sampler: every channel axis of the reference's weights sampled at
    // its group's positions (no quadrature: a node keeps its channel as is), then the same least squares toward the
    // reference's channels at those positions.
    const [conv, dense, head] = [model.layers[0], model.layers[2], model.layers[3]];
    const pConv = placed.find(g => g.name === conv.name)!.positions!;
    const pDense = placed.find(g => g.name === dense.name)!.positions!;
    // Host arrays in, tensors out: [rows, C] sampled along C (the last axis), or along the first axis (inAxis).
    const out = async (t: tf.Tensor, positions: number[]) => {
      const shape = t.rank === 1 ? [1, t.size] : t.shape;
      const r = refWeight({values: Float64Array.from(await t.data()), shape}, {inContinuous: false, outPositions: positions});
      return tf.tensor(Float32Array.from(r.values), t.rank === 1 ? [positions.length] : r.shape);
    };
    const inAxis = async (t: tf.Tensor2D, positions: number[]) => {
      const transposed = tf.transpose(t);
      const sampled = await out(transposed, positions);
      const back = tf.transpose(sampled);
      tf.dispose([transposed, sampled]);
      return back;
    };
    const [k1, b1] = conv.getWeights(), [k2, b2] = dense.getWeights(), [k3, b3] = head.getWeights();
    const k2In = await inAxis(k2 as tf.Tensor2D, pConv);
    const weights = [await out(k1, pConv), await out(b1, pConv), await out(k2In, pDense), await out(b2, pDense),
                     await inAxis(k3 as tf.Tensor2D, pDense), b3.clone()];
    k2In.dispose();
    const pruned = tfl.sequential({layers: [
      tfl.layers.conv2d({filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [6, 6, 2], name: conv.name}),
      tfl.layers.globalAveragePooling2d({}),
      tfl.layers.dense({units: 5, activation: 'relu', name: dense.name}),
      tfl.layers.dense({units: 3, name: head.name}),
    ]});
    pruned.setWeights(weights);
    const sampling = async (positions: number[], size: number) => {
      const eye = tf.eye(size);
      const matrix = await out(eye, positions) as tf.Tensor2D;
      eye.dispose();
      return matrix;
    };
    const targets = [{name: conv.name, sampling: await sampling(pConv, 12)},
                     {name: dense.name, sampling: await sampling(pDense, 10)}, {name: head.name, sampling: null}];
    await calibrateLayers(pruned, model, targets, x, {ridge: 1e-3}, false);
    expectClose(await readAndDispose(fitted.predict(x) as tf.Tensor), await readAndDispose(pruned.predict(x) as tf.Tensor),
                1e-4);
    tf.dispose([...weights, ...targets.map(t => t.sampling).filter(s => s != null)]);
    [inn, fitted].forEach(m => m.dispose());
    [model, pruned].forEach(disposeModel);
    x.dispose();
  });

  it('keeps its positions through save and load, and calibrating again stays on them', async () => {
    const model = smallNet();
    const inn = await tfi.wrapModel(model);
    const x = tf.randomNormal([96, 6, 6, 2], 0, 1, 'float32', 6);
    const fitted = await inn.resample(0.5).calibrate(x, {grid: 'fit'});
    const io = memoryIO();
    await fitted.save(io.save);
    const loaded = await tfi.loadIntegralModel(io.load());
    expect(loaded.groups.map(g => g.positions)).toEqual(fitted.groups.map(g => g.positions));
    const again = await loaded.calibrate(x);
    expect(again.groups.map(g => g.positions)).toEqual(fitted.groups.map(g => g.positions));
    const [a, b] = [await readAndDispose(fitted.predict(x) as tf.Tensor), await readAndDispose(again.predict(x) as tf.Tensor)];
    expectClose(b, a, 0.05);
    // Another width of a fitted model sits on the interpolated positions.
    const wider = loaded.resample(0.75);
    expect(channelPositions(wider.groups.find(g => g.positions != null)!).length).toBe(9);
    [inn, fitted, loaded, again, wider].forEach(m => m.dispose());
    disposeModel(model);
    x.dispose();
  });

  it('leaves no tensors behind, however few the inputs (too few to hold any out too)', async () => {
    const model = smallNet();
    const inn = await tfi.wrapModel(model);
    for (const n of [1, 3, 4, 40]) {
      const x = tf.randomNormal([n, 6, 6, 2], 0, 1, 'float32', n);
      const before = tf.memory().numTensors;
      const fitted = await inn.resample(0.5).calibrate(x, {grid: 'fit', batchSize: 8});
      expect(fitted.groups.some(g => g.positions != null)).withContext(`${n} inputs`).toBe(true);
      fitted.dispose();
      expect(tf.memory().numTensors).withContext(`${n} inputs`).toBe(before);
      x.dispose();
    }
    inn.dispose();
    disposeModel(model);
  });
}, testBackends().filter(b => b === 'cpu' || b === 'wasm'));
