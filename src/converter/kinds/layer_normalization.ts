/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {describeLayer, isLastAxis} from './kind_util';
import type {LayerKind} from './layer_kind';

/**
 * LayerNormalization over the channel axis: γ and β are interpolated with the group; the statistics are taken over
 * the sampled channels, a quadrature of the integral mean and variance over the channel coordinate.
 */
export const layerNormalizationKind: LayerKind = {
  classNames: ['LayerNormalization'],
  rule: 'passThrough',
  needsWholeInput: true,
  discreteReason: call => isLastAxis(call.layer.getConfig().axis, call.inputs[0].rank) ? null :
      `${describeLayer(call)} normalizes over axes ${JSON.stringify(call.layer.getConfig().axis)}, not the channels alone`,
  weightAxes: weights => weights.map((_, weight) => ({weight, axis: -1, tensor: 'input' as const})),
  channelwise: {
    channelAxis: () => -1,
    logSpace: () => false,
    apply: (x, w, c) => {
      const {mean, variance} = tf.moments(x, -1, true);
      let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, c.epsilon as number)));
      let k = 0;
      if (c.scale !== false) y = tf.mul(y, w[k++]);
      if (c.center !== false) y = tf.add(y, w[k]);
      return y;
    },
  },
};
