/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {IntegralMatMul, IntegralMatMulAttrs, IntegralMatMulInputs} from '../../src/kernel_names';
import {defineKernel, inputTensor} from '../shared/kernel_util';
import {sampledWeight} from './sampled_weight';

/**
 * `IntegralMatMul` in two stages: the backend's `IntegralWeight` kernel synthesizes `W` (O(weights) work),
 * then the backend's own tuned `BatchMatMul` multiplies. Measured faster than a single fused pass on
 * WebGPU (the weight is read once per tile instead of once per output row block).
 */
export const integralMatMulConfig = (backendName: string) =>
    defineKernel<IntegralMatMulInputs, IntegralMatMulAttrs>(IntegralMatMul, backendName, ({inputs, attrs}) =>
        tf.tidy(() => tf.matMul(inputTensor<tf.Tensor2D>(inputs.x),
                                sampledWeight(inputs, attrs) as tf.Tensor2D)));
