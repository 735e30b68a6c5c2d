/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {integralConv2d} from '../ops/integral_conv2d';
import {IntegralLayer} from './integral_layer';
import {convOutputLength, IntegralLayerArgs, pair, rejectChannelsFirst, singleShape} from './integral_layer_util';

/** Arguments of `tf.layers.conv2d`. */
export type ConvLayerArgs = Parameters<typeof tfl.layers.conv2d>[0];

/** Arguments of {@link IntegralConv2D}: everything `tf.layers.conv2d` takes, plus the integral options. */
export type IntegralConv2DArgs = ConvLayerArgs & IntegralLayerArgs;

/**
 * A 2-D convolution whose kernel is a weight function: a control grid `[kh, kw, C_in, C_out]` sampled at the input's
 * channel count and at `filters` output channels on every call. A drop-in twin of `tf.layers.conv2d`
 * (`channelsLast` only: `channelsFirst` is rejected with an error).
 */
export class IntegralConv2D extends IntegralLayer {
  /** @nocollapse */
  static className = 'IntegralConv2D';
  protected readonly widthKey = 'filters';

  /** Sampled output channels. */
  get filters(): number {
    return this.outSize;
  }
  private readonly kernelSize: [number, number];
  private readonly strides: [number, number];
  private readonly dilationRate: [number, number];
  private readonly padding: 'valid'|'same';

  constructor(args: IntegralConv2DArgs) {
    rejectChannelsFirst(IntegralConv2D.className, args, ['valid', 'same']);
    super(IntegralConv2D.className, 'conv2d', args, args.filters);
    this.kernelSize = pair(args.kernelSize);
    this.strides = pair(args.strides);
    this.dilationRate = pair(args.dilationRate as number|number[]|undefined);
    this.padding = (args.padding ?? 'valid') as 'valid'|'same';
    this.inputSpec = [{ndim: 4}];
  }

  override build(inputShape: tfl.Shape|tfl.Shape[]): void {
    this.buildWeights(this.kernelSize, singleShape(inputShape)[3]);
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
      const {controls, options} = this.sampling();
      const conv = {strides: this.strides, pad: this.padding, dilations: this.dilationRate};
      const y = this.plainInput ?
          integralConv2d(x, controls as tf.Tensor4D, {...options, ...conv}) :
          tf.conv2d(x, this.sampledKernel(controls, options, this.inputChannels(x.shape[3])!) as tf.Tensor4D,
                    conv.strides, conv.pad, 'NHWC', conv.dilations);
      return this.finish(y, options);
    });
  }
}
tf.serialization.registerClass(IntegralConv2D);
