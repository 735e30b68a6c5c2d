/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {integralConv1d} from '../ops/integral_conv1d';
import {IntegralLayer} from './integral_layer';
import {convOutputLength, IntegralLayerArgs, rejectChannelsFirst, singleShape} from './integral_layer_util';

/** Arguments of `tf.layers.conv1d`. */
export type Conv1DLayerArgs = Parameters<typeof tfl.layers.conv1d>[0];

/** Arguments of {@link IntegralConv1D}: everything `tf.layers.conv1d` takes, plus the integral options. */
export type IntegralConv1DArgs = Conv1DLayerArgs & IntegralLayerArgs;

const single = (v: number|number[]|undefined) => (v == null ? 1 : typeof v === 'number' ? v : v[0]);

/**
 * A 1-D convolution whose kernel is a weight function: a control grid `[k, C_in, C_out]` sampled at the input's
 * channel count and at `filters` output channels on every call. A drop-in twin of `tf.layers.conv1d`, `'causal'`
 * padding included (`channelsLast` only).
 */
export class IntegralConv1D extends IntegralLayer {
  /** @nocollapse */
  static className = 'IntegralConv1D';
  protected readonly widthKey = 'filters';

  /** Sampled output channels. */
  get filters(): number {
    return this.outSize;
  }
  private readonly kernelSize: number;
  private readonly stride: number;
  private readonly dilation: number;
  private readonly padding: 'valid'|'same'|'causal';

  constructor(args: IntegralConv1DArgs) {
    rejectChannelsFirst(IntegralConv1D.className, args, ['valid', 'same', 'causal']);
    super(IntegralConv1D.className, 'conv1d', args, args.filters);
    this.kernelSize = single(args.kernelSize);
    this.stride = single(args.strides);
    this.dilation = single(args.dilationRate as number|number[]|undefined);
    this.padding = (args.padding ?? 'valid') as 'valid'|'same'|'causal';
    this.inputSpec = [{ndim: 3}];
  }

  override build(inputShape: tfl.Shape|tfl.Shape[]): void {
    this.buildWeights([this.kernelSize], singleShape(inputShape)[2]);
  }

  override computeOutputShape(inputShape: tfl.Shape|tfl.Shape[]): tfl.Shape {
    const shape = singleShape(inputShape);
    return [shape[0], convOutputLength(shape[1], this.kernelSize, this.padding, this.stride, this.dilation),
            this.filters];
  }

  override call(inputs: tf.Tensor|tf.Tensor[], kwargs: {[key: string]: unknown}): tf.Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const {controls, options} = this.sampling();
      const conv = {stride: this.stride, dilation: this.dilation, pad: this.padding};
      if (this.plainInput) return this.finish(integralConv1d(x, controls as tf.Tensor3D, {...options, ...conv}), options);
      const w = this.sampledKernel(controls, options, this.inputChannels(x.shape[2])!) as tf.Tensor3D;
      const causal = this.padding === 'causal';
      const padded = causal ? tf.pad(x, [[0, 0], [(this.kernelSize - 1) * this.dilation, 0], [0, 0]]) : x;
      const y = tf.conv1d(padded, w, this.stride, causal ? 'valid' : this.padding as 'valid'|'same', 'NWC',
                          this.dilation);
      return this.finish(y, options);
    });
  }
}
tf.serialization.registerClass(IntegralConv1D);
