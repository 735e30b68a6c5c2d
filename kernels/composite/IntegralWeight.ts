/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {IntegralWeight, IntegralWeightAttrs, IntegralWeightBackprop, IntegralWeightBackpropAttrs, IntegralWeightBackpropInputs, IntegralWeightInputs} from '../../src/kernel_names';
import {defineKernel, inputTensor} from '../shared/kernel_util';
import {interpolationMatrix} from './interpolation_matrix';

/** `W = q ⊙ (B_in · controls · B_outᵀ)` with dense banded interpolation matrices and standard ops. */
function integralWeightComposite({inputs, attrs}: {inputs: IntegralWeightInputs, attrs: IntegralWeightAttrs}) {
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

/** `dControls = B_inᵀ · (q ⊙ dy) · B_out` with standard ops. */
function integralWeightBackpropComposite(
    {inputs, attrs}: {inputs: IntegralWeightBackpropInputs, attrs: IntegralWeightBackpropAttrs}) {
  return tf.tidy(() => {
    const [, cIn, cOut] = attrs.controlsShape;
    const bIn = interpolationMatrix(inputTensor(inputs.inCoords) as tf.Tensor1D, cIn, attrs.cubicA, false);
    const bOut = interpolationMatrix(inputTensor(inputs.outCoords) as tf.Tensor1D, cOut, attrs.cubicA, false);
    const q = tf.reshape(inputTensor(inputs.quadWeights), [-1, 1]);
    return tf.matMul(tf.matMul(bIn, tf.mul(inputTensor(inputs.dy), q), true, false), bOut);
  });
}

/** `IntegralWeight` built from standard ops, for backends without a native program (wasm, tensorflow). */
export const integralWeightCompositeConfig = (backendName: string) =>
    defineKernel<IntegralWeightInputs, IntegralWeightAttrs>(IntegralWeight, backendName, integralWeightComposite);

/** `IntegralWeightBackprop` built from standard ops. */
export const integralWeightBackpropCompositeConfig = (backendName: string) =>
    defineKernel<IntegralWeightBackpropInputs, IntegralWeightBackpropAttrs>(
        IntegralWeightBackprop, backendName, integralWeightBackpropComposite);
