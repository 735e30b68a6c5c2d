/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {IntegralMatMul, IntegralMatMulAttrs} from '../kernel_names';
import {runKernel} from '../util/run_kernel';
import {checkTensor, IntegralOptions, prepareSampling} from './sampling';

/** The implementation of {@link integralMatMul}. */
function integralMatMul_(x: tf.Tensor2D, controls: tf.Tensor2D, options: IntegralOptions = {}): tf.Tensor2D {
  const op = 'integralMatMul';
  checkTensor(op, 'x', x, 2);
  checkTensor(op, 'controls', controls, 2);
  const s = prepareSampling(op, controls.shape[0], controls.shape[1], x.shape[1], options);
  const attrs: IntegralMatMulAttrs = {cubicA: s.cubicA};
  const [y] = runKernel<[tf.Tensor2D, tf.Tensor2D]>(IntegralMatMul, {
    x,
    controls,
    inCoords: s.inCoords,
    outCoords: s.outCoords,
    quadWeights: s.quadWeights,
  }, attrs);
  return y;  // the kernel's second output, the sampled weight, is kept for the gradient only
}

/**
 * `x · W` where `W = integralWeight(controls, {inSize: n_in, ...options})` is sampled from the weight function
 * at the input's channel count `n_in`. Runs the registered fused kernel of the active backend.
 *
 * ```js
 * const x = tf.randomNormal([8, 48]);
 * const y = tfi.integralMatMul(x, tf.randomNormal([64, 32]), {outSize: 16});   // [8, 16]
 * ```
 *
 * @param x Input `[batch, n_in]`, float32.
 * @param controls Control grid `[C_in, C_out]`, float32.
 * @param options Sampling options (`inSize` comes from `x`).
 * @returns `[batch, n_out]`; differentiable in `x`, `controls` and positions.
 */
export const integralMatMul = /* @__PURE__ */ tf.op({integralMatMul_});
