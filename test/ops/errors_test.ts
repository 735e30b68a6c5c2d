/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import * as tfi from '../../src/index';
import {describeWithBackends} from '../describe_with_backends';

type Call = () => unknown;

/** Expects `call` to throw an error naming the op, the argument and the bad value. */
function expectArgError(call: Call, op: string, arg: string, value: string) {
  const pattern = new RegExp(`^Error in ${op}: '${arg}' must be .*, but got ${value.replace(/[[\]().]/g, '\\$&')}`);
  expect(() => tf.tidy(() => {
    call();
  })).toThrowError(pattern);
}

describeWithBackends('argument errors', backend => {
  let c2: tf.Tensor2D, c4: tf.Tensor4D, x2: tf.Tensor2D, x4: tf.Tensor4D, p: tf.Tensor1D;
  beforeAll(() => {
    c2 = tf.zeros([5, 4]);
    c4 = tf.zeros([3, 3, 5, 4]);
    x2 = tf.zeros([2, 5]);
    x4 = tf.zeros([1, 6, 6, 5]);
    p = tf.tensor1d([0, 0.5, 1]);
  });
  afterAll(() => tf.dispose([c2, c4, x2, x4, p]));

  const W = 'integralWeight', M = 'integralMatMul', C = 'integralConv2d';
  const cases: Array<[string, () => Call, string, string, string]> = [
    ['controls of rank 1', () => () => tfi.integralWeight(tf.zeros([3])), W, 'controls', 'a float32 tensor of shape [3]'],
    ['int32 controls', () => () => tfi.integralWeight(tf.zeros([3, 3], 'int32')), W, 'controls', 'a int32 tensor'],
    ['inSize 0', () => () => tfi.integralWeight(c2, {inSize: 0}), W, 'inSize', '0'],
    ['fractional outSize', () => () => tfi.integralWeight(c2, {outSize: 2.5}), W, 'outSize', '2.5'],
    ['NaN outSize', () => () => tfi.integralWeight(c2, {outSize: NaN}), W, 'outSize', 'NaN'],
    ['unknown quadrature', () => () => tfi.integralWeight(c2, {quadrature: 'gauss' as 'simpson'}), W, 'quadrature', `'gauss'`],
    ['NaN cubicA', () => () => tfi.integralWeight(c2, {cubicA: NaN}), W, 'cubicA', 'NaN'],
    ['non-boolean inContinuous', () => () => tfi.integralWeight(c2, {inContinuous: 1 as unknown as boolean}), W, 'inContinuous', '1'],
    ['resized discrete axis', () => () => tfi.integralWeight(c2, {outContinuous: false, outSize: 3}), W, 'outSize', '3'],
    ['positions on a discrete axis', () => () => tfi.integralWeight(c2, {inContinuous: false, inPositions: p}), W, 'inPositions', 'a float32 tensor of shape [3]'],
    ['positions of the wrong length', () => () => tfi.integralWeight(c2, {outSize: 4, outPositions: p}), W, 'outPositions', 'a float32 tensor of shape [3]'],
    ['positions of rank 2', () => () => tfi.integralWeight(c2, {inPositions: tf.zeros([3, 1]) as unknown as tf.Tensor1D}), W, 'inPositions', 'a float32 tensor of shape [3, 1]'],
    ['simpson with positions', () => () => tfi.integralWeight(c2, {quadrature: 'simpson', inPositions: p}), W, 'quadrature', `'simpson'`],
    ['x of rank 3', () => () => tfi.integralMatMul(tf.zeros([1, 2, 5]) as unknown as tf.Tensor2D, c2), M, 'x', 'a float32 tensor of shape [1, 2, 5]'],
    ['controls of rank 4', () => () => tfi.integralMatMul(x2, c4 as unknown as tf.Tensor2D), M, 'controls', 'a float32 tensor of shape [3, 3, 5, 4]'],
    ['inSize other than x', () => () => tfi.integralMatMul(x2, c2, {inSize: 4}), M, 'inSize', '4'],
    ['x not matching a discrete input axis', () => () => tfi.integralMatMul(tf.zeros([2, 3]) as tf.Tensor2D, c2, {inContinuous: false}), M, 'inSize', '3'],
    ['x of rank 2 for a conv', () => () => tfi.integralConv2d(x2 as unknown as tf.Tensor4D, c4, {pad: 'same'}), C, 'x', 'a float32 tensor of shape [2, 5]'],
    ['conv controls of rank 2', () => () => tfi.integralConv2d(x4, c2 as unknown as tf.Tensor4D, {pad: 'same'}), C, 'controls', 'a float32 tensor of shape [5, 4]'],
    ['zero strides', () => () => tfi.integralConv2d(x4, c4, {pad: 'same', strides: 0}), C, 'strides', '0'],
    ['a single dilation in an array', () => () => tfi.integralConv2d(x4, c4, {pad: 'same', dilations: [2] as unknown as [number, number]}), C, 'dilations', '[2]'],
    ['unknown padding', () => () => tfi.integralConv2d(x4, c4, {pad: 'full' as 'same'}), C, 'pad', `'full'`],
    ['strides and dilations > 1', () => () => tfi.integralConv2d(x4, c4, {pad: 'same', strides: 2, dilations: 2}), C, 'dilations', '2'],
    ['an input smaller than the kernel', () => () => tfi.integralConv2d(tf.zeros([1, 2, 6, 5]) as tf.Tensor4D, c4, {pad: 'valid'}), C, 'x', 'a float32 tensor of shape [1, 2, 6, 5]'],
  ];
  for (const [name, make, op, arg, value] of cases) {
    it(`${op} rejects ${name}`, () => expectArgError(make(), op, arg, value));
  }

  it('rejects positions that are not strictly increasing in [0, 1] (read eagerly on host backends)', () => {
    if (!['cpu', 'wasm', 'composite'].includes(backend)) {
      pending(`${backend}: position values live on the GPU and are not read synchronously`);
    }
    for (const values of [[0, 0.5, 0.5], [0.2, 0.1, 0.9], [-0.1, 0.5, 1], [0, 0.5, 1.5]]) {
      expectArgError(() => tfi.integralWeight(c2, {inPositions: tf.tensor1d(values)}), W, 'inPositions',
                     `[${values.join(', ')}]`);
    }
  });
});
