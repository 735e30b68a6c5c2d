/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {IntegralWeightBackprop, IntegralWeightBackpropAttrs, IntegralWeightBackpropInputs} from '../../src/kernel_names';
import {defineKernel, inputTensor} from '../shared/kernel_util';
import {interpolationMatrix} from './interpolation_matrix';

/** `dControls = B_inᵀ · (q ⊙ dy) · B_out` with standard ops. */
export function integralWeightBackpropFromOps(
    {inputs, attrs}: {inputs: IntegralWeightBackpropInputs, attrs: IntegralWeightBackpropAttrs}) {
  return tf.tidy(() => {
    const [, cIn, cOut] = attrs.controlsShape;
    const bIn = interpolationMatrix(inputTensor(inputs.inCoords) as tf.Tensor1D, cIn, attrs.cubicA, false);
    const bOut = interpolationMatrix(inputTensor(inputs.outCoords) as tf.Tensor1D, cOut, attrs.cubicA, false);
    const q = tf.reshape(inputTensor(inputs.quadWeights), [-1, 1]);
    return tf.matMul(tf.matMul(bIn, tf.mul(inputTensor(inputs.dy), q), true, false), bOut);
  });
}

/** `IntegralWeightBackprop` on tensorflow: standard ops (see `integralWeightTensorflowConfig`). */
export const integralWeightBackpropTensorflowConfig =
    defineKernel<IntegralWeightBackpropInputs, IntegralWeightBackpropAttrs>(
        IntegralWeightBackprop, 'tensorflow', integralWeightBackpropFromOps);
