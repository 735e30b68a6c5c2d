/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {IntegralConv1D, IntegralConv1DArgs} from './integral_conv1d';
import {IntegralConv2D, IntegralConv2DArgs} from './integral_conv2d';
import {IntegralConv2DTranspose, IntegralConv2DTransposeArgs} from './integral_conv2d_transpose';
import {IntegralDense, IntegralDenseArgs} from './integral_dense';
import {IntegralEmbedding, IntegralEmbeddingArgs} from './integral_embedding';

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

/** An integral twin of `tf.layers.conv1d` (NWC, `'causal'` padding included). */
export function integralConv1d(args: IntegralConv1DArgs): IntegralConv1D {
  return new IntegralConv1D(args);
}

/** An integral twin of `tf.layers.conv2dTranspose` (NHWC; kernel `[kh, kw, C_out, C_in]`, the input axis integrated). */
export function integralConv2dTranspose(args: IntegralConv2DTransposeArgs): IntegralConv2DTranspose {
  return new IntegralConv2DTranspose(args);
}

/** An integral twin of `tf.layers.embedding`: token rows discrete, the embedding axis a weight function. */
export function integralEmbedding(args: IntegralEmbeddingArgs): IntegralEmbedding {
  return new IntegralEmbedding(args);
}

export {IntegralChannelwise} from './integral_channelwise';
export type {IntegralChannelwiseArgs, WrappedLayer} from './integral_channelwise';
export type {Conv1DLayerArgs} from './integral_conv1d';
export type {ConvLayerArgs} from './integral_conv2d';
export type {Conv2DTransposeLayerArgs} from './integral_conv2d_transpose';
export type {DenseLayerArgs} from './integral_dense';
export type {EmbeddingLayerArgs} from './integral_embedding';
export type {InputSegments, IntegralLayerState} from './integral_layer_util';
export type {ChannelSampledLayer, ControlsAtWidths} from './channel_sampled';
export {IntegralReshape} from './integral_reshape';
export {IntegralConv1D, IntegralConv2D, IntegralConv2DTranspose, IntegralDense, IntegralEmbedding};
export type {IntegralConv1DArgs, IntegralConv2DArgs, IntegralConv2DTransposeArgs, IntegralDenseArgs, IntegralEmbeddingArgs};
