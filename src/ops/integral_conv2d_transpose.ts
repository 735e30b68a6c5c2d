/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {assertArg} from '../util/errors';
import {integralWeight} from './integral_weight';
import {checkPair, checkTensor, IntegralOptions} from './sampling';

/** Options of {@link integralConv2dTranspose}, as `tf.conv2dTranspose` takes them (NHWC). */
export interface IntegralConv2DTransposeOptions extends IntegralOptions {
  /** Strides `[sh, sw]` or one number for both (default 1). */
  strides?: number|[number, number];
  /** `'valid'` or `'same'`: the output is `h·s + max(kh - s, 0)` or `h·s` high (likewise wide), as Keras computes it. */
  pad: 'valid'|'same';
}

/** The implementation of {@link integralConv2dTranspose}. */
function integralConv2dTranspose_<T extends tf.Tensor3D|tf.Tensor4D>(
    x: T, controls: tf.Tensor4D, options: IntegralConv2DTransposeOptions): T {
  const op = 'integralConv2dTranspose';
  assertArg(x instanceof tf.Tensor && (x.rank === 3 || x.rank === 4), op, 'x', 'a Tensor of rank 3 or 4', x);
  const x4 = (x.rank === 3 ? tf.expandDims(x, 0) : x) as tf.Tensor4D;
  checkTensor(op, 'x', x4, 4);
  checkTensor(op, 'controls', controls, 4);
  assertArg(options != null && typeof options === 'object', op, 'options', 'an object', options);
  const {strides = 1, pad, ...sampling} = options;
  const s = checkPair(op, 'strides', strides);
  assertArg(pad === 'valid' || pad === 'same', op, 'pad', `'valid' or 'same'`, pad);
  const [kh, kw] = controls.shape;
  const w = tf.transpose(integralWeight(tf.transpose(controls, [0, 1, 3, 2]), {...sampling, inSize: x4.shape[3]}),
                         [0, 1, 3, 2]) as tf.Tensor4D;
  const [b, h, wd] = x4.shape;
  const length = (len: number, k: number, stride: number) => len * stride + (pad === 'same' ? 0 : Math.max(k - stride, 0));
  const outShape: [number, number, number, number] = [b, length(h, kh, s[0]), length(wd, kw, s[1]), w.shape[2]];
  const y = tf.conv2dTranspose(x4, w, outShape, s, pad);
  return (x.rank === 3 ? tf.squeeze(y, [0]) : y) as T;
}

/**
 * `tf.conv2dTranspose(x, W, outputShape, strides, pad)` where the filter `W [kh, kw, n_out, n_in]` is sampled from
 * `controls [kh, kw, C_out, C_in]` (tfjs's transposed-convolution layout: the *last* axis is integrated, at the
 * input's channel count). Two stages, not one fused kernel: `integralWeight` on the controls with their channel axes
 * swapped, then tfjs's own `conv2dTranspose`; gradients flow through both.
 *
 * ```js
 * const x = tf.randomNormal([2, 8, 8, 24]);
 * const y = tfi.integralConv2dTranspose(x, tf.randomNormal([3, 3, 16, 32]), {outSize: 12, strides: 2, pad: 'same'});
 * // [2, 16, 16, 12]
 * ```
 *
 * @param x Input `[batch, h, w, n_in]` (or `[h, w, n_in]`), float32.
 * @param controls Control grid `[kh, kw, C_out, C_in]`, float32.
 * @param options Sampling options plus `strides` and `pad`.
 * @returns `[batch, h', w', n_out]`; differentiable in `x`, `controls` and positions.
 */
export const integralConv2dTranspose = /* @__PURE__ */ tf.op({integralConv2dTranspose_});
