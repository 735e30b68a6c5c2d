/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import * as tfi from '../../src/index';
import {describeWithBackends} from '../describe_with_backends';
import {refConv1d, refConv2d, refMatMul, RefTensor, refWeight} from '../reference';
import {expectClose, randomRef, readAndDispose, toTensor} from '../test_util';

/** Adds a sampled bias (as a [1, C] grid with a discrete input axis) to `y` in place. */
function addRefBias(y: RefTensor, bias: RefTensor, outSize: number) {
  const b = refWeight({values: bias.values, shape: [1, bias.shape[0]]}, {inContinuous: false, outSize}).values;
  y.values.forEach((v, i) => y.values[i] = v + b[i % outSize]);
  return y;
}

/** Creates and disposes a stock layer once, so that tfjs-layers' lazily cached tensors exist before the leak checks. */
export function warmUpLayers() {
  tf.tidy(() => {
    const layer = tfl.layers.dense({units: 2});
    layer.apply(tf.zeros([1, 2]));
    layer.dispose();
  });
}

describeWithBackends('integral layers', () => {
  beforeAll(warmUpLayers);

  it('have the output shapes of their stock twins, and summary() works', () => {
    const pairs: Array<[tfl.layers.Layer, tfl.layers.Layer, number[]]> = [
      [tfi.layers.integralDense({units: 7}), tfl.layers.dense({units: 7}), [null!, 5]],
      [tfi.layers.integralDense({units: 3}), tfl.layers.dense({units: 3}), [null!, 4, 6]],
      [tfi.layers.integralConv2d({filters: 5, kernelSize: 3, padding: 'same', strides: 2}),
       tfl.layers.conv2d({filters: 5, kernelSize: 3, padding: 'same', strides: 2}), [null!, 9, 8, 3]],
      [tfi.layers.integralConv2d({filters: 4, kernelSize: [3, 2], dilationRate: 2}),
       tfl.layers.conv2d({filters: 4, kernelSize: [3, 2], dilationRate: 2}), [null!, 9, 8, 3]],
    ];
    for (const [integral, stock, shape] of pairs) {
      const input = tfl.input({shape: shape.slice(1)});
      const [a, b] = [integral, stock].map(l => tfl.model({inputs: input, outputs: l.apply(input) as tfl.SymbolicTensor}));
      expect(a.outputs[0].shape).toEqual(b.outputs[0].shape);
      a.dispose();
      b.dispose();
    }
    const model = tfl.sequential({layers: [tfi.layers.integralDense({units: 4, inputShape: [3], name: 'summarized'})]});
    const lines: string[] = [];
    model.summary(undefined, undefined, line => lines.push(line));
    expect(lines.join('\n')).toMatch(/summarized \(IntegralDense\)\s+\[\[null,3\]\]\s+\[null,4\]\s+16/);
    model.dispose();
  });

  it('IntegralDense computes activation(x · W + b) with W and b sampled from its weights', async () => {
    const layer = tfi.layers.integralDense({units: 4, activation: 'tanh', inControlSize: 7, outControlSize: 6});
    const x = randomRef([3, 5], 1), controls = randomRef([7, 6], 2), bias = randomRef([6], 3);
    const xt = toTensor(x);
    tf.dispose(layer.apply(xt) as tf.Tensor);  // builds
    const weights = [toTensor(controls), toTensor(bias)];
    layer.setWeights(weights);
    const y = addRefBias(refMatMul(x, refWeight(controls, {inSize: 5, outSize: 4})), bias, 4);
    expectClose(await readAndDispose(layer.apply(xt) as tf.Tensor), y.values.map(Math.tanh));
    tf.dispose([xt, ...weights]);
    layer.dispose();
  });

  it('IntegralConv2D computes conv2d(x, W) + b with W and b sampled from its weights', async () => {
    const layer = tfi.layers.integralConv2d({filters: 3, kernelSize: 3, padding: 'same', strides: 2, outControlSize: 5,
                                             quadrature: 'simpson', cubicA: -0.75});
    const x = randomRef([2, 6, 6, 4], 4), controls = randomRef([3, 3, 4, 5], 5), bias = randomRef([5], 6);
    const xt = toTensor(x);
    tf.dispose(layer.apply(xt) as tf.Tensor);
    const weights = [toTensor(controls), toTensor(bias)];
    layer.setWeights(weights);
    const w = refWeight(controls, {inSize: 4, outSize: 3, quadrature: 'simpson', cubicA: -0.75});
    const y = addRefBias(refConv2d(x, w, [2, 2], 'same', [1, 1]), bias, 3);
    expectClose(await readAndDispose(layer.apply(xt) as tf.Tensor), y.values);
    tf.dispose([xt, ...weights]);
    layer.dispose();
  });

  it('start from the stock initializer draw: same predictions as the stock layers with the same seeds', async () => {
    const make = (integral: boolean) => tfl.sequential({layers: [
      (integral ? tfi.layers.integralConv2d : tfl.layers.conv2d)({filters: 5, kernelSize: 3, activation: 'relu',
          inputShape: [6, 6, 3], kernelInitializer: tfl.initializers.heNormal({seed: 7})}),
      tfl.layers.flatten(),
      (integral ? tfi.layers.integralDense : tfl.layers.dense)({units: 4, kernelInitializer: tfl.initializers.glorotNormal({seed: 8})}),
    ]});
    const [stock, integral] = [make(false), make(true)];
    const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 9);
    expectClose(await readAndDispose(integral.predict(x) as tf.Tensor), await readAndDispose(stock.predict(x) as tf.Tensor));
    // The controls differ from the draw only at the two end input channels (trapezoid: doubled).
    const [controls, drawn] = [integral.layers[2].getWeights()[0], stock.layers[2].getWeights()[0]];
    const ratio = await readAndDispose(tf.tidy(() => tf.div(tf.sum(tf.abs(controls), 1), tf.sum(tf.abs(drawn), 1))));
    expect([ratio[0], ratio[1], ratio[ratio.length - 2], ratio[ratio.length - 1]].map(r => +r.toFixed(4))).toEqual([2, 1, 1, 2]);
    tf.dispose(x);
    stock.dispose();
    integral.dispose();
  });

  it('Conv1D, Conv2DTranspose and Embedding twins start from the stock draw, with the stock output shapes', async () => {
    const cases: Array<[(integral: boolean) => tfl.layers.Layer, tf.Tensor]> = [
      [i => (i ? tfi.layers.integralConv1d : tfl.layers.conv1d)({filters: 5, kernelSize: 3, padding: 'same', strides: 2,
                                                                activation: 'tanh', kernelInitializer: tfl.initializers.heNormal({seed: 3})}),
       tf.randomNormal([2, 9, 4], 0, 1, 'float32', 1)],
      [i => (i ? tfi.layers.integralConv1d : tfl.layers.conv1d)({filters: 3, kernelSize: 2, dilationRate: 2,
                                                                kernelInitializer: tfl.initializers.heNormal({seed: 4})}),
       tf.randomNormal([1, 8, 6], 0, 1, 'float32', 2)],
      [i => (i ? tfi.layers.integralConv2dTranspose : tfl.layers.conv2dTranspose)(
           {filters: 4, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: tfl.initializers.glorotNormal({seed: 5}),
            biasInitializer: tfl.initializers.randomNormal({seed: 6})}),
       tf.randomNormal([2, 3, 4, 5], 0, 1, 'float32', 3)],
      [i => (i ? tfi.layers.integralConv2dTranspose : tfl.layers.conv2dTranspose)(
           {filters: 2, kernelSize: [2, 3], strides: [3, 2], kernelInitializer: tfl.initializers.glorotNormal({seed: 7})}),
       tf.randomNormal([1, 3, 3, 4], 0, 1, 'float32', 4)],
      [i => (i ? tfi.layers.integralEmbedding : tfl.layers.embedding)(
           {inputDim: 7, outputDim: 5, embeddingsInitializer: tfl.initializers.randomUniform({seed: 8})}),
       tf.tensor2d([[0, 3, 6], [2, 2, 1]], [2, 3], 'int32')],
    ];
    for (const [make, x] of cases) {
      const [stock, integral] = [make(false), make(true)];
      const input = tfl.input({shape: x.shape.slice(1), dtype: x.dtype});
      expect((integral.apply(input) as tfl.SymbolicTensor).shape).toEqual((stock.apply(input) as tfl.SymbolicTensor).shape);
      const [expected, actual] = [stock.apply(x) as tf.Tensor, integral.apply(x) as tf.Tensor];
      expect(actual.shape).toEqual(expected.shape);
      expectClose(await readAndDispose(actual), await readAndDispose(expected));
      tf.dispose(x);
      stock.dispose();
      integral.dispose();
    }
  });

  it('IntegralConv1D computes a causal conv1d with W sampled from its weights', async () => {
    const layer = tfi.layers.integralConv1d({filters: 3, kernelSize: 3, padding: 'causal', dilationRate: 2,
                                             outControlSize: 5, useBias: false});
    const x = randomRef([2, 7, 4], 14), controls = randomRef([3, 6, 5], 15);
    const xt = toTensor(x);
    tf.tidy(() => {
      layer.apply(tf.zeros([1, 7, 6]));
    });  // built for 6 input channels, applied to 4
    const weights = [toTensor(controls)];
    layer.setWeights(weights);
    const y = refConv1d(x, refWeight(controls, {inSize: 4, outSize: 3}), 1, 'causal', 2);
    expectClose(await readAndDispose(layer.apply(xt) as tf.Tensor), y.values);
    tf.dispose([xt, ...weights]);
    layer.dispose();
  });

  it('integrate an input axis of taps × channels × inner entries per tap and inner entry', async () => {
    // Dense after Flatten of [2 taps, C = 5 channels, 3 inner entries], sampled at 4 channels.
    const layer = tfi.layers.integralDense({units: 2, inTaps: 2, inInner: 3, inControlSize: 5, useBias: false});
    tf.tidy(() => {
      layer.apply(tf.zeros([1, 2 * 4 * 3]));
    });
    const controls = randomRef([2 * 5 * 3, 2], 16);
    const weights = [toTensor(controls)];
    layer.setWeights(weights);
    // Reference: each (tap, inner) slice [5, 2] sampled at 4 input channels on its own.
    const kernel = new Float64Array(2 * 4 * 3 * 2);
    for (let t = 0; t < 2; t++) {
      for (let j = 0; j < 3; j++) {
        const slice = new Float64Array(5 * 2);
        for (let c = 0; c < 5; c++) for (let o = 0; o < 2; o++) slice[c * 2 + o] = controls.values[((t * 5 + c) * 3 + j) * 2 + o];
        const w = refWeight({values: slice, shape: [5, 2]}, {inSize: 4}).values;
        for (let n = 0; n < 4; n++) for (let o = 0; o < 2; o++) kernel[((t * 4 + n) * 3 + j) * 2 + o] = w[n * 2 + o];
      }
    }
    const x = randomRef([3, 24], 17);
    const xt = toTensor(x);
    expectClose(await readAndDispose(layer.apply(xt) as tf.Tensor), refMatMul(x, {values: kernel, shape: [24, 2]}).values);
    const [exported] = layer.stockWeights();
    expectClose(await readAndDispose(exported), kernel);
    tf.dispose([xt, ...weights]);
    layer.dispose();
  });

  it('resize through their config: a new width reads the same controls', async () => {
    const layer = tfi.layers.integralDense({units: 6, name: 'wide'});
    const x = tf.randomNormal([3, 5], 0, 1, 'float32', 1);
    tf.dispose(layer.apply(x) as tf.Tensor);
    const narrow = tfi.layers.IntegralDense.fromConfig(tfi.layers.IntegralDense, {...layer.getConfig(), units: 3,
                                                                                   name: 'narrow'}) as tfi.layers.IntegralDense;
    tf.dispose(narrow.apply(x) as tf.Tensor);
    narrow.setWeights(layer.getWeights());
    const [controls, bias] = layer.getWeights();
    const expected = tf.tidy(() => tf.add(tfi.integralMatMul(x as tf.Tensor2D, controls as tf.Tensor2D, {outSize: 3}),
                                          tf.reshape(tfi.integralWeight(tf.reshape(bias, [1, 6]), {inContinuous: false, outSize: 3}), [3])));
    expect(narrow.getWeights().map(w => w.shape)).toEqual(layer.getWeights().map(w => w.shape));
    expectClose(await readAndDispose(narrow.apply(x) as tf.Tensor), await readAndDispose(expected));
    tf.dispose(x);
    layer.dispose();
    narrow.dispose();
  });

  it('reject what they cannot honour, naming the layer, argument and value', () => {
    expect(() => tfi.layers.integralConv2d({filters: 2, kernelSize: 3, dataFormat: 'channelsFirst', name: 'c1'}))
        .toThrowError(/^Error in IntegralConv2D 'c1': 'dataFormat' must be 'channelsLast', but got 'channelsFirst'/);
    expect(() => tfi.layers.integralDense({units: 2, quadrature: 'gauss' as 'riemann', name: 'd1'}))
        .toThrowError(/^Error in IntegralDense 'd1': 'quadrature' must be one of .*, but got 'gauss'/);
    expect(() => tfi.layers.integralDense({units: 2, outContinuous: false, outControlSize: 3, name: 'd2'}))
        .toThrowError(/^Error in IntegralDense 'd2': 'outControlSize' must be equal to the output width 2/);
    expect(() => tfi.layers.integralDense({units: 2, trainablePositions: true, quadrature: 'simpson', name: 'd3'}))
        .toThrowError(/^Error in IntegralDense 'd3': 'quadrature' must be 'trapezoid' with trainablePositions/);
    expect(() => tfi.layers.integralDense({units: 0})).toThrowError(/units/);
  });
});
