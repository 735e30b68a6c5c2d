/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {IntegralConv2D, IntegralConv2DAttrs, IntegralConv2DInputs} from '../../src/kernel_names';
import {defineKernel, inputTensor} from '../shared/kernel_util';
import {sampledWeight} from './sampled_weight';

/**
 * `IntegralConv2D` in two stages: the backend's `IntegralWeight` kernel, then its own tuned `Conv2D`. Outputs
 * `[conv2d(x, W), W]`: the gradient reuses `W`.
 */
export const integralConv2DConfig = (backendName: string) =>
    defineKernel<IntegralConv2DInputs, IntegralConv2DAttrs>(IntegralConv2D, backendName, ({inputs, attrs}) =>
        tf.tidy(() => {
          const w = sampledWeight(inputs, attrs) as tf.Tensor4D;
          return [tf.conv2d(inputTensor<tf.Tensor4D>(inputs.x), w, attrs.strides, attrs.pad, 'NHWC', attrs.dilations), w];
        }));
