/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {IntegralMatMul, IntegralMatMulAttrs} from '../kernel_names';
import {samplingGradients} from './weight_gradients';

/** Gradient of `IntegralMatMul`: `dx = dy Wᵀ`, and `dW = xᵀ dy` pulled back to the sampling inputs. */
export const integralMatMulGradConfig: tf.GradConfig = {
  kernelName: IntegralMatMul,
  inputsToSave: ['x', 'controls', 'inCoords', 'outCoords', 'quadWeights'],
  outputsToSave: [false, true],
  gradFunc: (dy: tf.Tensor|tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const [x, controls, inCoords, outCoords, quadWeights, w] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D,
                                                                        tf.Tensor1D, tf.Tensor1D, tf.Tensor2D];
    const $dy = (Array.isArray(dy) ? dy[0] : dy) as tf.Tensor2D;
    const s = {controls, inCoords, outCoords, quadWeights};
    const {cubicA} = attrs as unknown as IntegralMatMulAttrs;
    return {
      x: () => tf.matMul($dy, w, false, true),
      ...samplingGradients(() => tf.matMul(x, $dy, true, false), s, {cubicA}),
    };
  },
};
