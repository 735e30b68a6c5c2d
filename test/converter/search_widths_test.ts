/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {costOf} from '../../src/model/search_widths';
import {disposeModel} from '../../src/converter/topology';
import * as tfi from '../../src/index';
import {describeWithBackends, flowBackends} from '../describe_with_backends';
import {warmUpLayers} from '../layers/layers_test';
import {readAndDispose} from '../test_util';

function mlp() {
  const init = (seed: number) => tfl.initializers.glorotNormal({seed});
  return tfl.sequential({layers: [
    tfl.layers.dense({units: 16, activation: 'relu', inputShape: [6], kernelInitializer: init(1), name: 'wide'}),
    tfl.layers.dense({units: 12, activation: 'relu', kernelInitializer: init(2), name: 'narrow'}),
    tfl.layers.dense({units: 4, kernelInitializer: init(3), name: 'logits'}),
  ]});
}

/** Parameters of the MLP with hidden widths `a`, `b` (6 inputs, 4 outputs, biases). */
const mlpParams = (a: number, b: number) => 6 * a + a + a * b + b + b * 4 + 4;

describeWithBackends('searchWidths', () => {
  let model: tfl.LayersModel, inn: tfi.IntegralModel, x: tf.Tensor;
  beforeAll(async () => {
    warmUpLayers();
    model = mlp();
    inn = await tfi.wrapModel(model, {permute: false});
    x = tf.randomNormal([64, 6], 0, 1, 'float32', 7);
    tf.dispose(inn.predict(x));  // inn keeps its sampled weights from its first prediction on
  });
  afterAll(() => {
    x.dispose();
    inn.dispose();
    disposeModel(model);
  });

  it('meets a parameter budget with per-group widths, calibrated, scored against the starting model', async () => {
    const result = await tfi.searchWidths(inn, {budget: {params: 0.5}, calibration: x, searchSamples: 32});
    const {wide, narrow} = result.widths;
    expect(result.cost.startParams).toBe(mlpParams(16, 12));
    expect(result.cost.params).toBe(mlpParams(wide, narrow));
    expect(result.cost.params).toBeLessThanOrEqual(0.5 * result.cost.startParams);
    expect(costOf(result.model).params).toBe(result.cost.params);
    expect(result.model.groups.filter(g => g.continuous).map(g => g.size)).toEqual([wide, narrow]);
    // The score is the agreement of the result's top-1 outputs with the starting model's, on all of x.
    const agree = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(result.model.predict(x) as tf.Tensor, -1),
                                                         tf.argMax(inn.predict(x) as tf.Tensor, -1)), 'float32')));
    expect(result.score).toBeCloseTo((await readAndDispose(agree))[0], 6);
    expect(inn.groups.filter(g => g.continuous).map(g => g.size)).toEqual([16, 12]);  // the input is unchanged
    result.model.dispose();
  });

  it('meets a FLOP budget, scores by accuracy with labels, and changes nothing when the budget is the whole', async () => {
    const labels = tf.tidy(() => tf.argMax(inn.predict(x) as tf.Tensor, -1));
    const result = await tfi.searchWidths(inn, {budget: {flops: 0.4}, calibration: x, labels, searchSamples: 32});
    expect(result.cost.flops).toBeLessThanOrEqual(0.4 * result.cost.startFlops);
    expect(result.cost.startFlops).toBe(6 * 16 + 16 * 12 + 12 * 4);
    const accuracy = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(result.model.predict(x) as tf.Tensor, -1),
                                                            labels), 'float32')));
    expect(result.score).toBeCloseTo((await readAndDispose(accuracy))[0], 6);
    result.model.dispose();
    const whole = await tfi.searchWidths(inn, {budget: {params: 1}, calibration: x, labels});
    expect(Object.values(whole.widths)).toEqual([16, 12]);
    whole.model.dispose();
    labels.dispose();
  });

  it('rejects bad budgets and inputs with errors naming searchWidths', async () => {
    const search = (options: object) => tfi.searchWidths(inn, options as tfi.SearchWidthsOptions);
    await expectAsync(search({calibration: x})).toBeRejectedWithError(/^Error in searchWidths: 'options.budget' /);
    await expectAsync(search({budget: {params: 0}, calibration: x}))
        .toBeRejectedWithError(/'options.budget.params' must be a fraction in \(0, 1\], but got 0/);
    await expectAsync(search({budget: {flops: 2}, calibration: x})).toBeRejectedWithError(/'options.budget.flops'/);
    await expectAsync(search({budget: {params: 0.5}})).toBeRejectedWithError(/'options.calibration'/);
    await expectAsync(search({budget: {params: 1e-4}, calibration: x, searchSamples: 8}))
        .toBeRejectedWithError(/'options.budget.params' must be reachable/);
  });
}, flowBackends());
