/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {channelsFirstReason, convPatches} from './kind_util';
import type {LayerKind} from './layer_kind';

const multiplierOf = (config: tf.serialization.ConfigDict) => (config.depthMultiplier as number|undefined) ?? 1;

/**
 * DepthwiseConv2D: per-channel, resampled with its input's group. With depth multiplier `m` its kernel is
 * `[kh, kw, C, m]` and its output `[C, m]` (`m` fastest): `C` follows the group, `m` stays.
 */
export const depthwiseConv2dKind: LayerKind = {
  classNames: ['DepthwiseConv2D'],
  rule: 'passThrough',
  needsWholeInput: true,
  discreteReason: channelsFirstReason,
  outputLayout: (call, input) => ({...input, inner: input.inner * multiplierOf(call.layer.getConfig())}),
  weightAxes: weights => [
    {weight: 0, axis: -2, tensor: 'input'},
    ...(weights.length > 1 ? [{weight: 1, axis: -1, tensor: 'output' as const}] : []),
  ],
  scaleOutputChannels: (kernel, scale) => tf.mul(kernel, tf.reshape(scale, kernel.shape.slice(-2))),
  // One least-squares problem per channel: its kh·kw taps to its m outputs.
  calibration: {
    patches: (x, config, [kh, kw, c]) => tf.tidy(() => {
      const rows = convPatches(x, config, [kh, kw], 2);
      return tf.transpose(tf.reshape(rows, [rows.shape[0], kh * kw, c]), [2, 0, 1]) as tf.Tensor3D;
    }),
    toMatrices: kernel => tf.tidy(() => {
      const [kh, kw, c, m] = kernel.shape;
      return tf.transpose(tf.reshape(kernel, [kh * kw, c, m]), [1, 0, 2]) as tf.Tensor3D;
    }),
    fromMatrices: (matrices, shape) => tf.tidy(() => tf.reshape(tf.transpose(matrices, [1, 0, 2]), shape)),
    sample: (z, sampling) => tf.tidy(() => {
      const [c, rows, m] = z.shape;
      const sampled = tf.matMul(tf.transpose(sampling), tf.reshape(z, [c, rows * m]));
      return tf.reshape(sampled, [sampling.shape[1], rows, m]) as tf.Tensor3D;
    }),
  },
  channelwise: {
    channelAxis: i => (i === 0 ? -2 : -1),  // kernel [kh, kw, C, m], bias [C·m]
    logSpace: () => false,
    apply: (x, [kernel, bias], c) => {
      let y: tf.Tensor = tf.depthwiseConv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, c.strides as [number, number],
                                            c.padding as 'valid'|'same', 'NHWC', c.dilationRate as [number, number]);
      if (bias != null) y = tf.add(y, bias);
      return tfl.layers.activation({activation: (c.activation ?? 'linear') as 'linear'}).apply(y) as tf.Tensor;
    },
  },
};
