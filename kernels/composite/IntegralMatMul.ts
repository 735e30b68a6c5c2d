/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {IntegralMatMul, IntegralMatMulAttrs, IntegralMatMulInputs} from '../../src/kernel_names';
import {defineKernel, inputTensor} from '../shared/kernel_util';
import {sampledWeight} from './sampled_weight';

/**
 * `IntegralMatMul` in two stages: the backend's `IntegralWeight` kernel synthesizes `W` once per call (O(weights)
 * work), then the backend's own tuned `BatchMatMul` multiplies, so every backend's matmul tuning applies.
 * Outputs `[x · W, W]`: the gradient reuses `W`.
 */
export const integralMatMulConfig = (backendName: string) =>
    defineKernel<IntegralMatMulInputs, IntegralMatMulAttrs>(IntegralMatMul, backendName, ({inputs, attrs}) =>
        tf.tidy(() => {
          const w = sampledWeight(inputs, attrs) as tf.Tensor2D;
          return [tf.matMul(inputTensor<tf.Tensor2D>(inputs.x), w), w];
        }));
