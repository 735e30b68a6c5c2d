/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import * as tfi from '../../src/index';
import {describeWithBackends} from '../describe_with_backends';
import {refConv1d, RefOptions, refWeight} from '../reference';
import {expectClose, randomRef, readAndDispose, toTensor, unevenPositions} from '../test_util';
import {toOptions} from './integral_weight_test';

interface Conv1DCase {
  name: string;
  x: [number, number, number];
  controls: [number, number, number];
  stride?: number;
  pad: 'valid'|'same'|'causal'|number;
  dilation?: number;
  options: RefOptions;
}

const CASES: Conv1DCase[] = [
  {name: 'causal, n < C', x: [2, 9, 4], controls: [3, 7, 6], pad: 'causal', options: {outSize: 5}},
  {name: 'causal, dilation 2, n = C', x: [1, 10, 5], controls: [3, 5, 4], pad: 'causal', dilation: 2, options: {}},
  {name: 'same, stride 2, n > C', x: [2, 9, 6], controls: [4, 4, 5], pad: 'same', stride: 2, options: {outSize: 7}},
  {name: 'valid, simpson', x: [3, 8, 5], controls: [2, 8, 4], pad: 'valid', options: {quadrature: 'simpson'}},
  {name: 'explicit padding 2', x: [1, 6, 3], controls: [3, 5, 4], pad: 2, options: {outSize: 3}},
  {name: 'discrete input, positions out', x: [2, 7, 3], controls: [3, 3, 6], pad: 'same',
   options: {inContinuous: false, outPositions: unevenPositions(4, 8)}},
];

describeWithBackends('integralConv1d', () => {
  for (const c of CASES) {
    it(`matches the reference: ${c.name}`, async () => {
      const stride = c.stride ?? 1, dilation = c.dilation ?? 1;
      const controls = randomRef(c.controls, c.x[2] * 7 + c.controls[0]);
      const x = randomRef(c.x, c.x[1] * 5 + 1);
      const expected = refConv1d(x, refWeight(controls, {...c.options, inSize: c.x[2]}), stride, c.pad, dilation);
      const options = toOptions(c.options);
      const [xt, ct] = [toTensor(x) as tf.Tensor3D, toTensor(controls) as tf.Tensor3D];
      const y = tfi.integralConv1d(xt, ct, {...options, stride, pad: c.pad, dilation});
      expect(y.shape).toEqual(expected.shape as [number, number, number]);
      expectClose(await readAndDispose(y), expected.values);
      tf.dispose([xt, ct, options.outPositions!].filter(t => t != null));
    });
  }

  it('accepts a rank-2 input and rejects bad arguments naming integralConv1d', async () => {
    const x = tf.randomNormal([6, 4], 0, 1, 'float32', 3) as tf.Tensor2D;
    const c = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 4) as tf.Tensor3D;
    const y = tfi.integralConv1d(x, c, {pad: 'causal', outSize: 3});
    expect(y.shape).toEqual([6, 3]);
    const batched = tf.tidy(() => tf.squeeze(tfi.integralConv1d(tf.expandDims(x, 0) as tf.Tensor3D, c,
                                                                {pad: 'causal', outSize: 3}), [0]));
    expectClose(await readAndDispose(y), await readAndDispose(batched));
    expect(() => tfi.integralConv1d(x, c, {pad: 'full' as 'same'})).toThrowError(/integralConv1d: 'pad' must be/);
    expect(() => tfi.integralConv1d(x, c, {pad: 'same', stride: 0})).toThrowError(/integralConv1d: 'stride' must be/);
    const flat = tf.zeros([3, 5]) as unknown as tf.Tensor3D;
    expect(() => tfi.integralConv1d(x, flat, {pad: 'same'})).toThrowError(/integralConv1d: 'controls' must be of rank 3/);
    tf.dispose([x, c, flat]);
  });
});
