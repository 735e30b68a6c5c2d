/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {IntegralConv2D, IntegralConv2DArgs} from './integral_conv2d';
import {IntegralDense, IntegralDenseArgs} from './integral_dense';

/**
 * An integral twin of `tf.layers.dense`: same arguments and output shape; the kernel is a weight function sampled
 * at the current widths.
 *
 * ```js
 * const model = tf.sequential({layers: [
 *   tfi.layers.integralDense({units: 64, activation: 'relu', inputShape: [784]}),
 *   tfi.layers.integralDense({units: 10, activation: 'softmax', outContinuous: false}),
 * ]});
 * ```
 */
export function integralDense(args: IntegralDenseArgs): IntegralDense {
  return new IntegralDense(args);
}

/** An integral twin of `tf.layers.conv2d` (NHWC). */
export function integralConv2d(args: IntegralConv2DArgs): IntegralConv2D {
  return new IntegralConv2D(args);
}

export {IntegralChannelwise} from './integral_channelwise';
export {IntegralConv2D, IntegralDense};
export type {IntegralConv2DArgs, IntegralDenseArgs};
