/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {defineKernel, inputTensor} from '../../shared/kernel_util';
import {DepthwiseTaps} from './depthwise_taps';

interface FilterGradInputs extends tf.NamedTensorInfoMap {
  x: tf.TensorInfo;
  dy: tf.TensorInfo;
}
interface InputGradInputs extends tf.NamedTensorInfoMap {
  dy: tf.TensorInfo;
  filter: tf.TensorInfo;
}

/** `dy [B, oh, ow, C·m]` as `[B, oh, ow, C, m]` (output channel `c·m + j` comes from input channel `c`). */
const splitMultiplier = (dy: tf.Tensor4D, m: number) => tf.reshape(dy, [...dy.shape.slice(0, 3), -1, m]);

/**
 * `DepthwiseConv2dNativeBackpropFilter` for wasm (tfjs 4.22 has none): per filter tap `(a, b)`,
 * `dW[a, b, c, j] = Σ_{n,y,x} window_ab(x)[n, y, x, c] · dy[n, y, x, c·m + j]`.
 */
export const depthwiseConv2dNativeBackpropFilterWasmConfig =
    defineKernel<FilterGradInputs, tf.DepthwiseConv2dNativeBackpropFilterAttrs>(
        tf.DepthwiseConv2dNativeBackpropFilter, 'wasm', ({inputs, attrs}) => tf.tidy(() => {
          const x = inputTensor<tf.Tensor4D>(inputs.x), dy = inputTensor<tf.Tensor4D>(inputs.dy);
          const [kh, kw, , m] = attrs.filterShape;
          const taps = new DepthwiseTaps(x.shape, attrs.filterShape, attrs);
          const padded = taps.padInput(x), dy5 = splitMultiplier(dy, m);
          const grads: tf.Tensor[] = [];
          for (let a = 0; a < kh; a++) {
            for (let b = 0; b < kw; b++) {
              grads.push(tf.sum(tf.mul(tf.expandDims(taps.window(padded, a, b), 4), dy5), [0, 1, 2]));
            }
          }
          return tf.reshape(tf.stack(grads), attrs.filterShape);
        }));

/**
 * `DepthwiseConv2dNativeBackpropInput` for wasm: per filter tap, `Σ_j dy[..., c·m + j] · W[a, b, c, j]` placed back
 * where that tap read the input, summed over taps.
 */
export const depthwiseConv2dNativeBackpropInputWasmConfig =
    defineKernel<InputGradInputs, tf.DepthwiseConv2dNativeBackpropInputAttrs>(
        tf.DepthwiseConv2dNativeBackpropInput, 'wasm', ({inputs, attrs}) => tf.tidy(() => {
          const dy = inputTensor<tf.Tensor4D>(inputs.dy), filter = inputTensor<tf.Tensor4D>(inputs.filter);
          const [kh, kw, c, m] = filter.shape;
          const taps = new DepthwiseTaps(attrs.inputShape, filter.shape, attrs);
          const dy5 = splitMultiplier(dy, m);
          let sum: tf.Tensor4D|null = null;
          for (let a = 0; a < kh; a++) {
            for (let b = 0; b < kw; b++) {
              const w = tf.reshape(tf.slice(filter, [a, b, 0, 0], [1, 1, c, m]), [1, 1, 1, c, m]);
              const placed = taps.place(tf.sum(tf.mul(dy5, w), 4) as tf.Tensor4D, a, b);
              sum = sum == null ? placed : tf.add(sum, placed) as tf.Tensor4D;
            }
          }
          return taps.crop(sum!);
        }));
