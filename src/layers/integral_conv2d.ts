/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {integralConv2d} from '../ops/integral_conv2d';
import {assertArg} from '../util/errors';
import {convertInitialKernel, IntegralLayerArgs, integralLayerConfig, integralLayerState, IntegralLayerState, positionLogitsShape, positionsFromLogits, sampleBias, samplingOptions} from './integral_layer_util';
import {StockTwin, stockTwin} from './stock_twin';

/** Arguments of `tf.layers.conv2d`. */
export type ConvLayerArgs = Parameters<typeof tfl.layers.conv2d>[0];

/** Arguments of {@link IntegralConv2D}: everything `tf.layers.conv2d` takes, plus the integral options. */
export type IntegralConv2DArgs = ConvLayerArgs & IntegralLayerArgs;

const pair = (v: number|number[]|undefined, fallback: number) =>
    (v == null ? [fallback, fallback] : typeof v === 'number' ? [v, v] : v.length === 1 ? [v[0], v[0]] : v) as
    [number, number];

/**
 * A 2-D convolution whose kernel is a weight function: a control grid `[kh, kw, C_in, C_out]` sampled at the input's
 * channel count and at `filters` output channels on every call. A drop-in twin of `tf.layers.conv2d`
 * (`channelsLast` only: `channelsFirst` is rejected with an error).
 */
export class IntegralConv2D extends tfl.layers.Layer {
  /** @nocollapse */
  static className = 'IntegralConv2D';
  /** Sampled output channels. */
  readonly filters: number;
  /** Integral options, validated. */
  readonly integral: IntegralLayerState;
  private readonly twin: StockTwin;
  private readonly kernelSize: [number, number];
  private readonly strides: [number, number];
  private readonly dilationRate: [number, number];
  private readonly padding: 'valid'|'same';
  private kernel: tfl.LayerVariable|null = null;
  private bias: tfl.LayerVariable|null = null;
  private inPositionLogits: tfl.LayerVariable|null = null;
  private outPositionLogits: tfl.LayerVariable|null = null;

  constructor(args: IntegralConv2DArgs) {
    super(args);
    const where = `IntegralConv2D '${this.name}'`;
    assertArg(args.dataFormat == null || args.dataFormat === 'channelsLast', where, 'dataFormat', `'channelsLast'`,
              args.dataFormat);
    assertArg(args.padding == null || args.padding === 'valid' || args.padding === 'same', where, 'padding',
              `'valid' or 'same'`, args.padding);
    this.twin = stockTwin('conv2d', args, this.name);
    this.filters = args.filters;
    this.kernelSize = pair(args.kernelSize, 1);
    this.strides = pair(args.strides, 1);
    this.dilationRate = pair(args.dilationRate as number|number[]|undefined, 1);
    this.padding = args.padding ?? 'valid';
    this.integral = integralLayerState(IntegralConv2D.className, this.name, args, this.filters);
    this.inputSpec = [{ndim: 4}];
  }

  override build(inputShape: tfl.Shape|tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const nIn = shape[3];
    const where = `IntegralConv2D '${this.name}'`;
    assertArg(nIn != null, where, 'inputShape', 'a known channel dimension', shape);
    const s = this.integral;
    const cIn = s.inControlSize ?? nIn;
    assertArg(s.inContinuous || cIn === nIn, where, 'inControlSize', `equal to the input's ${nIn} channels on a discrete axis`,
              cIn);
    s.inControlSize = cIn;
    const t = this.twin;
    this.kernel = this.addWeight('kernel', [...this.kernelSize, cIn, s.outControlSize], 'float32', t.kernelInitializer,
                                 t.kernelRegularizer, true, t.kernelConstraint);
    convertInitialKernel(this.kernel, s);
    if (t.useBias) {
      this.bias = this.addWeight('bias', [s.outControlSize], 'float32', t.biasInitializer, t.biasRegularizer, true,
                                 t.biasConstraint);
    }
    if (s.trainablePositions) {
      const inShape = positionLogitsShape(s.inContinuous, nIn), outShape = positionLogitsShape(s.outContinuous, this.filters);
      const zeros = tfl.initializers.zeros();
      if (inShape) this.inPositionLogits = this.addWeight('in_position_logits', inShape, 'float32', zeros);
      if (outShape) this.outPositionLogits = this.addWeight('out_position_logits', outShape, 'float32', zeros);
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape|tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const out = (len: number|null, d: 0|1) => {
      if (len == null) return null;
      const extent = (this.kernelSize[d] - 1) * this.dilationRate[d] + 1;
      return this.padding === 'same' ? Math.ceil(len / this.strides[d]) :
                                       Math.ceil((len - extent + 1) / this.strides[d]);
    };
    return [shape[0], out(shape[1], 0), out(shape[2], 1), this.filters];
  }

  override call(inputs: tf.Tensor|tf.Tensor[], kwargs: {[key: string]: unknown}): tf.Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const inPositions = this.inPositionLogits && positionsFromLogits(this.inPositionLogits.read() as tf.Tensor1D);
      const outPositions = this.outPositionLogits && positionsFromLogits(this.outPositionLogits.read() as tf.Tensor1D);
      const options = {...samplingOptions(this.integral, inPositions ?? undefined, outPositions ?? undefined),
                       outSize: this.filters, strides: this.strides, pad: this.padding, dilations: this.dilationRate};
      let y: tf.Tensor = integralConv2d(x, this.kernel!.read() as tf.Tensor4D, options);
      if (this.bias != null) y = tf.add(y, sampleBias(this.bias.read(), this.filters, this.integral, options.outPositions));
      return this.twin.activation.apply(y);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...this.twin.config(), ...integralLayerConfig(this.integral), ...super.getConfig()};
  }
}
tf.serialization.registerClass(IntegralConv2D);
