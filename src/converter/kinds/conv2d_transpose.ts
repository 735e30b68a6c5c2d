/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {IntegralConv2DTranspose} from '../../layers/integral_conv2d_transpose';
import {RowSelection, spreadPixels, unfold} from '../patches';
import {configTuple, kernelProducer, producerCalibration} from './kind_util';

/**
 * The transposed convolution as a correlation of its input with `s - 1` zeros spread between pixels, padded by
 * `k - 1 - before` on the left (`before`: the padding of the convolution it transposes), with the flipped kernel
 * (all rows, or those `keep` selects).
 */
function transposedPatches(x: tf.Tensor, config: Record<string, unknown>, kernelShape: number[],
                           keep?: RowSelection): tf.Tensor2D {
  return tf.tidy(() => {
    const [kh, kw] = kernelShape;
    const strides = configTuple(config.strides, 2);
    const spread = spreadPixels(x as tf.Tensor4D, strides);
    const pads = [[x.shape[1]!, kh, spread.shape[1]], [x.shape[2]!, kw, spread.shape[2]]].map(([len, k, spreadLen], d) => {
      const out = len * strides[d] + (config.padding === 'same' ? 0 : Math.max(k - strides[d], 0));
      const before = config.padding === 'same' ? Math.floor(Math.max((len - 1) * strides[d] + k - out, 0) / 2) : 0;
      const left = k - 1 - before;
      return [left, out + k - 1 - left - spreadLen];
    });
    return unfold(spread, [kh, kw], [1, 1], [1, 1], {top: pads[0][0], bottom: pads[0][1], left: pads[1][0], right: pads[1][1]},
                  keep);
  });
}

/**
 * Conv2DTranspose: a producer whose kernel is `[kh, kw, C_out, C_in]` (the input axis last, integrated); twin
 * IntegralConv2DTranspose.
 */
export const conv2dTransposeKind = kernelProducer(['Conv2DTranspose'], {
  className: IntegralConv2DTranspose.className,
  widthKey: 'filters',
  stockClassName: 'Conv2DTranspose',
  transposed: true,
}, producerCalibration({
  patches: transposedPatches,
  // [kh, kw, C_out, C_in] flipped in space, as [kh·kw·C_in, C_out].
  toMatrix: kernel => tf.tidy(() => {
    const [kh, kw, co, ci] = kernel.shape;
    return tf.reshape(tf.transpose(tf.reverse(kernel, [0, 1]), [0, 1, 3, 2]), [kh * kw * ci, co]) as tf.Tensor2D;
  }),
  fromMatrix: (matrix, [kh, kw, co, ci]) =>
      tf.tidy(() => tf.reverse(tf.transpose(tf.reshape(matrix, [kh, kw, ci, co]), [0, 1, 3, 2]), [0, 1])),
}));
