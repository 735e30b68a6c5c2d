/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {channelsFirstReason, configTuple, convTaps} from './kind_util';
import type {LayerKind} from './layer_kind';

const multiplierOf = (config: tf.serialization.ConfigDict) => (config.depthMultiplier as number|undefined) ?? 1;

/** A DepthwiseConv2D's output before its activation: the convolution of `x` with `kernel`, plus `bias`. */
function preActivation(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor|undefined, c: Record<string, unknown>) {
  const y = tf.depthwiseConv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, configTuple(c.strides, 2) as [number, number],
                               c.padding as 'valid'|'same', 'NHWC', configTuple(c.dilationRate, 2) as [number, number]);
  return bias == null ? y : tf.add(y, bias);
}

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
  // One least-squares problem per channel: its kh·kw taps to its m outputs, summed as batched products over the
  // channels (`[C, taps, rows]·[C, rows, ·]`; the rows are the output positions calibration keeps, few enough that
  // the per-channel layout's transposes stay small); the full width's output is computed at those rows only.
  calibration: {
    moments: (x, fullX, narrow, full, sampling, keep) => {
      const [, , c, m] = narrow.kernel.shape;
      const taps = convTaps(x, narrow.config, narrow.kernel.shape, keep);
      const rows = taps[0].shape[0];
      // The full width's output at the same positions, `Σ_taps tap ⊙ K_tap + b`: `[rows, C_full, m]`.
      const fullTaps = convTaps(fullX, full.config, full.kernel.shape, keep);
      const fullKernels = tf.unstack(tf.reshape(full.kernel, [fullTaps.length, 1, -1, m]));
      // Summed pairwise: WebGPU's addN binds every input at once, more than Dawn allows for a 3 × 3 window.
      let z = fullTaps.map((tap, t) => tf.mul(tf.expandDims(tap, 2), fullKernels[t])).reduce((sum, v) => tf.add(sum, v));
      if (full.bias != null) z = tf.add(z, tf.reshape(full.bias, [1, -1, m]));
      if (sampling != null) {
        const sampled = tf.matMul(tf.reshape(tf.transpose(z, [0, 2, 1]), [rows * m, -1]), sampling);
        z = tf.transpose(tf.reshape(sampled, [rows, m, c]), [0, 2, 1]);
      }
      // [C, rows, taps] (a concatenation: wasm stacks many times slower)
      const perChannel = tf.transpose(tf.reshape(tf.concat(taps, 1), [rows, taps.length, c]), [2, 0, 1]);
      const transposed = tf.transpose(perChannel, [0, 2, 1]);
      return {pp: tf.matMul(transposed, perChannel), pz: tf.matMul(transposed, tf.transpose(z, [1, 0, 2])),
              ps: tf.sum(perChannel, 1), zs: tf.sum(z, 0), rows};
    },
    samplesTargetColumns: false,
    toMatrices: kernel => tf.tidy(() => {
      const [kh, kw, c, m] = kernel.shape;
      return tf.transpose(tf.reshape(kernel, [kh * kw, c, m]), [1, 0, 2]) as tf.Tensor3D;
    }),
    fromMatrices: (matrices, shape) => tf.tidy(() => tf.reshape(tf.transpose(matrices, [1, 0, 2]), shape)),
  },
  channelwise: {
    channelAxis: i => (i === 0 ? -2 : -1),  // kernel [kh, kw, C, m], bias [C·m]
    logSpace: () => false,
    apply: (x, [kernel, bias], c) => tfl.layers.activation({activation: (c.activation ?? 'linear') as 'linear'})
                                         .apply(preActivation(x, kernel, bias, c)) as tf.Tensor,
  },
};
