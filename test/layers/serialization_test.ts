/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import * as tfi from '../../src/index';
import {describeWithBackends} from '../describe_with_backends';
import {inEngineScope, readAndDispose} from '../test_util';
import {memoryRoundTrip} from './layer_test_util';
import {warmUpLayers} from './layers_test';

const isNode = typeof process !== 'undefined' && process.versions?.node != null;

/** A model using every integral option that must survive a save/load. */
function optionRichModel() {
  return tfl.sequential({layers: [
    tfi.layers.integralConv2d({filters: 5, kernelSize: [3, 2], strides: 2, padding: 'same', inputShape: [7, 7, 3],
                               inContinuous: false, activation: 'relu', kernelRegularizer: tfl.regularizers.l2({l2: 1e-3}), cubicA: -0.75,
                               biasInitializer: 'glorotNormal', name: 'conv_in'}),
    tfi.layers.integralConv2d({filters: 4, kernelSize: 3, dilationRate: 2, padding: 'same', quadrature: 'simpson',
                               outControlSize: 6, name: 'conv_mid'}),
    tfl.layers.flatten(),
    tfi.layers.integralDense({units: 6, activation: 'tanh', trainablePositions: true, inControlSize: 40,
                              quadrature: 'trapezoid', name: 'dense_positions'}),
    tfi.layers.integralDense({units: 3, outContinuous: false, quadrature: 'riemann', useBias: false, name: 'logits'}),
  ]});
}

async function expectSamePredictions(a: tfl.LayersModel, b: tfl.LayersModel, x: tf.Tensor) {
  const [ya, yb] = [a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor];
  expect(Array.from(await readAndDispose(yb))).toEqual(Array.from(await readAndDispose(ya)));
}

describeWithBackends('integral layers serialization', backend => {
  let model: tfl.LayersModel, x: tf.Tensor;
  beforeAll(async () => {
    warmUpLayers();
    model = optionRichModel();
    // Move the trainable positions away from uniform so that a lost weight would show.
    const layer = model.getLayer('dense_positions');
    const weights = layer.getWeights();
    const moved = tf.tidy(() => weights.map((w, i) => i >= 2 ? tf.randomNormal(w.shape, 0, 0.3, 'float32', i) : w.clone()));
    layer.setWeights(moved);
    tf.dispose(moved);
    x = tf.randomNormal([2, 7, 7, 3], 0, 1, 'float32', 3);
    // The model keeps its sampled weights from its first prediction on (the specs count tensors after that).
    tf.dispose(model.predict(x));
  });
  afterAll(() => {
    model.dispose();
    x.dispose();
  });

  it('round trips through memory with identical predictions and configs', async () => {
    const back = await memoryRoundTrip(model);
    await expectSamePredictions(model, back, x);
    expect(back.layers.map(l => l.getConfig())).toEqual(model.layers.map(l => l.getConfig()));
    expect(back.layers.map(l => l.getClassName())).toEqual(
        ['IntegralConv2D', 'IntegralConv2D', 'Flatten', 'IntegralDense', 'IntegralDense']);
    back.dispose();
  });

  it('keep constraints in their config (tfjs re-applies them to loaded weights, as for stock layers)', () => inEngineScope(async () => {
    const small = tfl.sequential({layers: [tfi.layers.integralDense({units: 2, inputShape: [3], kernelConstraint: 'maxNorm',
                                                                      biasConstraint: 'nonNeg'})]});
    const back = await memoryRoundTrip(small);
    expect(back.layers[0].getConfig()).toEqual(small.layers[0].getConfig());
    expect(JSON.stringify(back.layers[0].getConfig())).toContain('MaxNorm');
    small.dispose();
    back.dispose();
  }));

  it('round trips through file:// in Node without tfjs-node', async () => {
    if (!isNode) pending('file:// is a Node handler');
    const {mkdtempSync} = await import('node:fs');
    const {tmpdir} = await import('node:os');
    const dir = `${mkdtempSync(`${tmpdir()}/tfjs-integral-`)}/model`;
    await model.save(`file://${dir}`);
    const back = await tfl.loadLayersModel(`file://${dir}/model.json`);
    await expectSamePredictions(model, back, x);
    back.dispose();
  });

  it('round trips through the browser\'s localstorage://', async () => {
    if (isNode) pending('localstorage:// is a browser handler');
    await model.save(`localstorage://tfjs-integral-${backend}`);
    const back = await tfl.loadLayersModel(`localstorage://tfjs-integral-${backend}`);
    await expectSamePredictions(model, back, x);
    back.dispose();
  });

  it('fails to load with a clear error when the integral classes are not registered', async () => {
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    const saved = map.IntegralDense;
    delete map.IntegralDense;
    // The integral layer comes first: tfjs leaves the weights of layers built before a failing one behind.
    const small = tfl.sequential({layers: [tfi.layers.integralDense({units: 2, inputShape: [3]})]});
    try {
      await expectAsync(memoryRoundTrip(small)).toBeRejectedWithError(/Unknown layer: IntegralDense/);
    } finally {
      small.dispose();
      map.IntegralDense = saved;
    }
  });
});
