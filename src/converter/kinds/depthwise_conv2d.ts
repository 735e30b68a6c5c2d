/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {channelsFirstReason} from './kind_util';
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
