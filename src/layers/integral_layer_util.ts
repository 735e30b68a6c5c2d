/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {integralWeight} from '../ops/integral_weight';
import {QUADRATURE_RULES, QuadratureRule, uniformQuadrature} from '../ops/quadrature';
import {DEFAULT_CUBIC_A, IntegralOptions} from '../ops/sampling';
import {assertArg, isPositiveInteger} from '../util/errors';

/** Arguments every tfjs layer takes (`LayerArgs` is not exported by tfjs-layers). */
export type LayerArgs = ConstructorParameters<typeof tfl.layers.Layer>[0];

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
  inSegments?: {sizes: number[], widths: number[]};
}

/** Names of the arguments an integral layer takes beyond its stock twin's. */
export const INTEGRAL_ARG_NAMES = ['quadrature', 'cubicA', 'inContinuous', 'outContinuous', 'inControlSize',
                                   'outControlSize', 'trainablePositions', 'inTaps', 'inSegments'];

/** The integral part of an integral layer's state, validated, with defaults applied. */
export interface IntegralLayerState {
  quadrature: QuadratureRule;
  cubicA: number;
  inContinuous: boolean;
  outContinuous: boolean;
  inControlSize: number|null;
  outControlSize: number;
  trainablePositions: boolean;
  inSegments: {sizes: number[], widths: number[]}|null;
}

/** Validates the integral options of layer `layer` (class `cls`) whose output width is `outSize`. */
export function integralLayerState(cls: string, layer: string, args: IntegralLayerArgs, outSize: number):
    IntegralLayerState {
  const where = `${cls} '${layer}'`;
  const {quadrature = 'trapezoid', cubicA = DEFAULT_CUBIC_A, inContinuous = true, outContinuous = true,
         inControlSize, outControlSize = outSize, trainablePositions = false} = args;
  assertArg(QUADRATURE_RULES.includes(quadrature), where, 'quadrature', `one of ${QUADRATURE_RULES.join(', ')}`,
            quadrature);
  assertArg(Number.isFinite(cubicA), where, 'cubicA', 'a finite number', cubicA);
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
  const {inSegments = null} = args;
  assertArg(inSegments == null || (!trainablePositions && inContinuous && quadrature === 'trapezoid' &&
                                   inSegments.sizes.length === inSegments.widths.length &&
                                   [...inSegments.sizes, ...inSegments.widths].every(isPositiveInteger)),
            where, 'inSegments', 'matching positive sizes and widths, on a continuous trapezoid axis without trainable positions',
            inSegments);
  return {quadrature, cubicA, inContinuous, outContinuous, inControlSize: inControlSize ?? null, outControlSize,
          trainablePositions,
          inSegments: inSegments && {sizes: [...inSegments.sizes], widths: [...inSegments.widths]}};
}

/** The state as config entries (camelCase keys; values survive tfjs's snake_case conversion). */
export function integralLayerConfig(s: IntegralLayerState): tf.serialization.ConfigDict {
  return {
    quadrature: s.quadrature, cubicA: s.cubicA, inContinuous: s.inContinuous, outContinuous: s.outContinuous,
    inControlSize: s.inControlSize, outControlSize: s.outControlSize, trainablePositions: s.trainablePositions,
    ...(s.inSegments != null ? {inSegments: s.inSegments} : {}),
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
 * Turns the freshly initialized kernel variable (an ordinary weight drawn by the layer's initializer) into
 * controls: `controls = W / q` along the input axis (api.md §1), so the sampled weight at the control size is
 * exactly the drawn one and activations keep the stock layer's scale.
 */
export function convertInitialKernel(kernel: tfl.LayerVariable, s: IntegralLayerState, cIn: number) {
  if (!s.inContinuous) return;
  const q = uniformQuadrature(s.quadrature, cIn, Math.max(cIn - 1, 1));
  const controls = tf.tidy(() => {
    const w = kernel.read();
    const perTap = tf.reshape(w, [-1, cIn, w.shape[w.rank - 1]]);  // a flattened dense kernel: [taps, C_in, C_out]
    return tf.reshape(tf.div(perTap, tf.reshape(tf.tensor1d(Float32Array.from(q)), [-1, 1])), w.shape);
  });
  // Assign to the variable itself: LayerVariable.write would also apply the kernel constraint, which stock layers
  // do not apply to their initial draw either.
  (kernel.read() as tf.Variable).assign(controls);
  controls.dispose();  // the variable keeps its own reference to the data
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
