/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {IntegralSamplingAttrs, IntegralSamplingInputs, IntegralWeight, IntegralWeightAttrs} from '../../src/kernel_names';
import {runKernel} from '../../src/util/run_kernel';
import {inputTensor} from '../shared/kernel_util';

/**
 * Runs the active backend's `IntegralWeight` kernel on `controls [...spatial, C_in, C_out]` and returns the
 * weight `[...spatial, n_in, n_out]`. Call inside a kernel (no tape) and a `tidy`.
 */
export function sampledWeight(
    inputs: IntegralSamplingInputs & {controls: tf.TensorInfo}, attrs: IntegralSamplingAttrs): tf.Tensor {
  const {controls, inCoords, outCoords, quadWeights} = inputs;
  const spatial = controls.shape.slice(0, -2);
  const [cIn, cOut] = controls.shape.slice(-2);
  const canonical = tf.reshape(inputTensor(controls), [-1, cIn, cOut]);
  const weightAttrs: IntegralWeightAttrs = {cubicA: attrs.cubicA, inDerivative: false, outDerivative: false};
  const w = runKernel(IntegralWeight, {controls: canonical, inCoords, outCoords, quadWeights}, weightAttrs);
  return tf.reshape(w, [...spatial, inCoords.shape[0], outCoords.shape[0]]);
}
