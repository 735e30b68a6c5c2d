/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {assertArg} from '../../../src/util/errors';
import {defineKernel, inputTensor} from '../../shared/kernel_util';
import {spreadByStrides} from './spread';

interface Conv2DBackpropInputInputs extends tf.NamedTensorInfoMap {
  dy: tf.TensorInfo;
  filter: tf.TensorInfo;
}

/**
 * `Conv2DBackpropInput` for wasm as a forward convolution on wasm's XNNPACK kernel: `dy`, spread by the strides and
 * padded by `k - 1 - pad`, convolved with the filter rotated by 180° and with its channel axes swapped.
 * tfjs 4.22's own wasm kernel for it is a plain loop that took two thirds of a training step of the demo CNN
 * (measured: 916 ms of 1390 ms at batch 128).
 */
export const conv2DBackpropInputWasmConfig = defineKernel<Conv2DBackpropInputInputs, tf.Conv2DBackpropInputAttrs>(
    tf.Conv2DBackpropInput, 'wasm', ({inputs, attrs}) => tf.tidy(() => {
      const dy = inputTensor<tf.Tensor4D>(inputs.dy), filter = inputTensor<tf.Tensor4D>(inputs.filter);
      const {strides, pad, dimRoundingMode, inputShape, dataFormat} = attrs;
      assertArg(dataFormat === 'NHWC', 'Conv2DBackpropInput (wasm)', 'dataFormat', `'NHWC'`, dataFormat);
      const [kh, kw] = filter.shape;
      const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, strides, 1, pad, dimRoundingMode);
      const spread = spreadByStrides(dy, info.strideHeight, info.strideWidth);
      const [top, left] = [kh - 1 - info.padInfo.top, kw - 1 - info.padInfo.left];
      const [bottom, right] = [info.inHeight + kh - 1 - top - spread.shape[1], info.inWidth + kw - 1 - left - spread.shape[2]];
      // A negative far-side padding means rows the input never reached: crop them.
      const cropped = tf.slice(spread, 0, [-1, spread.shape[1] + Math.min(bottom, 0), spread.shape[2] + Math.min(right, 0), -1]);
      const padded = tf.pad(cropped, [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]]);
      const rotated = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
      return tf.conv2d(padded, rotated, 1, 'valid');
    }));
