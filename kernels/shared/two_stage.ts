/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {IntegralConv2D, IntegralConv2DAttrs, IntegralConv2DInputs, IntegralMatMul, IntegralMatMulAttrs, IntegralMatMulInputs, IntegralSamplingAttrs, IntegralSamplingInputs, IntegralWeight, IntegralWeightAttrs} from '../../src/kernel_names';
import {runKernel} from '../../src/util/run_kernel';
import {defineKernel, inputTensor} from './kernel_util';

/**
 * Runs the active backend's `IntegralWeight` kernel on `controls [...spatial, C_in, C_out]` and returns the
 * weight `[...spatial, n_in, n_out]`. Call inside a kernel (no tape) and a `tidy`.
 */
function sampledWeight(inputs: IntegralSamplingInputs & {controls: tf.TensorInfo}, attrs: IntegralSamplingAttrs):
    tf.Tensor {
  const {controls, inCoords, outCoords, quadWeights} = inputs;
  const spatial = controls.shape.slice(0, -2);
  const [cIn, cOut] = controls.shape.slice(-2);
  const canonical = tf.reshape(inputTensor(controls), [-1, cIn, cOut]);
  const weightAttrs: IntegralWeightAttrs = {cubicA: attrs.cubicA, inDerivative: false, outDerivative: false};
  const w = runKernel(IntegralWeight, {controls: canonical, inCoords, outCoords, quadWeights}, weightAttrs);
  return tf.reshape(w, [...spatial, inCoords.shape[0], outCoords.shape[0]]);
}

/**
 * `IntegralMatMul` on `backendName` in two stages, not one fused kernel: that backend's `IntegralWeight` kernel
 * synthesizes `W` (O(weights) work), then its own tuned `BatchMatMul` multiplies. Outputs `[x · W, W]`: the
 * gradient reuses `W`.
 */
export const integralMatMulConfig = (backendName: string) =>
    defineKernel<IntegralMatMulInputs, IntegralMatMulAttrs>(IntegralMatMul, backendName, ({inputs, attrs}) =>
        tf.tidy(() => {
          const w = sampledWeight(inputs, attrs) as tf.Tensor2D;
          return [tf.matMul(inputTensor<tf.Tensor2D>(inputs.x), w), w];
        }));

/**
 * `IntegralConv2D` on `backendName` in two stages: that backend's `IntegralWeight` kernel, then its own tuned
 * `Conv2D`. Outputs `[conv2d(x, W), W]`: the gradient reuses `W`.
 */
export const integralConv2DConfig = (backendName: string) =>
    defineKernel<IntegralConv2DInputs, IntegralConv2DAttrs>(IntegralConv2D, backendName, ({inputs, attrs}) =>
        tf.tidy(() => {
          const w = sampledWeight(inputs, attrs) as tf.Tensor4D;
          return [tf.conv2d(inputTensor<tf.Tensor4D>(inputs.x), w, attrs.strides, attrs.pad, 'NHWC', attrs.dilations), w];
        }));
