/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * How a layer relates the channel axes of its inputs and outputs (the last axis, channels-last):
 * - `producer`: its output channels are a new axis made by its kernel; its input axis is integrated (Dense, Conv2D);
 * - `passThrough`: output channel `c` is input channel `c` (point-wise and per-channel layers, pooling, padding;
 *   a depthwise convolution with multiplier 1);
 * - `merge`: all inputs and the output share one axis (element-wise merges);
 * - `concat`: the output axis is the inputs' axes one after the other (a parent made of segments);
 * - `flatten`: passes the channel axis on as the fastest-varying part of a flattened `[h·w·C]` axis;
 * - `reshape`: passes it on when the reshape keeps the last dimension, otherwise the layer is unsupported.
 */
export type ChannelRule = 'producer'|'passThrough'|'merge'|'concat'|'flatten'|'reshape';

/** Pass-through layers with per-channel weights: they need a whole channel axis, not a concatenation of groups. */
export const PER_CHANNEL_WEIGHTS = new Set(['BatchNormalization', 'DepthwiseConv2D', 'PReLU']);

/** Channel rules by Keras class name. Layers absent from this table make the groups they touch discrete. */
export const CHANNEL_RULES: Record<string, ChannelRule> = {
  Dense: 'producer',
  Conv2D: 'producer',
  IntegralDense: 'producer',
  IntegralConv2D: 'producer',
  IntegralChannelwise: 'passThrough',
  BatchNormalization: 'passThrough',
  DepthwiseConv2D: 'passThrough',
  PReLU: 'passThrough',
  Activation: 'passThrough',
  ReLU: 'passThrough',
  LeakyReLU: 'passThrough',
  ELU: 'passThrough',
  ThresholdedReLU: 'passThrough',
  Softmax: 'passThrough',
  Dropout: 'passThrough',
  SpatialDropout2D: 'passThrough',
  GaussianNoise: 'passThrough',
  GaussianDropout: 'passThrough',
  AlphaDropout: 'passThrough',
  ZeroPadding2D: 'passThrough',
  Cropping2D: 'passThrough',
  MaxPooling2D: 'passThrough',
  AveragePooling2D: 'passThrough',
  GlobalAveragePooling2D: 'passThrough',
  GlobalMaxPooling2D: 'passThrough',
  UpSampling2D: 'passThrough',
  Add: 'merge',
  Subtract: 'merge',
  Multiply: 'merge',
  Average: 'merge',
  Maximum: 'merge',
  Minimum: 'merge',
  Concatenate: 'concat',
  Flatten: 'flatten',
  Reshape: 'reshape',
};
