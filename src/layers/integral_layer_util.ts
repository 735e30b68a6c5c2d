/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {integralWeight} from '../ops/integral_weight';
import {QUADRATURE_RULES, QuadratureRule, uniformQuadrature} from '../ops/quadrature';
import {assertCubicA, DEFAULT_CUBIC_A, IntegralOptions} from '../ops/sampling';
import {assertArg, isPositiveInteger} from '../util/errors';

/** Arguments every tfjs layer takes (`LayerArgs` is not exported by tfjs-layers). */
export type LayerArgs = ConstructorParameters<typeof tfl.layers.Layer>[0];

/** The segments of a concatenated input axis: their control nodes and their current sampled widths. */
export type InputSegments = {
  /** Control nodes per segment (summing to the input's control size). */
  sizes: number[];
  /** Current widths, one per segment. */
  widths: number[];
};

/** Options of an integral layer on top of its stock twin's arguments. */
export interface IntegralLayerArgs {
  /** Quadrature of the input-channel axis (default `'trapezoid'`). */
  quadrature?: QuadratureRule;
  /** Keys cubic-convolution parameter (default `-0.5`). */
  cubicA?: number;
  /** Interpolate along the input channels (default `true`; `false` for an RGB input). */
  inContinuous?: boolean;
  /** Interpolate along the output channels (default `true`; `false` for logits). */
  outContinuous?: boolean;
  /** Control nodes along the input axis (default: the input's channel count when the layer is built). */
  inControlSize?: number;
  /** Control nodes along the output axis (default: the layer's output width). */
  outControlSize?: number;
  /** Train the sample positions too (strictly increasing in [0, 1] by construction; fixed sampled sizes). */
  trainablePositions?: boolean;
  /**
   * The input axis is a concatenation of segments, each resampled on its own: `sizes` (control nodes per segment,
   * summing to the input's control size) and their current `widths`. Segment `c` covers its nodes' sub-interval of
   * [0, 1] and is sampled uniformly there.
   */
  inSegments?: InputSegments;
  /**
   * The input's channel axis holds `inTaps` positions of `C` channels each, channels fastest, as after `Flatten` of
   * an `[h, w, C]` map (`inTaps = h·w`): the channel axis is integrated per tap. Default 1.
   */
  inTaps?: number;
  /**
   * Each input channel comes as `inInner` consecutive entries of the channel axis, as after a depthwise convolution
   * with depth multiplier `inInner` (`[C, m]`, `m` fastest): `C` is integrated, `m` stays. Default 1.
   */
  inInner?: number;
}

/** Names of the arguments an integral layer takes beyond its stock twin's. */
export const INTEGRAL_ARG_NAMES = ['quadrature', 'cubicA', 'inContinuous', 'outContinuous', 'inControlSize',
                                   'outControlSize', 'trainablePositions', 'inTaps', 'inInner', 'inSegments'];

/** The integral part of an integral layer's state, validated, with defaults applied. */
export interface IntegralLayerState {
  /** Quadrature of the input axis. */
  quadrature: QuadratureRule;
  /** Keys cubic-convolution parameter. */
  cubicA: number;
  /** Whether the input axis is interpolated and integrated. */
  inContinuous: boolean;
  /** Whether the output axis is interpolated. */
  outContinuous: boolean;
  /** Control nodes along the input axis (per tap and inner entry); null until the layer is built. */
  inControlSize: number|null;
  /** Control nodes along the output axis. */
  outControlSize: number;
  /** Whether the sample positions are trained. */
  trainablePositions: boolean;
  /** The segments of a concatenated input axis, or null. */
  inSegments: InputSegments|null;
  /** Spatial taps on the input axis (after a Flatten). */
  inTaps: number;
  /** Entries per input channel (after a depthwise multiplier). */
  inInner: number;
}

/** Validates the integral options of layer `layer` (class `cls`) whose output width is `outSize`. */
export function integralLayerState(cls: string, layer: string, args: IntegralLayerArgs, outSize: number):
    IntegralLayerState {
  const where = `${cls} '${layer}'`;
  const {quadrature = 'trapezoid', cubicA = DEFAULT_CUBIC_A, inContinuous = true, outContinuous = true,
         inControlSize, outControlSize = outSize, trainablePositions = false} = args;
  assertArg(QUADRATURE_RULES.includes(quadrature), where, 'quadrature', `one of ${QUADRATURE_RULES.join(', ')}`,
            quadrature);
  assertCubicA(where, 'cubicA', cubicA);
  for (const [name, v] of [['inContinuous', inContinuous], ['outContinuous', outContinuous],
                           ['trainablePositions', trainablePositions]] as const) {
    assertArg(typeof v === 'boolean', where, name, 'a boolean', v);
  }
  assertArg(inControlSize == null || isPositiveInteger(inControlSize), where, 'inControlSize',
            'a positive integer', inControlSize);
  assertArg(isPositiveInteger(outControlSize), where, 'outControlSize', 'a positive integer', outControlSize);
  assertArg(outContinuous || outControlSize === outSize, where, 'outControlSize',
            `equal to the output width ${outSize} on a discrete axis`, outControlSize);
  assertArg(!trainablePositions || quadrature === 'trapezoid', where, 'quadrature',
            `'trapezoid' with trainablePositions`, quadrature);
  const {inSegments = null, inTaps = 1, inInner = 1} = args;
  assertArg(isPositiveInteger(inTaps), where, 'inTaps', 'a positive integer', inTaps);
  assertArg(isPositiveInteger(inInner), where, 'inInner', 'a positive integer', inInner);
  assertArg(inSegments == null || (!trainablePositions && inContinuous && quadrature === 'trapezoid' &&
                                   inTaps === 1 && inInner === 1 && Array.isArray(inSegments.sizes) &&
                                   Array.isArray(inSegments.widths) &&
                                   inSegments.sizes.length === inSegments.widths.length &&
                                   [...inSegments.sizes, ...inSegments.widths].every(isPositiveInteger)),
            where, 'inSegments',
            'matching positive sizes and widths, on a continuous trapezoid axis without trainable positions or taps',
            inSegments);
  return {quadrature, cubicA, inContinuous, outContinuous, inControlSize: inControlSize ?? null, outControlSize,
          trainablePositions, inTaps, inInner,
          inSegments: inSegments && {sizes: [...inSegments.sizes], widths: [...inSegments.widths]}};
}

/** The state as config entries (camelCase keys; values survive tfjs's snake_case conversion). */
export function integralLayerConfig(s: IntegralLayerState): tf.serialization.ConfigDict {
  return {
    quadrature: s.quadrature, cubicA: s.cubicA, inContinuous: s.inContinuous, outContinuous: s.outContinuous,
    inControlSize: s.inControlSize, outControlSize: s.outControlSize, trainablePositions: s.trainablePositions,
    ...(s.inSegments != null ? {inSegments: s.inSegments} : {}),
    ...(s.inTaps !== 1 ? {inTaps: s.inTaps} : {}),
    ...(s.inInner !== 1 ? {inInner: s.inInner} : {}),
  };
}

/**
 * Strictly increasing positions in [0, 1] with fixed ends: `p_k = Σ_{j<k} e^{θ_j} / Σ_j e^{θ_j}` from `n - 1`
 * logits θ (exactly 0 and 1 at the ends). All-zero logits give the uniform grid.
 */
export function positionsFromLogits(logits: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const steps = tf.exp(logits);
    const interior = tf.div(tf.slice(tf.cumsum(steps), 0, logits.size - 1), tf.sum(steps));
    return tf.concat([tf.zeros([1]), interior, tf.ones([1])]) as tf.Tensor1D;
  });
}

/** The layer's sampling options for the ops. */
export function samplingOptions(s: IntegralLayerState, inPositions?: tf.Tensor1D, outPositions?: tf.Tensor1D):
    IntegralOptions {
  return {quadrature: s.quadrature, cubicA: s.cubicA, inContinuous: s.inContinuous, outContinuous: s.outContinuous,
          inPositions, outPositions};
}

/** The bias, a 1-D function of the output coordinate, sampled at `outSize` points (interpolated, not integrated). */
export function sampleBias(bias: tf.Tensor, outSize: number, s: IntegralLayerState, outPositions?: tf.Tensor1D) {
  const row = integralWeight(tf.reshape(bias, [1, -1]), {
    inContinuous: false, outContinuous: s.outContinuous, outSize, outPositions, cubicA: s.cubicA});
  return tf.reshape(row, [outSize]);
}

/**
 * Where a stock kernel keeps its input channels: the axis `-2` (`-1` for tfjs's transposed convolution, whose kernel
 * is `[kh, kw, C_out, C_in]`) holds `taps × C × inner` entries (see `IntegralLayerArgs.inTaps` / `inInner`).
 */
export interface InputAxisLayout {
  taps: number;
  inner: number;
  transposed: boolean;
}

/**
 * `kernel [...spatial, taps·C·inner, C_out]` (or its transposed layout) as `[P, C, C_out]` grids, `P` running over
 * the spatial taps, flatten taps and inner entries; {@link fromChannelGrids} undoes it for `n` sampled channels.
 */
export function toChannelGrids(kernel: tf.Tensor, layout: InputAxisLayout): tf.Tensor3D {
  const standard = layout.transposed ? swapLastAxes(kernel) : kernel;
  const shape = standard.shape;
  const [axis, out] = shape.slice(-2);
  const channels = axis / (layout.taps * layout.inner);
  const split = tf.reshape(standard, [-1, channels, layout.inner, out]);
  const grids = layout.inner === 1 ? split : tf.transpose(split, [0, 2, 1, 3]);
  return tf.reshape(grids, [-1, channels, out]);
}

/** Inverse of {@link toChannelGrids}: `[P, n, n_out]` grids back to the kernel layout of `spatial` (one tap axis). */
export function fromChannelGrids(grids: tf.Tensor3D, spatial: number[], layout: InputAxisLayout): tf.Tensor {
  const [, n, out] = grids.shape;
  const split = tf.reshape(grids, [-1, layout.inner, n, out]);
  const ordered = layout.inner === 1 ? split : tf.transpose(split, [0, 2, 1, 3]);
  const standard = tf.reshape(ordered, [...spatial, layout.taps * n * layout.inner, out]);
  return layout.transposed ? swapLastAxes(standard) : standard;
}

/** `t` with its last two axes swapped. */
function swapLastAxes(t: tf.Tensor): tf.Tensor {
  const axes = t.shape.map((_, i) => i);
  [axes[t.rank - 2], axes[t.rank - 1]] = [axes[t.rank - 1], axes[t.rank - 2]];
  return tf.transpose(t, axes);
}

/**
 * `controls = W / q` along the input channels of a stock `kernel` (docs/api.md §1): exact conversion at the original
 * width, so the sampled weight at the control size is `kernel` itself.
 */
export function kernelToControls(kernel: tf.Tensor, layout: InputAxisLayout, quadrature: QuadratureRule): tf.Tensor {
  return tf.tidy(() => {
    const grids = toChannelGrids(kernel, layout);
    const channels = grids.shape[1];
    const q = tf.tensor1d(Float32Array.from(uniformQuadrature(quadrature, channels, Math.max(channels - 1, 1))));
    const spatial = kernel.shape.slice(0, -2);
    return fromChannelGrids(tf.div(grids, tf.reshape(q, [-1, 1])) as tf.Tensor3D, spatial, layout);
  });
}

/** A weight that holds position logits, or null when the axis has fewer than 2 samples or is discrete. */
export function positionLogitsShape(continuous: boolean, size: number): number[]|null {
  return continuous && size >= 2 ? [size - 1] : null;
}

/**
 * Sample positions of a concatenated axis: segment `c` of `sizes[c]` nodes covers `[o_c, o_c + sizes[c] - 1] / (S - 1)`
 * (`o_c` its first node, `S` all nodes) and is sampled at `widths[c]` uniform points there (its middle for one).
 * At the original widths these are exactly the nodes.
 */
export function segmentPositions(sizes: number[], widths: number[]): Float32Array {
  const total = sizes.reduce((a, b) => a + b, 0);
  const span = Math.max(total - 1, 1);
  const out: number[] = [];
  let offset = 0;
  sizes.forEach((size, c) => {
    const [start, end] = [offset / span, (offset + size - 1) / span];
    const m = widths[c];
    for (let j = 0; j < m; j++) out.push(m === 1 ? (start + end) / 2 : start + j * (end - start) / (m - 1));
    offset += size;
  });
  return Float32Array.from(out);
}

/** The shape of a single-input layer, from what tfjs-layers passes to `build` / `computeOutputShape`. */
export const singleShape = (s: tfl.Shape|tfl.Shape[]) => (Array.isArray(s[0]) ? s[0] : s) as tfl.Shape;

/** A convolution's output length along one axis, as tfjs-layers computes it (`null` stays unknown). */
export function convOutputLength(
    length: number|null, kernel: number, padding: string, stride: number, dilation = 1): number|null {
  if (length == null) return null;
  const extent = (kernel - 1) * dilation + 1;
  return Math.ceil((padding === 'valid' ? length - extent + 1 : length) / stride);
}
