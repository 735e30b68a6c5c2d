/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// Channel positions on the reference network's channel axes, and the reference's weights sampled there.
import * as tf from '@tensorflow/tfjs-core';

import {cubicTaps} from '../../kernels/shared/cubic';
import type {ChannelGroup} from '../converter/channel_groups';
import type {ChannelLayout, WeightAxis} from '../converter/kinds/layer_kind';
import {freshCopy} from '../util/fresh_copy';

/**
 * Where a group's current channels sit on the reference's channel axis, in [0, 1]: uniform (`j / (n - 1)`, the
 * middle for one channel) unless the group has fitted positions, whose piecewise-linear interpolation then maps the
 * model's own uniform coordinate to the reference's.
 */
export function channelPositions(group: ChannelGroup): number[] {
  const n = group.size;
  const own = Array.from({length: n}, (_, j) => n === 1 ? 0.5 : j / (n - 1));
  const knots = group.positions;
  if (knots == null) return own;
  if (knots.length === n) return [...knots];
  if (knots.length === 1) return own.map(() => knots[0]);
  return own.map(u => {
    const t = u * (knots.length - 1), k = Math.min(Math.floor(t), knots.length - 2);
    return knots[k] + (t - k) * (knots[k + 1] - knots[k]);
  });
}

/** True when `positions` are the uniform positions of their count (within float rounding). */
export function isUniform(positions: number[]): boolean {
  const n = positions.length;
  return positions.every((p, j) => Math.abs(p - (n === 1 ? 0.5 : j / (n - 1))) < 1e-9);
}

/**
 * The `[C, n]` matrix that samples a function given at `C` nodes (`k / (C - 1)`) at `positions` with Keys cubic
 * convolution (border replicate), as the ops sample an output axis (docs/api.md §1): a position on a node selects
 * that node.
 */
export function samplingMatrix(size: number, positions: number[], cubicA: number): Float32Array {
  const n = positions.length;
  const matrix = new Float32Array(size * n);
  const coords = positions.map(p => size === 1 ? 0 : p * (size - 1));
  const {index, weight} = cubicTaps(coords, size, cubicA);
  for (let j = 0; j < n; j++) {
    for (let r = 0; r < 4; r++) matrix[index[j * 4 + r] * n + j] += weight[j * 4 + r];
  }
  return matrix;
}

/** The sampling of one channel axis of a layer's weights: its group's `[C, n]` matrix and how the axis holds it. */
export interface AxisSampling {
  matrix: Float32Array;
  /** Nodes `C` and samples `n`. */
  size: number;
  n: number;
  layout: ChannelLayout;
}

/**
 * Stock `weights` of a reference layer with each channel axis of `axes` sampled (`sampling(tensor)`: the matrix of
 * the group on the call's input or output channels, or null to keep that axis): the axis holds `outer × C × inner`
 * entries, `C` contracted with the matrix. Integrated input axes are sampled like output axes, without quadrature
 * (a position on a node keeps that channel's weights as they are, as channel pruning does).
 */
export function sampledWeights(weights: tf.Tensor[], axes: WeightAxis[],
                               sampling: (tensor: 'input'|'output') => AxisSampling|null): tf.Tensor[] {
  // Fresh copies: on wasm a reshaped tensor keeps its data's shape, which its fused kernels read (a bias must be 1-D).
  return tf.tidy(() => weights.map((w, i) => {
    let out = w;
    for (const {weight, axis, tensor} of axes) {
      const s = sampling(tensor);
      if (weight !== i || s == null) continue;
      const a = out.rank + axis;
      const before = out.shape.slice(0, a).reduce((x, y) => x * y, 1) * s.layout.outer;
      const after = out.shape.slice(a + 1).reduce((x, y) => x * y, 1) * s.layout.inner;
      const split = tf.reshape(out, [before, s.size, after]);
      const moved = tf.transpose(split, [0, 2, 1]);  // [before, after, C]
      const sampled = tf.matMul(tf.reshape(moved, [-1, s.size]), tf.tensor2d(s.matrix, [s.size, s.n]));
      const back = tf.transpose(tf.reshape(sampled, [before, after, s.n]), [0, 2, 1]);
      out = tf.reshape(back, out.shape.map((d, k) => (k === a ? d / s.size * s.n : d)));
    }
    return freshCopy(out === w ? w : out);
  }));
}
