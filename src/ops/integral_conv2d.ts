/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {IntegralConv2D, IntegralConv2DAttrs} from '../kernel_names';
import {assertArg} from '../util/errors';
import {runKernel} from '../util/run_kernel';
import {checkPair, checkTensor, IntegralOptions, prepareSampling} from './sampling';

/** Convolution options of {@link integralConv2d}, as `tf.conv2d` takes them (NHWC). */
export interface IntegralConv2DOptions extends IntegralOptions {
  /** Strides `[sh, sw]` or one number for both (default 1). */
  strides?: number|[number, number];
  /** `'valid'`, `'same'` or an explicit symmetric zero padding. */
  pad: 'valid'|'same'|number;
  /** Dilation rates `[dh, dw]` or one number (default 1); not together with strides > 1. */
  dilations?: number|[number, number];
}

/** The implementation of {@link integralConv2d}. */
function integralConv2d_<T extends tf.Tensor3D|tf.Tensor4D>(
    x: T, controls: tf.Tensor4D, options: IntegralConv2DOptions): T {
  const op = 'integralConv2d';
  assertArg(x instanceof tf.Tensor && (x.rank === 3 || x.rank === 4), op, 'x', 'a Tensor of rank 3 or 4', x);
  const x4 = (x.rank === 3 ? tf.expandDims(x, 0) : x) as tf.Tensor4D;
  checkTensor(op, 'x', x4, 4);
  checkTensor(op, 'controls', controls, 4);
  assertArg(options != null && typeof options === 'object', op, 'options', 'an object', options);
  const strides = checkPair(op, 'strides', options.strides ?? 1);
  const dilations = checkPair(op, 'dilations', options.dilations ?? 1);
  const {pad} = options;
  assertArg(pad === 'valid' || pad === 'same' || (Number.isInteger(pad) && pad >= 0), op, 'pad',
            `'valid', 'same' or a non-negative integer`, pad);
  assertArg(strides.every(v => v === 1) || dilations.every(v => v === 1), op, 'dilations',
            'all 1 when strides > 1', options.dilations);
  const [kh, kw] = controls.shape;
  const fits = (len: number, k: number, d: number) => pad !== 'valid' || len >= (k - 1) * d + 1;
  assertArg(fits(x4.shape[1], kh, dilations[0]) && fits(x4.shape[2], kw, dilations[1]), op, 'x',
            `at least as large as the dilated ${kh}x${kw} kernel for 'valid' padding`, x4);
  const s = prepareSampling(op, controls.shape[2], controls.shape[3], x4.shape[3], options, kh * kw);
  const attrs: IntegralConv2DAttrs = {cubicA: s.cubicA, strides, pad, dilations};
  const [y] = runKernel<[tf.Tensor4D, tf.Tensor4D]>(IntegralConv2D, {
    x: x4,
    controls,
    inCoords: s.inCoords,
    outCoords: s.outCoords,
    quadWeights: s.quadWeights,
  }, attrs);
  return (x.rank === 3 ? tf.squeeze(y, [0]) : y) as T;
}

/**
 * `tf.conv2d(x, W, strides, pad, 'NHWC', dilations)` where `W = integralWeight(controls, ...)` is sampled at the
 * input's channel count. Gradients also support dilations > 1 (which `tf.conv2d`'s own gradient rejects).
 *
 * ```js
 * const x = tf.randomNormal([2, 16, 16, 24]);
 * const y = tfi.integralConv2d(x, tf.randomNormal([3, 3, 32, 32]), {outSize: 20, pad: 'same'});  // [2, 16, 16, 20]
 * ```
 *
 * @param x Input `[batch, h, w, n_in]` (or `[h, w, n_in]`), float32.
 * @param controls Control grid `[kh, kw, C_in, C_out]`, float32.
 * @param options Sampling options plus `strides`, `pad`, `dilations`.
 * @returns `[batch, h', w', n_out]` (rank 3 for a rank-3 input); differentiable in `x`, `controls` and positions.
 */
export const integralConv2d = /* @__PURE__ */ tf.op({integralConv2d_});
