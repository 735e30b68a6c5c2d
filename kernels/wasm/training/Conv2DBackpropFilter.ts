/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {assertArg} from '../../../src/util/errors';
import {defineKernel, inputTensor} from '../../shared/kernel_util';

interface Conv2DBackpropFilterInputs extends tf.NamedTensorInfoMap {
  x: tf.TensorInfo;
  dy: tf.TensorInfo;
}

/**
 * tfjs 4.22's wasm backend has no `Conv2DBackpropFilter`, so convolutions cannot train there. The filter gradient
 * is itself a convolution once batch and channel axes swap roles:
 * `dW[a, b, i, o] = Σ_{n,y,x} x[n, y·sh + a - top, x·sw + b - left, i] · dy[n, y, x, o]` is a valid conv of
 * `x` as `[C_in, H, W, batch]` with `dy` as the filter `[oh, ow, batch, C_out]` and dilation = the strides.
 * It runs on wasm's own (XNNPACK) conv kernel.
 */
export const conv2DBackpropFilterWasmConfig = defineKernel<Conv2DBackpropFilterInputs, tf.Conv2DBackpropFilterAttrs>(
    tf.Conv2DBackpropFilter, 'wasm', ({inputs, attrs}) => tf.tidy(() => {
      const x = inputTensor<tf.Tensor4D>(inputs.x), dy = inputTensor<tf.Tensor4D>(inputs.dy);
      const {strides, pad, dimRoundingMode, filterShape, dataFormat} = attrs;
      assertArg(dataFormat === 'NHWC', 'Conv2DBackpropFilter (wasm)', 'dataFormat', `'NHWC'`, dataFormat);
      const [kh, kw] = filterShape;
      const info = tf.backend_util.computeConv2DInfo(
          x.shape, filterShape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
      const {top, left} = info.padInfo;
      // Rows the valid conv must see to produce kh outputs: kh - 1 + the dilated extent of dy.
      const needH = kh - 1 + (info.outHeight - 1) * info.strideHeight + 1;
      const needW = kw - 1 + (info.outWidth - 1) * info.strideWidth + 1;
      const cropped = tf.slice(x, [0, 0, 0, 0], [-1, Math.min(x.shape[1], needH - top), Math.min(x.shape[2], needW - left), -1]);
      const padded = tf.pad(cropped, [[0, 0], [top, Math.max(0, needH - top - cropped.shape[1])],
                                      [left, Math.max(0, needW - left - cropped.shape[2])], [0, 0]]);
      const grad = tf.conv2d(tf.transpose(padded, [3, 1, 2, 0]), tf.transpose(dy, [1, 2, 0, 3]), 1, 'valid', 'NHWC',
                             [info.strideHeight, info.strideWidth]);
      return tf.transpose(grad, [1, 2, 0, 3]);
    }));
