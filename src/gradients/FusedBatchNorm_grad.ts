/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * The gradient of tfjs's `FusedBatchNorm` (what BatchNormalization trains with), computing the same values as tfjs
 * 4.22's with broadcasting where tfjs tiles `1/√(var+ε)` to the input's full shape first: on wasm that `Tile` took
 * two thirds of a BatchNormalization CNN's training step.
 */
export const fusedBatchNormGradConfig: tf.GradConfig = {
  kernelName: tf.FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy: tf.Tensor|tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const $dy = Array.isArray(dy) ? dy[0] : dy;
    const {varianceEpsilon} = attrs as unknown as tf.FusedBatchNormAttrs;
    const [x, mean, variance, scale] = saved;
    const scaleValue = scale ?? tf.scalar(1);
    const axes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
    const reduce = (t: tf.Tensor) => tf.reshape(mean.rank === 1 ? tf.sum(t, axes) : t, mean.shape);
    const xMinusMean = tf.sub(x, mean);
    const dyTimesScale = tf.mul($dy, scaleValue);
    const rsqrtVariance = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
    return {
      x: () => tf.reshape(tf.mul(tf.mul($dy, rsqrtVariance), scaleValue), x.shape),
      mean: () => reduce(tf.mul(tf.neg(rsqrtVariance), dyTimesScale)),
      variance: () => reduce(tf.mul(tf.mul(tf.mul(tf.pow(rsqrtVariance, 3), -0.5), xMinusMean), dyTimesScale)),
      scale: () => reduce(tf.mul($dy, tf.mul(xMinusMean, rsqrtVariance))),
      offset: () => reduce($dy),
    };
  },
};
