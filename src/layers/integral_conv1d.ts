/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {integralConv1d} from '../ops/integral_conv1d';
import {IntegralConvLayer} from './integral_conv_layer';
import {convOutputLength, IntegralLayerArgs, singleShape} from './integral_layer_util';

/** Arguments of `tf.layers.conv1d`. */
export type Conv1DLayerArgs = Parameters<typeof tfl.layers.conv1d>[0];

/** Arguments of {@link IntegralConv1D}: everything `tf.layers.conv1d` takes, plus the integral options. */
export type IntegralConv1DArgs = Conv1DLayerArgs & IntegralLayerArgs;

/**
 * A 1-D convolution whose kernel is a weight function: a control grid `[k, C_in, C_out]` sampled at the input's
 * channel count and at `filters` output channels on every call. A drop-in twin of `tf.layers.conv1d`, `'causal'`
 * padding included (`channelsLast` only).
 */
export class IntegralConv1D extends IntegralConvLayer {
  /** The class name registered for serialization. */
  static className = 'IntegralConv1D';

  constructor(args: IntegralConv1DArgs) {
    super(IntegralConv1D.className, 'conv1d', args as IntegralConv1DArgs & {dilationRate?: number|number[]}, 1,
          ['valid', 'same', 'causal']);
  }

  override computeOutputShape(inputShape: tfl.Shape|tfl.Shape[]): tfl.Shape {
    const shape = singleShape(inputShape);
    return [shape[0], convOutputLength(shape[1], this.kernelSize[0], this.padding, this.strides[0], this.dilationRate[0]),
            this.filters];
  }

  override call(inputs: tf.Tensor|tf.Tensor[], kwargs: {[key: string]: unknown}): tf.Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const [k, stride, dilation] = [this.kernelSize[0], this.strides[0], this.dilationRate[0]];
      const pad = this.padding as 'valid'|'same'|'causal';
      const causal = pad === 'causal';
      const stock = (kernel: tf.Tensor) => {
        const padded = causal ? tf.pad(x, [[0, 0], [(k - 1) * dilation, 0], [0, 0]]) : x;
        return tf.conv1d(padded, kernel as tf.Tensor3D, stride, causal ? 'valid' : pad as 'valid'|'same', 'NWC', dilation);
      };
      return this.forward(this.inputChannels(x.shape[2])!, stock,
                          (controls, options) => integralConv1d(x, controls as tf.Tensor3D, {...options, stride, dilation, pad}));
    });
  }
}
tf.serialization.registerClass(IntegralConv1D);
