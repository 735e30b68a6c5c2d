/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {IntegralConv2D, IntegralConv2DAttrs} from '../kernel_names';
import {runKernel} from '../util/run_kernel';
import {dilateFilter, undilateFilter} from './dilation';
import {samplingGradients} from './weight_gradients';

/**
 * Gradient of `IntegralConv2D`: tfjs's `Conv2DBackpropInput` / `Conv2DBackpropFilter` kernels on the (dilated)
 * sampled filter, then the filter gradient pulled back to the sampling inputs.
 */
export const integralConv2DGradConfig: tf.GradConfig = {
  kernelName: IntegralConv2D,
  inputsToSave: ['x', 'controls', 'inCoords', 'outCoords', 'quadWeights'],
  outputsToSave: [false, true],
  gradFunc: (dy: tf.Tensor|tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const [x, controls, inCoords, outCoords, quadWeights, w] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D,
                                                                        tf.Tensor1D, tf.Tensor1D, tf.Tensor4D];
    const $dy = (Array.isArray(dy) ? dy[0] : dy) as tf.Tensor4D;
    const {cubicA, strides, pad, dilations} = attrs as unknown as IntegralConv2DAttrs;
    const s = {controls, inCoords, outCoords, quadWeights};
    const [kh, kw] = controls.shape;
    const dilatedShape = [(kh - 1) * dilations[0] + 1, (kw - 1) * dilations[1] + 1, inCoords.size, outCoords.size];
    const convAttrs = {strides, pad, dataFormat: 'NHWC'};
    return {
      x: () => runKernel(tf.Conv2DBackpropInput,
                         {dy: $dy, filter: dilateFilter(w, dilations)},
                         {...convAttrs, inputShape: x.shape}),
      ...samplingGradients(
          () => undilateFilter(
              runKernel(tf.Conv2DBackpropFilter, {x, dy: $dy}, {...convAttrs, filterShape: dilatedShape}), dilations),
          s, {cubicA}),
    };
  },
};
