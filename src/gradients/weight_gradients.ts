/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {IntegralSamplingAttrs, IntegralWeight, IntegralWeightAttrs, IntegralWeightBackprop, IntegralWeightBackpropAttrs} from '../kernel_names';
import {runKernel} from '../util/run_kernel';

/** The saved sampling tensors of an integral kernel, in input order. */
export interface SavedSampling {
  controls: tf.Tensor;
  inCoords: tf.Tensor1D;
  outCoords: tf.Tensor1D;
  quadWeights: tf.Tensor1D;
}

/** Runs the `IntegralWeight` kernel on a rank-3 view of `controls`, with optional derivative axes and weights. */
export function sampleWeight3(
    s: SavedSampling, cubicA: number, quadWeights = s.quadWeights, inDerivative = false,
    outDerivative = false): tf.Tensor3D {
  const [cIn, cOut] = s.controls.shape.slice(-2);
  const attrs: IntegralWeightAttrs = {cubicA, inDerivative, outDerivative};
  return runKernel(IntegralWeight, {
    controls: tf.reshape(s.controls, [-1, cIn, cOut]),
    inCoords: s.inCoords,
    outCoords: s.outCoords,
    quadWeights,
  }, attrs);
}

/**
 * Gradient thunks of the sampling inputs given a thunk of `dW = ∂L/∂W` (any shape ending in
 * `[n_in, n_out]`; computed only by the thunks that need it):
 * - controls: `B_inᵀ (q ⊙ dW) B_out` (the `IntegralWeightBackprop` kernel);
 * - quadWeights: `Σ dW ⊙ (B_in Λ B_outᵀ)` over all but the input axis;
 * - inCoords / outCoords: `Σ dW ⊙ W'` with `W'` sampled with `K'` along that axis.
 * The tape only calls the thunks of inputs that lead to the requested gradients, so the coordinate terms
 * cost nothing unless positions are trained.
 */
export function samplingGradients(dW: () => tf.Tensor, s: SavedSampling, {cubicA}: IntegralSamplingAttrs) {
  const nIn = s.inCoords.size, nOut = s.outCoords.size;
  const [cIn, cOut] = s.controls.shape.slice(-2);
  const dW3 = () => tf.reshape(dW(), [-1, nIn, nOut]);
  const sumExcept = (t: tf.Tensor, axis: number) => tf.sum(t, [0, 1, 2].filter(a => a !== axis));
  return {
    controls: () => {
      const attrs: IntegralWeightBackpropAttrs = {cubicA, controlsShape: [s.controls.size / (cIn * cOut), cIn, cOut]};
      const d = runKernel(IntegralWeightBackprop, {dy: dW3(), ...pickSampling(s)}, attrs);
      return tf.reshape(d, s.controls.shape);
    },
    quadWeights: () => sumExcept(tf.mul(dW3(), sampleWeight3(s, cubicA, tf.onesLike(s.quadWeights))), 1),
    inCoords: () => sumExcept(tf.mul(dW3(), sampleWeight3(s, cubicA, s.quadWeights, true, false)), 1),
    outCoords: () => sumExcept(tf.mul(dW3(), sampleWeight3(s, cubicA, s.quadWeights, false, true)), 2),
  };
}

function pickSampling(s: SavedSampling) {
  return {inCoords: s.inCoords, outCoords: s.outCoords, quadWeights: s.quadWeights};
}
