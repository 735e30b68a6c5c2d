/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import * as tfi from '../../src/index';
import {describeWithBackends} from '../describe_with_backends';
import {expectClose, readAndDispose} from '../test_util';

/** Conv (1-D and 2-D), transposed conv, dense and a per-channel layer: every cached layer kind but Embedding. */
function stockModel() {
  const input = tfl.input({shape: [6, 6, 3]});
  let y = tfl.layers.conv2d({filters: 6, kernelSize: 3, padding: 'same', name: 'conv'}).apply(input) as tfl.SymbolicTensor;
  y = tfl.layers.batchNormalization({name: 'bn'}).apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.conv2dTranspose({filters: 5, kernelSize: 2, strides: 2, activation: 'relu', name: 'up'})
          .apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.reshape({targetShape: [144, 5]}).apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.conv1d({filters: 4, kernelSize: 3, padding: 'same', name: 'conv1d'}).apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.flatten().apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.dense({units: 7, activation: 'tanh', name: 'hidden'}).apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.dense({units: 3, name: 'logits'}).apply(y) as tfl.SymbolicTensor;
  return tfl.model({inputs: input, outputs: y});
}

/** The stock model an IntegralModel exports now, with its predictions for `x`: the reference of every spec. */
async function exported(inn: tfi.IntegralModel, x: tf.Tensor) {
  const stock = inn.toLayersModel();
  const y = await readAndDispose(stock.predict(x) as tf.Tensor);
  stock.dispose();
  return y;
}

/** Names of the kernels a prediction of `model` runs. */
async function kernelsOf(model: tfl.LayersModel, x: tf.Tensor) {
  const profile = await tf.profile(() => model.predict(x) as tf.Tensor);
  tf.dispose(profile.result as tf.Tensor);
  return profile.kernelNames;
}

/** Moves every weight of `model` a little (as an optimizer step would), with new tensors written through `setWeights`. */
function nudge(model: tfl.LayersModel) {
  const moved = tf.tidy(() => model.getWeights().map((w, i) => tf.add(w, tf.randomUniform(w.shape, 0.05, 0.1, 'float32', i))));
  model.setWeights(moved);
  tf.dispose(moved);
}

describeWithBackends('sampled weight reuse in inference', () => {
  let stock: tfl.LayersModel, x: tf.Tensor;
  beforeAll(() => {
    stock = stockModel();
    nudge(stock);  // BatchNormalization statistics away from the identity
    x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 1);
  });
  afterAll(() => {
    stock.dispose();
    x.dispose();
  });

  it('samples once, then reuses the weights in fused kernels: same predictions, no tensors added', async () => {
    const full = await tfi.wrapModel(stock, {foldBatchNorm: false, permute: false});
    const inn = full.resample(0.5);
    full.dispose();
    const first = await readAndDispose(inn.predict(x) as tf.Tensor);
    const tensors = tf.memory().numTensors;
    const kernels = await kernelsOf(inn.model, x);
    expect(kernels.filter(k => k.startsWith('Integral'))).toEqual([]);
    // tfjs's fused kernels, as the stock layers run them (product, bias and activation in one kernel).
    expect(kernels).toContain('FusedConv2D');
    expect(kernels).toContain('_FusedMatMul');
    expect(tf.memory().numTensors).toBe(tensors);
    expect(Array.from(await readAndDispose(inn.predict(x) as tf.Tensor))).toEqual(Array.from(first));
    expectClose(first, await exported(inn, x), 1e-4);
    inn.dispose();
  });

  it('sees new weights after a training step, setWeights and a direct assign', async () => {
    const inn = await tfi.wrapModel(stock, {foldBatchNorm: false, permute: false});
    const y0 = await readAndDispose(inn.predict(x) as tf.Tensor);
    const optimizer = tf.train.sgd(0.1);
    inn.model.compile({optimizer, loss: 'meanSquaredError'});
    const target = tf.ones([2, 3]);
    await inn.model.fit(x, target, {epochs: 1, batchSize: 2, verbose: 0});
    target.dispose();
    const afterStep = await readAndDispose(inn.predict(x) as tf.Tensor);
    expect(Array.from(afterStep)).not.toEqual(Array.from(y0));
    expectClose(afterStep, await exported(inn, x), 1e-4);

    nudge(inn.model);
    const afterSet = await readAndDispose(inn.predict(x) as tf.Tensor);
    expect(Array.from(afterSet)).not.toEqual(Array.from(afterStep));
    expectClose(afterSet, await exported(inn, x), 1e-4);

    const logits = inn.model.getLayer('logits').weights[0].read() as tf.Variable;
    const doubled = tf.mul(logits, 2);
    logits.assign(doubled);
    doubled.dispose();
    const afterAssign = await readAndDispose(inn.predict(x) as tf.Tensor);
    expect(Array.from(afterAssign)).not.toEqual(Array.from(afterSet));
    expectClose(afterAssign, await exported(inn, x), 1e-4);
    inn.dispose();
    optimizer.dispose();
  });

  it('holds its weights per model through resampling, and dispose frees them', async () => {
    const tensors = tf.memory().numTensors;
    let inn = await tfi.wrapModel(stock, {foldBatchNorm: false, permute: false});
    for (const width of [0.5, 0.75, 0.5, 1]) {
      tf.dispose(inn.predict(x));
      const next = inn.resample(width);
      inn.dispose();
      inn = next;
      expectClose(await readAndDispose(inn.predict(x) as tf.Tensor), await exported(inn, x), 1e-4);
    }
    inn.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('records gradients to the controls after predictions (nothing is cached while the tape runs)', async () => {
    const layer = tfi.layers.integralDense({units: 4, inputShape: [5], outControlSize: 6});
    const model = tfl.sequential({layers: [layer]});
    const input = tf.randomNormal([3, 5], 0, 1, 'float32', 2);
    tf.dispose(model.predict(input));
    const controls = layer.weights[0].read() as tf.Variable;
    const {grads, value} = tf.variableGrads(() => tf.sum(tf.square(model.predict(input) as tf.Tensor)) as tf.Scalar,
                                            [controls]);
    const g = await readAndDispose(grads[controls.name]);
    expect(Math.max(...Array.from(g).map(Math.abs))).toBeGreaterThan(0);
    // Finite difference along the gradient: f(c + εg) - f(c) ≈ ε|g|².
    const f0 = (await readAndDispose(value))[0];
    const eps = 1e-3;
    const step = tf.tidy(() => tf.add(controls, tf.mul(tf.tensor(g, controls.shape), eps)));
    controls.assign(step);
    step.dispose();
    const f1 = (await readAndDispose(tf.tidy(() => tf.sum(tf.square(model.predict(input) as tf.Tensor)))))[0];
    const g2 = Array.from(g).reduce((a, b) => a + b * b, 0);
    expect(Math.abs((f1 - f0) / eps - g2)).toBeLessThan(0.05 * g2);
    input.dispose();
    model.dispose();
  });

  it('reuses the table of an IntegralEmbedding and follows its resize', async () => {
    const layer = tfi.layers.integralEmbedding({inputDim: 10, outputDim: 8, inputLength: 3});
    const model = tfl.sequential({layers: [tfl.layers.inputLayer({inputShape: [3], dtype: 'int32'}), layer]});
    const ids = tf.tensor2d([[1, 2, 9], [0, 5, 5]], undefined, 'int32');
    const y = await readAndDispose(model.predict(ids) as tf.Tensor);
    const kernels = await kernelsOf(model, ids);
    expect(kernels.filter(k => k.startsWith('Integral'))).toEqual([]);
    layer.resize(4);
    const table = layer.stockWeights()[0];
    const expected = await readAndDispose(tf.tidy(() => tf.gather(table, tf.tensor1d([1, 2, 9, 0, 5, 5], 'int32'))));
    table.dispose();
    expectClose(await readAndDispose(layer.apply(ids) as tf.Tensor), expected, 1e-5);
    expect(y.length).toBe(2 * 3 * 8);
    ids.dispose();
    model.dispose();
  });
});
