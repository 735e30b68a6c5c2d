/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {IntegralWeight, IntegralWeightAttrs, IntegralWeightInputs} from '../../src/kernel_names';
import {defineKernel, inputTensor} from '../shared/kernel_util';
import {interpolationMatrix} from './interpolation_matrix';

/** `W = q ⊙ (B_in · controls · B_outᵀ)` with dense banded interpolation matrices and standard ops. */
export function integralWeightFromOps({inputs, attrs}: {inputs: IntegralWeightInputs, attrs: IntegralWeightAttrs}) {
  return tf.tidy(() => {
    const controls = inputTensor(inputs.controls) as tf.Tensor3D;
    const [, cIn, cOut] = controls.shape;
    const bIn = interpolationMatrix(inputTensor(inputs.inCoords) as tf.Tensor1D, cIn, attrs.cubicA, attrs.inDerivative);
    const bOut =
        interpolationMatrix(inputTensor(inputs.outCoords) as tf.Tensor1D, cOut, attrs.cubicA, attrs.outDerivative);
    const q = tf.reshape(inputTensor(inputs.quadWeights), [-1, 1]);
    return tf.mul(tf.matMul(tf.matMul(bIn, controls), bOut, false, true), q);
  });
}

/**
 * `IntegralWeight` on tensorflow (tfjs-node): standard ops, whose data may live on a GPU where host loops cannot
 * read it. Tested as the `composite` test backend (these kernels on cpu).
 */
export const integralWeightTensorflowConfig =
    defineKernel<IntegralWeightInputs, IntegralWeightAttrs>(IntegralWeight, 'tensorflow', integralWeightFromOps);
