/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import * as tfi from '../../src/index';
import {describeWithBackends} from '../describe_with_backends';
import {refConv2d, RefOptions, refWeight} from '../reference';
import {expectClose, randomRef, readAndDispose, toTensor, unevenPositions} from '../test_util';
import {toOptions} from './integral_weight_test';

interface ConvCase {
  name: string;
  x: [number, number, number, number];
  controls: [number, number, number, number];
  strides?: [number, number];
  pad: 'valid'|'same'|number;
  dilations?: [number, number];
  options: RefOptions;
}

const CASES: ConvCase[] = [
  {name: 'same, n < C', x: [2, 6, 6, 4], controls: [3, 3, 7, 6], pad: 'same', options: {outSize: 5}},
  {name: 'valid, n = C', x: [1, 5, 6, 5], controls: [3, 3, 5, 4], pad: 'valid', options: {}},
  {name: 'n > C, 1x1', x: [3, 4, 4, 9], controls: [1, 1, 5, 4], pad: 'valid', options: {outSize: 7}},
  {name: 'strides [2, 1], same', x: [2, 7, 6, 4], controls: [3, 2, 6, 5], strides: [2, 1], pad: 'same', options: {outSize: 4}},
  {name: 'strides 2, valid', x: [1, 8, 8, 3], controls: [3, 3, 6, 4], strides: [2, 2], pad: 'valid', options: {}},
  {name: 'dilations 2, same', x: [2, 7, 7, 4], controls: [3, 3, 6, 5], dilations: [2, 2], pad: 'same', options: {outSize: 3}},
  {name: 'dilations [1, 2], n = C', x: [1, 6, 7, 4], controls: [2, 3, 4, 3], dilations: [1, 2], pad: 'valid', options: {}},
  {name: 'explicit padding 1', x: [2, 5, 5, 4], controls: [3, 3, 6, 5], pad: 1, options: {outSize: 6}},
  {name: 'discrete input (RGB)', x: [2, 5, 5, 3], controls: [3, 3, 3, 6], pad: 'same', options: {inContinuous: false, outSize: 4}},
  {name: 'simpson, cubicA -0.75', x: [1, 5, 5, 6], controls: [3, 3, 8, 5], pad: 'same', options: {quadrature: 'simpson', cubicA: -0.75}},
  {name: 'positions', x: [1, 5, 5, 5], controls: [3, 3, 8, 6], pad: 'same',
   options: {inPositions: unevenPositions(5, 5), outPositions: unevenPositions(4, 6)}},
  {name: 'batch many, n = 1 in', x: [6, 4, 4, 1], controls: [3, 3, 4, 4], pad: 'same', options: {outSize: 2}},
];

describeWithBackends('integralConv2d', () => {
  for (const c of CASES) {
    it(`matches the reference: ${c.name}`, async () => {
      const strides = c.strides ?? [1, 1], dilations = c.dilations ?? [1, 1];
      const controls = randomRef(c.controls, c.x[3] * 13 + c.controls[2]);
      const x = randomRef(c.x, c.x[1] * 17 + 3);
      const expected = refConv2d(x, refWeight(controls, {...c.options, inSize: c.x[3]}), strides, c.pad, dilations);
      const options = toOptions(c.options);
      const [xt, ct] = [toTensor(x) as tf.Tensor4D, toTensor(controls) as tf.Tensor4D];
      const y = tfi.integralConv2d(xt, ct, {...options, strides, pad: c.pad, dilations});
      expect(y.shape).toEqual(expected.shape as [number, number, number, number]);
      expectClose(await readAndDispose(y), expected.values);
      tf.dispose([xt, ct, options.inPositions!, options.outPositions!].filter(t => t != null));
    });
  }

  it('accepts a rank-3 input', async () => {
    const x = tf.randomNormal([5, 5, 4], 0, 1, 'float32', 3) as tf.Tensor3D;
    const c = tf.randomNormal([3, 3, 6, 5], 0, 1, 'float32', 4) as tf.Tensor4D;
    const y = tfi.integralConv2d(x, c, {pad: 'same', outSize: 3});
    expect(y.shape).toEqual([5, 5, 3]);
    const batched = tf.tidy(() => tf.squeeze(tfi.integralConv2d(tf.expandDims(x, 0) as tf.Tensor4D, c,
                                                                {pad: 'same', outSize: 3}), [0]));
    expectClose(await readAndDispose(y), await readAndDispose(batched));
    tf.dispose([x, c]);
  });
});
