/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {assertArg, isPositiveInteger} from '../util/errors';
import {integralConv2d} from './integral_conv2d';
import {checkTensor, IntegralOptions} from './sampling';

/** Convolution options of {@link integralConv1d}, as `tf.conv1d` takes them (NWC), plus `'causal'` padding. */
export interface IntegralConv1DOptions extends IntegralOptions {
  /** Stride (default 1). */
  stride?: number;
  /** `'valid'`, `'same'`, `'causal'` (zeros on the left only, as Keras's Conv1D) or an explicit symmetric padding. */
  pad: 'valid'|'same'|'causal'|number;
  /** Dilation rate (default 1); not together with a stride > 1. */
  dilation?: number;
}

/** The implementation of {@link integralConv1d}. */
function integralConv1d_<T extends tf.Tensor2D|tf.Tensor3D>(
    x: T, controls: tf.Tensor3D, options: IntegralConv1DOptions): T {
  const op = 'integralConv1d';
  assertArg(x instanceof tf.Tensor && (x.rank === 2 || x.rank === 3), op, 'x', 'a Tensor of rank 2 or 3', x);
  checkTensor(op, 'controls', controls, 3);
  assertArg(options != null && typeof options === 'object', op, 'options', 'an object', options);
  const {stride = 1, dilation = 1, pad, ...sampling} = options;
  assertArg(isPositiveInteger(stride), op, 'stride', 'a positive integer', stride);
  assertArg(isPositiveInteger(dilation), op, 'dilation', 'a positive integer', dilation);
  assertArg(pad === 'valid' || pad === 'same' || pad === 'causal' || (Number.isInteger(pad) && pad >= 0), op, 'pad',
            `'valid', 'same', 'causal' or a non-negative integer`, pad);
  const x3 = (x.rank === 2 ? tf.expandDims(x, 0) : x) as tf.Tensor3D;
  checkTensor(op, 'x', x3, 3);
  // Height 1: only the width is padded, so 'causal' and explicit paddings become zeros on the width, then 'valid'.
  const k = controls.shape[0];
  const [left, right] = pad === 'causal' ? [(k - 1) * dilation, 0] : typeof pad === 'number' ? [pad, pad] : [0, 0];
  const padded = left + right > 0 ? tf.pad(x3, [[0, 0], [left, right], [0, 0]]) : x3;
  const y = integralConv2d(tf.expandDims(padded, 1) as tf.Tensor4D, tf.expandDims(controls, 0) as tf.Tensor4D, {
    ...sampling,
    strides: [1, stride],
    dilations: [1, dilation],
    pad: pad === 'same' ? 'same' : 'valid',
  });
  const out = tf.squeeze(y, [1]);
  return (x.rank === 2 ? tf.squeeze(out, [0]) : out) as T;
}

/**
 * `tf.conv1d(x, W, stride, pad, 'NWC', dilation)` where `W = integralWeight(controls, ...)` is sampled at the
 * input's channel count: the integral 2-D convolution on a map of height 1 (the same kernel and gradients).
 *
 * ```js
 * const x = tf.randomNormal([2, 50, 16]);
 * const y = tfi.integralConv1d(x, tf.randomNormal([5, 24, 32]), {outSize: 20, pad: 'causal'});  // [2, 50, 20]
 * ```
 *
 * @param x Input `[batch, width, n_in]` (or `[width, n_in]`), float32.
 * @param controls Control grid `[k, C_in, C_out]`, float32.
 * @param options Sampling options plus `stride`, `pad`, `dilation`.
 * @returns `[batch, width', n_out]` (rank 2 for a rank-2 input); differentiable in `x`, `controls` and positions.
 */
export const integralConv1d = /* @__PURE__ */ tf.op({integralConv1d_});
