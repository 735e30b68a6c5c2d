/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {IntegralWeight, IntegralWeightAttrs, IntegralWeightInputs} from '../../src/kernel_names';
import {defineKernel, inputTensor} from '../shared/kernel_util';
import {cubicTaps, sampledAlong} from './cubic_taps';

/** `W = q ⊙ (B_in · controls · B_outᵀ)` with standard ops: each axis sampled by its four cubic taps (gathers). */
export function integralWeightFromOps({inputs, attrs}: {inputs: IntegralWeightInputs, attrs: IntegralWeightAttrs}) {
  return tf.tidy(() => {
    const controls = inputTensor(inputs.controls) as tf.Tensor3D;
    const [, cIn, cOut] = controls.shape;
    const tapsIn = cubicTaps(inputTensor(inputs.inCoords) as tf.Tensor1D, cIn, attrs.cubicA, attrs.inDerivative);
    const tapsOut = cubicTaps(inputTensor(inputs.outCoords) as tf.Tensor1D, cOut, attrs.cubicA, attrs.outDerivative);
    const q = tf.reshape(inputTensor(inputs.quadWeights), [1, -1, 1]);
    return tf.mul(sampledAlong(sampledAlong(controls, tapsIn, 1), tapsOut, 2), q);
  });
}

/**
 * `IntegralWeight` on tensorflow (tfjs-node): standard ops, whose data may live on a GPU where host loops cannot
 * read it. Tested as the `composite` test backend (these kernels on cpu).
 */
export const integralWeightTensorflowConfig =
    defineKernel<IntegralWeightInputs, IntegralWeightAttrs>(IntegralWeight, 'tensorflow', integralWeightFromOps);
