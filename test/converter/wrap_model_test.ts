/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import * as tfi from '../../src/index';
import {describeWithBackends, testBackends} from '../describe_with_backends';
import {memoryRoundTrip} from '../layers/layer_test_util';
import {warmUpLayers} from '../layers/layers_test';
import {disposeModel} from '../../src/converter/topology';
import {expectClose, readAndDispose} from '../test_util';
import {concatNet, integralCnn, invertedResidualNet, layerZoo, nestedMlp, residualCnn, sequentialCnn} from './models';

const MODELS: Array<[string, () => tfl.LayersModel, number[]]> = [
  ['Sequential CNN with BatchNormalization', sequentialCnn, [3, 8, 8, 3]],
  ['residual block with a Flatten → Dense head', residualCnn, [2, 6, 6, 2]],
  ['shared Dense and a nested Sequential', nestedMlp, [4, 5]],
  ['inverted residual blocks with depthwise, PReLU and unfolded BatchNormalization', invertedResidualNet, [2, 8, 8, 3]],
  ['nested concatenations (DenseNet-style)', concatNet, [2, 6, 6, 3]],
  ['padding, cropping, gates, merges, up-sampling, reshapes and softmax over channels', layerZoo, [2, 8, 8, 3]],
  ['a model built from integral layers', integralCnn, [2, 8, 8, 3]],
];

async function predictions(model: {predict: (x: tf.Tensor) => tf.Tensor|tf.Tensor[]}, x: tf.Tensor) {
  return readAndDispose(model.predict(x) as tf.Tensor);
}

/** Classes of every layer, nested models included. */
function classes(model: tfl.LayersModel): string[] {
  return model.layers.flatMap(l => (l as unknown as tfl.LayersModel).layers != null ?
                                  classes(l as unknown as tfl.LayersModel) : [l.getClassName()]);
}

describeWithBackends('wrapModel', () => {
  beforeAll(warmUpLayers);

  for (const [name, make, shape] of MODELS) {
    for (const permute of [false, true]) {
      it(`converts exactly (${name}, permute: ${permute})`, async () => {
        const model = make();
        const x = tf.randomNormal(shape, 0, 1, 'float32', 3);
        const expected = await predictions(model, x);
        const inn = await tfi.wrapModel(model, {permute});
        expectClose(await predictions(inn, x), expected);
        expectClose(await predictions(model, x), expected, 0);  // the original is untouched
        expect(classes(inn.model)).not.toContain('Dense');
        expect(classes(inn.model)).not.toContain('Conv2D');
        expect(inn.groups.filter(g => g.continuous).length).toBeGreaterThan(0);
        tf.dispose(x);
        disposeModel(model);
        inn.dispose();
      });
    }
  }

  it('reports groups: discrete network input and output, continuous hidden groups, a residual stream as one', async () => {
    const model = residualCnn();
    const inn = await tfi.wrapModel(model, {permute: false});
    const byName = Object.fromEntries(inn.groups.map(g => [g.name, g]));
    const [input, stem, inner, head] = [model.layers[0].name, model.layers[1].name, model.layers[2].name,
                                        model.layers[model.layers.length - 1].name];
    expect(byName[input]).toEqual(jasmine.objectContaining({continuous: false, reason: 'network input', size: 2}));
    expect(byName[head]).toEqual(jasmine.objectContaining({continuous: false, reason: 'network output', size: 3}));
    expect(byName[stem].continuous).toBe(true);
    expect(byName[stem].layers).toContain(model.layers.find(l => l.getClassName() === 'Add')!.name);
    expect(byName[inner]).toEqual(jasmine.objectContaining({continuous: true, size: 6, originalSize: 6}));
    model.dispose();
    inn.dispose();
  });

  it('keeps groups touched by an unsupported layer discrete, or throws with strict', async () => {
    const input = tfl.input({shape: [4]});
    const a = tfl.layers.dense({units: 6, name: 'left'}).apply(input) as tfl.SymbolicTensor;
    const dot = tfl.layers.dot({axes: 1, name: 'similarity'}).apply([a, a]) as tfl.SymbolicTensor;
    const model = tfl.model({inputs: input, outputs: tfl.layers.dense({units: 2}).apply(dot) as tfl.SymbolicTensor});
    const x = tf.randomNormal([3, 4], 0, 1, 'float32', 1);
    const inn = await tfi.wrapModel(model);
    expect(inn.groups.find(g => g.name === 'left')).toEqual(jasmine.objectContaining(
        {continuous: false, reason: `layer 'similarity' (Dot) is not supported`}));
    expectClose(await predictions(inn, x), await predictions(model, x));
    await expectAsync(tfi.wrapModel(model, {strict: true})).toBeRejectedWithError(/layer 'similarity' \(Dot\)/);
    tf.dispose(x);
    model.dispose();
    inn.dispose();
  });

  it('resamples to new widths without touching the original, and rejects bad specs', async () => {
    const model = sequentialCnn();
    const inn = await tfi.wrapModel(model);
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 4);
    const before = await predictions(inn, x);
    const half = inn.resample(0.5);
    expect(half.groups.filter(g => g.continuous).map(g => [g.size, g.originalSize])).toEqual([[4, 8], [6, 12], [5, 10]]);
    expect((await readAndDispose(half.predict(x) as tf.Tensor)).length).toBe(2 * 4);
    expect(half.model.countParams()).toBe(inn.model.countParams());  // the same controls
    expectClose(await predictions(inn, x), before, 0);
    const named = inn.resample({[inn.groups[1].name]: 3});
    expect(named.groups[1].size).toBe(3);
    for (const bad of [0, -1, NaN]) expect(() => inn.resample(bad)).toThrowError(/IntegralModel.resample: 'spec'/);
    expect(() => inn.resample({nope: 3})).toThrowError(/'spec.nope' must be a group name/);
    expect(() => inn.resample({[inn.groups[0].name]: 2})).toThrowError(/discrete: network input/);
    tf.dispose(x);
    model.dispose(); inn.dispose(); half.dispose(); named.dispose();
  });

  it('exports stock layers only, predicting what the IntegralModel predicts at that width', async () => {
    for (const make of [sequentialCnn, residualCnn, invertedResidualNet, concatNet, layerZoo, integralCnn]) {
      const model = make();
      const full = await tfi.wrapModel(model);
      const inn = full.resample(0.6);
      const plain = inn.toLayersModel();
      expect(classes(plain).filter(c => c.startsWith('Integral'))).toEqual([]);
      const x = tf.randomNormal([2, ...model.inputs[0].shape.slice(1) as number[]], 0, 1, 'float32', 5);
      expectClose(await predictions(plain, x), await predictions(inn, x));
      const back = await memoryRoundTrip(plain);
      expectClose(await predictions(back, x), await predictions(plain, x), 0);
      tf.dispose(x);
      model.dispose(); full.dispose(); inn.dispose(); plain.dispose(); back.dispose();
    }
  });

  it('resamples concatenated groups through their segments', async () => {
    const model = concatNet();
    const inn = await tfi.wrapModel(model);
    const parents = inn.groups.filter(g => g.segments != null);
    expect(parents.map(g => g.segments!.length)).toEqual([2, 3]);
    const half = inn.resample(0.5);
    expect(half.groups.filter(g => g.segments != null).map(g => g.size)).toEqual([3 + 2, 3 + 2 + 2]);
    const plain = half.toLayersModel();
    const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 7);
    expectClose(await predictions(plain, x), await predictions(half, x));
    tf.dispose(x);
    disposeModel(model); inn.dispose(); half.dispose(); disposeModel(plain);
  });

  it('resamples a model with a nested Sequential (its declared input shape follows)', async () => {
    const model = nestedMlp();
    const inn = await tfi.wrapModel(model);
    const small = inn.resample({shared: 4, inner1: 3});
    const x = tf.randomNormal([3, 5], 0, 1, 'float32', 6);
    const plain = small.toLayersModel();
    expectClose(await predictions(plain, x), await predictions(small, x));
    tf.dispose(x);
    disposeModel(model); inn.dispose(); small.dispose(); disposeModel(plain);
  });
}, testBackends().filter(b => b !== 'composite'));
