/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import * as tfi from '../../src/index';
import {describeWithBackends} from '../describe_with_backends';
import {refMatMul, RefOptions, refWeight} from '../reference';
import {expectClose, randomRef, readAndDispose, toTensor, unevenPositions} from '../test_util';
import {toOptions} from './integral_weight_test';

const CASES: Array<{name: string, batch: number, nIn: number, controls: [number, number], options: RefOptions}> = [
  {name: 'n < C', batch: 3, nIn: 6, controls: [10, 8], options: {outSize: 5}},
  {name: 'n = C', batch: 4, nIn: 7, controls: [7, 5], options: {}},
  {name: 'n > C', batch: 2, nIn: 12, controls: [5, 4], options: {outSize: 9}},
  {name: 'n = 1', batch: 2, nIn: 1, controls: [5, 4], options: {outSize: 1}},
  {name: 'n = 2', batch: 2, nIn: 2, controls: [5, 4], options: {outSize: 2}},
  {name: 'simpson, even n', batch: 3, nIn: 8, controls: [9, 4], options: {quadrature: 'simpson'}},
  {name: 'simpson, odd n', batch: 3, nIn: 7, controls: [9, 4], options: {quadrature: 'simpson'}},
  {name: 'riemann, cubicA -0.75', batch: 3, nIn: 6, controls: [9, 4], options: {quadrature: 'riemann', cubicA: -0.75}},
  {name: 'discrete input (RGB-like)', batch: 5, nIn: 3, controls: [3, 8], options: {inContinuous: false, outSize: 6}},
  {name: 'discrete output (logits)', batch: 5, nIn: 6, controls: [8, 4], options: {outContinuous: false}},
  {name: 'positions', batch: 3, nIn: 6, controls: [9, 7],
   options: {inPositions: unevenPositions(6, 1), outPositions: unevenPositions(5, 2)}},
  {name: 'batch 1', batch: 1, nIn: 5, controls: [9, 7], options: {outSize: 3}},
];

describeWithBackends('integralMatMul', () => {
  for (const c of CASES) {
    it(`matches the reference: ${c.name}`, async () => {
      const controls = randomRef(c.controls, c.nIn * 7 + c.batch);
      const x = randomRef([c.batch, c.nIn], c.nIn + 100);
      const expected = refMatMul(x, refWeight(controls, {...c.options, inSize: c.nIn}));
      const options = toOptions(c.options);
      const [xt, ct] = [toTensor(x), toTensor(controls)];
      const y = tfi.integralMatMul(xt as tf.Tensor2D, ct as tf.Tensor2D, options);
      expect(y.shape).toEqual(expected.shape as [number, number]);
      expectClose(await readAndDispose(y), expected.values);
      tf.dispose([xt, ct, options.inPositions!, options.outPositions!].filter(t => t != null));
    });
  }

  it('follows a variable whose value is assigned between calls (sampled weights are cached per value)', async () => {
    const x = toTensor(randomRef([3, 5], 1)) as tf.Tensor2D;
    const initial = toTensor(randomRef([7, 6], 2));
    const controls = tf.variable(initial);
    const before = await readAndDispose(tfi.integralMatMul(x, controls as tf.Tensor2D, {outSize: 4}));
    const next = randomRef([7, 6], 3);
    const value = toTensor(next);
    controls.assign(value);
    const after = await readAndDispose(tfi.integralMatMul(x, controls as tf.Tensor2D, {outSize: 4}));
    expectClose(after, refMatMul(randomRef([3, 5], 1), refWeight(next, {inSize: 5, outSize: 4})).values);
    expect(Array.from(after)).not.toEqual(Array.from(before));
    tf.dispose([x, initial, controls, value]);
  });

  it('equals tf.matMul with the weight of integralWeight', async () => {
    const x = tf.randomNormal([4, 6], 0, 1, 'float32', 1) as tf.Tensor2D;
    const c = tf.randomNormal([9, 8], 0, 1, 'float32', 2) as tf.Tensor2D;
    const y = tfi.integralMatMul(x, c, {outSize: 5});
    const expected = tf.tidy(() => tf.matMul(x, tfi.integralWeight(c, {inSize: 6, outSize: 5})));
    expectClose(await readAndDispose(y), await readAndDispose(expected));
    tf.dispose([x, c]);
  });
});
