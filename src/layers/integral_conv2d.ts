/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {integralConv2d} from '../ops/integral_conv2d';
import {IntegralConvLayer} from './integral_conv_layer';
import {convOutputLength, IntegralLayerArgs, singleShape} from './integral_layer_util';

/** Arguments of `tf.layers.conv2d`. */
export type ConvLayerArgs = Parameters<typeof tfl.layers.conv2d>[0];

/** Arguments of {@link IntegralConv2D}: everything `tf.layers.conv2d` takes, plus the integral options. */
export type IntegralConv2DArgs = ConvLayerArgs & IntegralLayerArgs;

/**
 * A 2-D convolution whose kernel is a weight function: a control grid `[kh, kw, C_in, C_out]` sampled at the input's
 * channel count and at `filters` output channels on every call. A drop-in twin of `tf.layers.conv2d`
 * (`channelsLast` only: `channelsFirst` is rejected with an error).
 */
export class IntegralConv2D extends IntegralConvLayer {
  /** The class name registered for serialization. */
  static className = 'IntegralConv2D';

  constructor(args: IntegralConv2DArgs) {
    super(IntegralConv2D.className, 'conv2d', args as IntegralConv2DArgs & {dilationRate?: number|number[]}, 2,
          ['valid', 'same']);
  }

  override computeOutputShape(inputShape: tfl.Shape|tfl.Shape[]): tfl.Shape {
    const shape = singleShape(inputShape);
    const out = (d: 0|1) =>
        convOutputLength(shape[d + 1], this.kernelSize[d], this.padding, this.strides[d], this.dilationRate[d]);
    return [shape[0], out(0), out(1), this.filters];
  }

  override call(inputs: tf.Tensor|tf.Tensor[], kwargs: {[key: string]: unknown}): tf.Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const [strides, dilations] = [this.strides, this.dilationRate] as Array<[number, number]>;
      const pad = this.padding as 'valid'|'same';
      return this.forward(
          this.inputChannels(x.shape[3])!, kernel => tf.conv2d(x, kernel as tf.Tensor4D, strides, pad, 'NHWC', dilations),
          (controls, options) => integralConv2d(x, controls as tf.Tensor4D, {...options, strides, pad, dilations}),
          (kernel, bias, activation) =>
              tf.fused.conv2d({x, filter: kernel as tf.Tensor4D, strides, pad, dilations, bias, activation}));
    });
  }
}
tf.serialization.registerClass(IntegralConv2D);
