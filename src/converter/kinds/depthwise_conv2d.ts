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
  // One least-squares problem per channel: its kh·kw taps to its m outputs. The sums are taken pair of taps by pair
  // of taps on `[rows, C]` tensors, as products with a row of ones (a per-channel layout `[C, rows, taps]` costs two
  // large transposes per batch, and wasm reduces over the first axis through a transpose too); the full width's
  // output is its depthwise convolution.
  calibration: {
    moments: (x, fullX, narrow, full, sampling) => {
      const [, , c, m] = narrow.kernel.shape;
      const taps = convTaps(x, narrow.config, narrow.kernel.shape);
      const rows = taps[0].shape[0];
      // [rows, C_full, m] → sampled along C → [rows, c, m]
      let z = tf.reshape(preActivation(fullX, full.kernel, full.bias, full.config), [rows, -1, m]);
      if (sampling != null) {
        const sampled = tf.matMul(tf.reshape(tf.transpose(z, [0, 2, 1]), [rows * m, -1]), sampling);
        z = tf.transpose(tf.reshape(sampled, [rows, m, c]), [0, 2, 1]);
      }
      const ones = tf.ones([1, rows]);
      const sum = (t: tf.Tensor) => tf.reshape(tf.matMul(ones, tf.reshape(t, [rows, -1])), t.shape.slice(1));
      // pp[c, i, j] = Σ_rows tap_i · tap_j, each pair once.
      const pairs = taps.map((ti, i) => taps.map((tj, j) => (j < i ? null : sum(tf.mul(ti, tj)))));
      const pp = tf.stack(taps.map((_, i) => tf.stack(taps.map((__, j) => pairs[Math.min(i, j)][Math.max(i, j)]!), 1)), 1);
      const pz = tf.stack(taps.map(t => sum(tf.mul(tf.expandDims(t, 2), z))), 1);
      return {pp, pz, ps: tf.stack(taps.map(sum), 1), zs: sum(z), rows};
    },
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
