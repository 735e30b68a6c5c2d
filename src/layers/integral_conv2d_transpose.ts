/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {integralConv2dTranspose} from '../ops/integral_conv2d_transpose';
import {assertArg} from '../util/errors';
import {IntegralConvLayer} from './integral_conv_layer';
import {InputAxisLayout, IntegralLayerArgs, singleShape} from './integral_layer_util';

/** Arguments of `tf.layers.conv2dTranspose`. */
export type Conv2DTransposeLayerArgs = Parameters<typeof tfl.layers.conv2dTranspose>[0];

/** Arguments of {@link IntegralConv2DTranspose}: everything `tf.layers.conv2dTranspose` takes, plus the options. */
export type IntegralConv2DTransposeArgs = Conv2DTransposeLayerArgs & IntegralLayerArgs;

/**
 * A transposed 2-D convolution whose kernel is a weight function: a control grid `[kh, kw, C_out, C_in]` (tfjs's
 * layout) sampled at the input's channel count (its last axis, integrated) and at `filters` output channels on
 * every call. A drop-in twin of `tf.layers.conv2dTranspose` (`channelsLast` only).
 */
export class IntegralConv2DTranspose extends IntegralConvLayer {
  /** The class name registered for serialization. */
  static className = 'IntegralConv2DTranspose';

  constructor(args: IntegralConv2DTransposeArgs) {
    super(IntegralConv2DTranspose.className, 'conv2dTranspose',
          args as IntegralConv2DTransposeArgs & {dilationRate?: number|number[]}, 2, ['valid', 'same']);
    assertArg(this.dilationRate.every(d => d === 1), `IntegralConv2DTranspose '${this.name}'`, 'dilationRate',
              '1 (as tf.layers.conv2dTranspose)', args.dilationRate);
  }

  protected override get inputLayout(): InputAxisLayout {
    return {...super.inputLayout, transposed: true};
  }

  override computeOutputShape(inputShape: tfl.Shape|tfl.Shape[]): tfl.Shape {
    const shape = singleShape(inputShape);
    const out = (d: 0|1) => {
      const len = shape[d + 1];
      if (len == null) return null;
      return len * this.strides[d] + (this.padding === 'same' ? 0 : Math.max(this.kernelSize[d] - this.strides[d], 0));
    };
    return [shape[0], out(0), out(1), this.filters];
  }

  override call(inputs: tf.Tensor|tf.Tensor[], kwargs: {[key: string]: unknown}): tf.Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const strides = this.strides as [number, number], pad = this.padding as 'valid'|'same';
      const outShape = this.computeOutputShape(x.shape) as number[];
      return this.forward(
          this.inputChannels(x.shape[3])!,
          kernel => tf.conv2dTranspose(x, kernel as tf.Tensor4D, [x.shape[0], outShape[1], outShape[2], this.filters],
                                       strides, pad),
          (controls, options) => integralConv2dTranspose(x, controls as tf.Tensor4D, {...options, strides, pad}));
    });
  }
}
tf.serialization.registerClass(IntegralConv2DTranspose);
