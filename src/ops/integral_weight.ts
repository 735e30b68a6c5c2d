/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {IntegralWeight, IntegralWeightAttrs} from '../kernel_names';
import {assertArg} from '../util/errors';
import {runKernel} from '../util/run_kernel';
import {IntegralOptions, prepareSampling} from './sampling';

/** The implementation of {@link integralWeight}. */
function integralWeight_(controls: tf.Tensor, options: IntegralOptions = {}): tf.Tensor {
  const op = 'integralWeight';
  assertArg(controls instanceof tf.Tensor && controls.rank >= 2 && controls.dtype === 'float32', op, 'controls',
            'a float32 Tensor of rank ≥ 2', controls);
  const spatial = controls.shape.slice(0, -2);
  const [cIn, cOut] = controls.shape.slice(-2);
  const s = prepareSampling(op, cIn, cOut, undefined, options, spatial.reduce((a, b) => a * b, 1));
  const attrs: IntegralWeightAttrs = {cubicA: s.cubicA, inDerivative: false, outDerivative: false};
  const w = runKernel(IntegralWeight, {
    controls: tf.reshape(controls, [-1, cIn, cOut]),
    inCoords: s.inCoords,
    outCoords: s.outCoords,
    quadWeights: s.quadWeights,
  }, attrs);
  return tf.reshape(w, [...spatial, s.inCoords.size, s.outCoords.size]);
}

/**
 * Samples the weight function stored in `controls` (docs/api.md §1): the effective discrete weight
 * `W[..., i, o] = q_i Σ_k Σ_l K(t_i - k) K(s_o - l) controls[..., k, l]`.
 *
 * ```js
 * const controls = tf.randomNormal([3, 3, 64, 32]);          // conv control grid
 * const w = tfi.integralWeight(controls, {inSize: 48, outSize: 16});   // [3, 3, 48, 16]
 * ```
 *
 * @param controls Control grid `[...spatial, C_in, C_out]`, float32, rank ≥ 2.
 * @param options Sampling: sizes, continuous/discrete axes, quadrature, `cubicA`, positions.
 * @returns The weight `[...spatial, n_in, n_out]`; differentiable in `controls` and positions.
 */
export const integralWeight = /* @__PURE__ */ tf.op({integralWeight_});
