/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {describeLayer, isLastAxis} from './kind_util';
import type {LayerKind} from './layer_kind';

/** BatchNormalization weights in order: gamma (if scale), beta (if center), moving mean, moving variance. */
function parts(w: tf.Tensor[], config: tf.serialization.ConfigDict) {
  let k = 0;
  const gamma = config.scale !== false ? w[k++] : undefined;
  const beta = config.center !== false ? w[k++] : undefined;
  return {gamma, beta, mean: w[k], variance: w[k + 1], varianceIndex: k + 1};
}

/**
 * BatchNormalization over the channels: folded into the Dense / Conv / DepthwiseConv2D before it (inference
 * statistics) when it is that layer's sole consumer, else per-channel and resampled with its group (variances in
 * log space), computing with its moving statistics.
 */
export const batchNormalizationKind: LayerKind = {
  classNames: ['BatchNormalization'],
  rule: 'passThrough',
  needsWholeInput: true,
  discreteReason: call => isLastAxis(call.layer.getConfig().axis, call.inputs[0].rank) ? null :
      `${describeLayer(call)} normalizes axis ${call.layer.getConfig().axis}, not the channels`,
  weightAxes: weights => weights.map((_, weight) => ({weight, axis: -1, tensor: 'input' as const})),
  foldableAffine: layer => tf.tidy(() => {
    const config = layer.getConfig();
    const {gamma, beta, mean, variance} = parts(layer.getWeights(), config);
    const scale = tf.div(gamma ?? tf.onesLike(mean), tf.sqrt(tf.add(variance, (config.epsilon as number) ?? 1e-3)));
    const shift = tf.sub(beta ?? tf.zerosLike(mean), tf.mul(mean, scale));
    return {scale: scale as tf.Tensor1D, shift: shift as tf.Tensor1D};
  }),
  channelwise: {
    channelAxis: () => -1,
    logSpace: (i, config) => i === parts([], config).varianceIndex,
    apply: (x, w, c) => {
      const {gamma, beta, mean, variance} = parts(w, c);
      return tf.batchNorm(x, mean, variance, beta, gamma, c.epsilon as number);
    },
  },
};
