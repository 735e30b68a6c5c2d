/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {integralConv2dTranspose} from '../ops/integral_conv2d_transpose';
import {assertArg} from '../util/errors';
import {IntegralLayer} from './integral_layer';
import {InputAxisLayout, IntegralLayerArgs, pair, rejectChannelsFirst, singleShape} from './integral_layer_util';

/** Arguments of `tf.layers.conv2dTranspose`. */
export type Conv2DTransposeLayerArgs = Parameters<typeof tfl.layers.conv2dTranspose>[0];

/** Arguments of {@link IntegralConv2DTranspose}: everything `tf.layers.conv2dTranspose` takes, plus the options. */
export type IntegralConv2DTransposeArgs = Conv2DTransposeLayerArgs & IntegralLayerArgs;

/**
 * A transposed 2-D convolution whose kernel is a weight function: a control grid `[kh, kw, C_out, C_in]` (tfjs's
 * layout) sampled at the input's channel count (its last axis, integrated) and at `filters` output channels on
 * every call. A drop-in twin of `tf.layers.conv2dTranspose` (`channelsLast` only).
 */
export class IntegralConv2DTranspose extends IntegralLayer {
  /** @nocollapse */
  static className = 'IntegralConv2DTranspose';
  protected readonly widthKey = 'filters';

  /** Sampled output channels. */
  get filters(): number {
    return this.outSize;
  }
  private readonly kernelSize: [number, number];
  private readonly strides: [number, number];
  private readonly padding: 'valid'|'same';

  constructor(args: IntegralConv2DTransposeArgs) {
    rejectChannelsFirst(IntegralConv2DTranspose.className, args, ['valid', 'same']);
    const dilation = pair(args.dilationRate as number|number[]|undefined);
    assertArg(dilation.every(d => d === 1), `IntegralConv2DTranspose '${args.name ?? 'IntegralConv2DTranspose'}'`,
              'dilationRate', '1 (as tf.layers.conv2dTranspose)', args.dilationRate);
    super(IntegralConv2DTranspose.className, 'conv2dTranspose', args, args.filters);
    this.kernelSize = pair(args.kernelSize);
    this.strides = pair(args.strides);
    this.padding = (args.padding ?? 'valid') as 'valid'|'same';
    this.inputSpec = [{ndim: 4}];
  }

  protected override get inputLayout(): InputAxisLayout {
    return {...super.inputLayout, transposed: true};
  }

  override build(inputShape: tfl.Shape|tfl.Shape[]): void {
    this.buildWeights(this.kernelSize, singleShape(inputShape)[3]);
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
      const {controls, options} = this.sampling();
      if (this.plainInput) {
        const y = integralConv2dTranspose(x, controls as tf.Tensor4D, {...options, strides: this.strides, pad: this.padding});
        return this.finish(y, options);
      }
      const w = this.sampledKernel(controls, options, this.inputChannels(x.shape[3])!) as tf.Tensor4D;
      const outShape = this.computeOutputShape(x.shape) as number[];
      const y = tf.conv2dTranspose(x, w, [x.shape[0], outShape[1], outShape[2], this.filters], this.strides,
                                   this.padding);
      return this.finish(y, options);
    });
  }
}
tf.serialization.registerClass(IntegralConv2DTranspose);
