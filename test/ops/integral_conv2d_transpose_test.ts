/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import * as tfi from '../../src/index';
import {describeWithBackends} from '../describe_with_backends';
import {refConv2dTranspose, RefOptions, refTransposedWeight} from '../reference';
import {expectClose, randomRef, readAndDispose, toTensor, unevenPositions} from '../test_util';
import {toOptions} from './integral_weight_test';

interface TransposeCase {
  name: string;
  x: [number, number, number, number];
  /** `[kh, kw, C_out, C_in]`. */
  controls: [number, number, number, number];
  strides: [number, number];
  pad: 'valid'|'same';
  options: RefOptions;
}

const CASES: TransposeCase[] = [
  {name: 'same, strides 2, n < C', x: [2, 4, 4, 5], controls: [3, 3, 6, 7], strides: [2, 2], pad: 'same', options: {outSize: 4}},
  {name: 'valid, strides 1, n = C', x: [1, 4, 5, 4], controls: [2, 3, 3, 4], strides: [1, 1], pad: 'valid', options: {}},
  {name: 'valid, strides [2, 3] > kernel', x: [1, 3, 3, 3], controls: [2, 2, 4, 5], strides: [2, 3], pad: 'valid',
   options: {outSize: 6}},
  {name: 'same, n > C, cubicA -0.75', x: [2, 3, 3, 8], controls: [3, 3, 4, 5], strides: [1, 1], pad: 'same',
   options: {cubicA: -0.75}},
  {name: 'positions', x: [1, 3, 3, 4], controls: [3, 3, 5, 6], strides: [2, 2], pad: 'same',
   options: {inPositions: unevenPositions(4, 3), outPositions: unevenPositions(3, 4)}},
];

describeWithBackends('integralConv2dTranspose', () => {
  for (const c of CASES) {
    it(`matches the reference: ${c.name}`, async () => {
      const controls = randomRef(c.controls, c.x[3] * 11 + c.controls[2]);
      const x = randomRef(c.x, c.x[1] * 3 + 2);
      const w = refTransposedWeight(controls, {...c.options, inSize: c.x[3]});
      const expected = refConv2dTranspose(x, w, c.strides, c.pad);
      const options = toOptions(c.options);
      const [xt, ct] = [toTensor(x) as tf.Tensor4D, toTensor(controls) as tf.Tensor4D];
      const y = tfi.integralConv2dTranspose(xt, ct, {...options, strides: c.strides, pad: c.pad});
      expect(y.shape).toEqual(expected.shape as [number, number, number, number]);
      expectClose(await readAndDispose(y), expected.values);
      tf.dispose([xt, ct, options.inPositions!, options.outPositions!].filter(t => t != null));
    });
  }

  it('rejects bad arguments naming integralConv2dTranspose', () => {
    const x = tf.zeros([1, 3, 3, 4]) as tf.Tensor4D, c = tf.zeros([3, 3, 5, 6]) as tf.Tensor4D;
    expect(() => tfi.integralConv2dTranspose(x, c, {pad: 2 as unknown as 'same'}))
        .toThrowError(/integralConv2dTranspose: 'pad' must be 'valid' or 'same', but got 2/);
    expect(() => tfi.integralConv2dTranspose(x, c, {pad: 'same', strides: [1, 0]}))
        .toThrowError(/integralConv2dTranspose: 'strides' must be/);
    tf.dispose([x, c]);
  });
});
