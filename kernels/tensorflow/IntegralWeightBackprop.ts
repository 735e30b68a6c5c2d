/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {IntegralWeightBackprop, IntegralWeightBackpropAttrs, IntegralWeightBackpropInputs} from '../../src/kernel_names';
import {defineKernel, inputTensor} from '../shared/kernel_util';
import {cubicTaps, scatteredAlong} from './cubic_taps';

/** `dControls = B_inᵀ · (q ⊙ dy) · B_out` with standard ops: each axis spread back by its cubic taps (scatters). */
export function integralWeightBackpropFromOps(
    {inputs, attrs}: {inputs: IntegralWeightBackpropInputs, attrs: IntegralWeightBackpropAttrs}) {
  return tf.tidy(() => {
    const [, cIn, cOut] = attrs.controlsShape;
    const tapsIn = cubicTaps(inputTensor(inputs.inCoords) as tf.Tensor1D, cIn, attrs.cubicA, false);
    const tapsOut = cubicTaps(inputTensor(inputs.outCoords) as tf.Tensor1D, cOut, attrs.cubicA, false);
    const q = tf.reshape(inputTensor(inputs.quadWeights), [1, -1, 1]);
    const dy = tf.mul(inputTensor(inputs.dy), q) as tf.Tensor3D;
    return scatteredAlong(scatteredAlong(dy, tapsOut, cOut, 2), tapsIn, cIn, 1);
  });
}

/** `IntegralWeightBackprop` on tensorflow: standard ops (see `integralWeightTensorflowConfig`). */
export const integralWeightBackpropTensorflowConfig =
    defineKernel<IntegralWeightBackpropInputs, IntegralWeightBackpropAttrs>(
        IntegralWeightBackprop, 'tensorflow', integralWeightBackpropFromOps);
