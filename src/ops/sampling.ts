/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {assertArg, isPositiveInteger} from '../util/errors';
import {onHostBackend} from '../util/host_backend';
import {CUBIC_A_RANGE, MAX_CHANNELS, MAX_SAMPLED_ELEMENTS} from '../util/limits';
import {QUADRATURE_RULES, QuadratureRule, uniformQuadrature} from './quadrature';

/** How a control grid is sampled (docs/api.md §2). */
export interface IntegralOptions {
  /** Sampled output channels (default: `C_out`, or the length of `outPositions`). */
  outSize?: number;
  /** Sampled input channels (`integralWeight` only; the ops take it from `x`). */
  inSize?: number;
  /** Interpolate along the input axis (default `true`); a discrete axis keeps its control size and `q = 1`. */
  inContinuous?: boolean;
  /** Interpolate along the output axis (default `true`). */
  outContinuous?: boolean;
  /** Quadrature of the input axis (default `'trapezoid'`). */
  quadrature?: QuadratureRule;
  /** Keys cubic-convolution parameter `a` (default `-0.5`; `-0.75` matches PyTorch's bicubic `grid_sample`). */
  cubicA?: number;
  /** Strictly increasing input sample positions in `[0, 1]` (trapezoid only); trainable. */
  inPositions?: tf.Tensor1D;
  /** Strictly increasing output sample positions in `[0, 1]`; trainable. */
  outPositions?: tf.Tensor1D;
}

/** Default Keys parameter. */
export const DEFAULT_CUBIC_A = -0.5;

/** Throws an Error naming `op` and `arg` unless `cubicA` is a number in `CUBIC_A_RANGE`. */
export function assertCubicA(op: string, arg: string, cubicA: unknown): asserts cubicA is number {
  const [lo, hi] = CUBIC_A_RANGE;
  assertArg(typeof cubicA === 'number' && cubicA >= lo && cubicA <= hi, op, arg,
            `a number in [${lo}, ${hi}] (Keys' kernels: -0.5 third order, -0.75 bicubic)`, cubicA);
}

/** The kernel inputs that describe one sampling, see `IntegralSamplingInputs`. */
export interface SamplingTensors {
  inCoords: tf.Tensor1D;
  outCoords: tf.Tensor1D;
  quadWeights: tf.Tensor1D;
  cubicA: number;
}

function checkPositions(op: string, arg: string, p: tf.Tensor1D, size: number|undefined) {
  assertArg(p instanceof tf.Tensor && p.rank === 1 && p.dtype === 'float32' && p.size >= 1, op, arg,
            'a non-empty float32 Tensor1D', p);
  assertArg(size == null || p.size === size, op, arg, `of length ${size}`, p);
  // Checked eagerly where reading the values is cheap.
  if (!onHostBackend()) return;
  const v = p.dataSync();
  let ok = v[0] >= 0 && v[v.length - 1] <= 1;
  for (let i = 1; i < v.length && ok; i++) ok = v[i] > v[i - 1];
  assertArg(ok, op, arg, 'strictly increasing in [0, 1]', Array.from(v, x => Number(x.toPrecision(7))));
}

/** Uniform coordinates `t_i = i (C-1) / (n-1)` in control-index units (`(C-1)/2` for `n = 1`). */
function uniformCoords(n: number, controlSize: number): Float32Array {
  const t = new Float32Array(n);
  for (let i = 0; i < n; i++) t[i] = n === 1 ? (controlSize - 1) / 2 : i * (controlSize - 1) / (n - 1);
  return t;
}

/** Non-uniform trapezoid weights: `(p_{i+1} - p_{i-1}) / 2`, one-sided at the ends, `[1]` for one point. */
function trapezoidAt(p: tf.Tensor1D): tf.Tensor1D {
  const n = p.size;
  if (n === 1) return tf.onesLike(p);
  const next = tf.concat([tf.slice(p, 1), tf.slice(p, n - 1)]);
  const prev = tf.concat([tf.slice(p, 0, 1), tf.slice(p, 0, n - 1)]);
  return tf.mul(tf.sub(next, prev), 0.5);
}

interface AxisSpec {
  size: number;
  controlSize: number;
  continuous: boolean;
  positions?: tf.Tensor1D;
}

function axisCoords(axis: AxisSpec): tf.Tensor1D {
  if (!axis.continuous) return tf.range(0, axis.controlSize, 1, 'float32');
  if (axis.positions != null) return tf.mul(axis.positions, axis.controlSize - 1);
  return tf.tensor1d(uniformCoords(axis.size, axis.controlSize));
}

/**
 * Validates `options` for op `op` on controls `[...spatial, controlsIn, controlsOut]` (`taps` spatial positions)
 * with `nIn` sampled input channels (`undefined`: from the options) and returns the kernel inputs. Sizes are
 * bounded before anything is allocated (`MAX_CHANNELS` per axis, `MAX_SAMPLED_ELEMENTS` per weight). Call inside
 * the op's scope: the tensors are intermediates, and gradients flow from them to the positions.
 */
export function prepareSampling(
    op: string, controlsIn: number, controlsOut: number, nIn: number|undefined,
    options: IntegralOptions, taps = 1): SamplingTensors {
  assertArg(options != null && typeof options === 'object', op, 'options', 'an object', options);
  const {inContinuous = true, outContinuous = true, quadrature = 'trapezoid', cubicA = DEFAULT_CUBIC_A} = options;
  assertArg(typeof inContinuous === 'boolean', op, 'inContinuous', 'a boolean', inContinuous);
  assertArg(typeof outContinuous === 'boolean', op, 'outContinuous', 'a boolean', outContinuous);
  assertArg(QUADRATURE_RULES.includes(quadrature), op, 'quadrature', `one of ${QUADRATURE_RULES.join(', ')}`,
            quadrature);
  assertCubicA(op, 'cubicA', cubicA);

  const size = (arg: 'inSize'|'outSize', given: number|undefined, positions: tf.Tensor1D|undefined,
                controlSize: number, continuous: boolean) => {
    const posArg = arg === 'inSize' ? 'inPositions' : 'outPositions';
    if (positions != null) {
      assertArg(continuous, op, posArg, `absent on a discrete axis (${arg === 'inSize' ? 'inContinuous' : 'outContinuous'}: false)`, positions);
      checkPositions(op, posArg, positions, given);
    }
    const n = given ?? positions?.size ?? controlSize;
    assertArg(isPositiveInteger(n) && n <= MAX_CHANNELS, op, arg, `a positive integer ≤ ${MAX_CHANNELS}`, n);
    assertArg(continuous || n === controlSize, op, arg,
              `equal to the control size ${controlSize} on a discrete axis`, n);
    return n;
  };
  if (nIn != null) {
    assertArg(options.inSize == null || options.inSize === nIn, op, 'inSize',
              `omitted or equal to the input's channel count ${nIn}`, options.inSize);
  }
  const inSize = size('inSize', nIn ?? options.inSize, options.inPositions, controlsIn, inContinuous);
  const outSize = size('outSize', options.outSize, options.outPositions, controlsOut, outContinuous);
  assertArg(taps * inSize * outSize <= MAX_SAMPLED_ELEMENTS, op, 'outSize',
            `small enough for a sampled weight of at most ${MAX_SAMPLED_ELEMENTS} elements ` +
            `(${taps} × ${inSize} × ${outSize} asked)`, outSize);
  assertArg(options.inPositions == null || quadrature === 'trapezoid', op, 'quadrature',
            `'trapezoid' when inPositions are given (non-uniform points)`, quadrature);

  const inAxis = {size: inSize, controlSize: controlsIn, continuous: inContinuous, positions: options.inPositions};
  const outAxis = {size: outSize, controlSize: controlsOut, continuous: outContinuous, positions: options.outPositions};
  const scale = Math.max(controlsIn - 1, 1);
  let quadWeights: tf.Tensor1D;
  if (!inContinuous) {
    quadWeights = tf.ones([inSize]);
  } else if (options.inPositions != null) {
    quadWeights = tf.mul(trapezoidAt(options.inPositions), scale);
  } else {
    quadWeights = tf.tensor1d(Float32Array.from(uniformQuadrature(quadrature, inSize, scale)));
  }
  return {
    inCoords: axisCoords(inAxis),
    outCoords: axisCoords(outAxis),
    quadWeights,
    cubicA,
  };
}

/** Asserts that `x` is a float32 tensor of rank `rank` (argument `arg` of op `op`). */
export function checkTensor(op: string, arg: string, x: unknown, rank: number): asserts x is tf.Tensor {
  assertArg(x instanceof tf.Tensor, op, arg, `a Tensor`, x);
  assertArg(x.rank === rank, op, arg, `of rank ${rank}`, x);
  assertArg(x.dtype === 'float32', op, arg, 'float32', x);
}

/** A positive integer or a pair of them (argument `arg` of op `op`), as a pair. */
export function checkPair(op: string, arg: string, v: number|[number, number]): [number, number] {
  const p = (Array.isArray(v) ? v : [v, v]) as [number, number];
  assertArg(p.length === 2 && p.every(isPositiveInteger), op, arg, 'a positive integer or a pair of them', v);
  return p;
}
