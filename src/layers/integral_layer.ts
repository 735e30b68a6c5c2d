/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {integralWeight} from '../ops/integral_weight';
import {IntegralOptions} from '../ops/sampling';
import {assertArg, isPositiveInteger} from '../util/errors';
import {convertInitialKernel, IntegralLayerArgs, integralLayerConfig, integralLayerState, IntegralLayerState, LayerArgs, positionLogitsShape, positionsFromLogits, sampleBias, samplingOptions, segmentPositions} from './integral_layer_util';
import {StockTwin, stockTwin} from './stock_twin';

/**
 * What IntegralDense and IntegralConv2D share: the stock twin's arguments, the integral options, and the weights
 * (control grid, bias controls, optional position logits), plus sampling them at the layer's widths.
 */
export abstract class IntegralLayer extends tfl.layers.Layer {
  /** Sampled output width (`units` or `filters`). */
  get outSize(): number {
    return this.sampledOut;
  }
  private sampledOut: number;
  /** Integral options, validated. */
  readonly integral: IntegralLayerState;
  protected readonly twin: StockTwin;
  private kernel: tfl.LayerVariable|null = null;
  private bias: tfl.LayerVariable|null = null;
  private inPositionLogits: tfl.LayerVariable|null = null;
  private outPositionLogits: tfl.LayerVariable|null = null;

  protected constructor(className: string, stock: 'dense'|'conv2d', args: LayerArgs & IntegralLayerArgs,
                        outSize: number) {
    super(args);
    this.twin = stockTwin(stock, args, this.name);
    this.sampledOut = outSize;
    this.integral = integralLayerState(className, this.name, args, outSize);
  }

  /** Sets the current widths of the segments of a concatenated input axis (see `IntegralLayerArgs.inSegments`). */
  resizeInputSegments(widths: number[]) {
    const segments = this.integral.inSegments;
    assertArg(segments != null && widths.length === segments.sizes.length && widths.every(isPositiveInteger),
              `${this.getClassName()} '${this.name}'`, 'inSegments.widths', `${segments?.sizes.length} positive integers`,
              widths);
    segments.widths = [...widths];
  }

  /** Config key of the output width: `units` or `filters`. */
  protected abstract readonly widthKey: string;

  /**
   * Samples `outSize` output channels from now on: the controls stay as they are. Within a model, the model's
   * symbolic shapes keep the width they were built with; `IntegralModel` rebuilds them when it resamples.
   */
  resize(outSize: number) {
    const where = `${this.getClassName()} '${this.name}'`;
    assertArg(isPositiveInteger(outSize), where, this.widthKey, 'a positive integer', outSize);
    assertArg(this.integral.outContinuous || outSize === this.integral.outControlSize, where, this.widthKey,
              `${this.integral.outControlSize} on a discrete output axis`, outSize);
    assertArg(!this.integral.trainablePositions || outSize === this.sampledOut, where, this.widthKey,
              `${this.sampledOut} while positions are trainable (their weights have one per sample)`, outSize);
    this.sampledOut = outSize;
  }

  /**
   * Creates the weights for `nIn` input channels; `spatial` leads the kernel shape (`[kh, kw]` for a conv), and
   * `flatTaps > 1` makes a dense kernel `[flatTaps·C_in, C_out]` whose input axis holds that many taps of `C_in`
   * channels each (the stock layout after Flatten).
   */
  protected buildWeights(spatial: number[], nIn: number|null, flatTaps = 1) {
    const where = `${this.getClassName()} '${this.name}'`;
    assertArg(nIn != null, where, 'inputShape', 'a known channel dimension', nIn);
    const s = this.integral;
    const cIn = s.inControlSize ?? nIn;
    assertArg(s.inContinuous || cIn === nIn, where, 'inControlSize', `equal to the input's ${nIn} channels on a discrete axis`,
              cIn);
    s.inControlSize = cIn;
    const t = this.twin;
    const kernelShape = flatTaps > 1 ? [flatTaps * cIn, s.outControlSize] : [...spatial, cIn, s.outControlSize];
    this.kernel = this.addWeight('kernel', kernelShape, 'float32', t.kernelInitializer, t.kernelRegularizer, true,
                                 t.kernelConstraint);
    convertInitialKernel(this.kernel, s, cIn);
    if (t.useBias) {
      this.bias = this.addWeight('bias', [s.outControlSize], 'float32', t.biasInitializer, t.biasRegularizer, true,
                                 t.biasConstraint);
    }
    if (s.trainablePositions) {
      const zeros = tfl.initializers.zeros();
      const inShape = positionLogitsShape(s.inContinuous, nIn), outShape = positionLogitsShape(s.outContinuous, this.outSize);
      if (inShape) this.inPositionLogits = this.addWeight('in_position_logits', inShape, 'float32', zeros);
      if (outShape) this.outPositionLogits = this.addWeight('out_position_logits', outShape, 'float32', zeros);
    }
    this.built = true;
  }

  /** The control grid and the sampling options of the current call (call inside a `tidy`). */
  protected sampling(): {controls: tf.Tensor, options: IntegralOptions} {
    const positions = (v: tfl.LayerVariable|null) => v == null ? undefined : positionsFromLogits(v.read() as tf.Tensor1D);
    const segments = this.integral.inSegments;
    const inPositions = segments != null ? tf.tensor1d(segmentPositions(segments.sizes, segments.widths)) :
                                           positions(this.inPositionLogits);
    const options = {...samplingOptions(this.integral, inPositions, positions(this.outPositionLogits)),
                     outSize: this.outSize};
    return {controls: this.kernel!.read(), options};
  }

  /**
   * The ordinary kernel and bias this layer computes with for `nIn` input channels (per tap): what its stock twin
   * holds at the current width. `stockKernelShape` is that twin's kernel shape.
   */
  sampledWeights(nIn: number, stockKernelShape: number[]): tf.Tensor[] {
    return tf.tidy(() => {
      const {controls, options} = this.sampling();
      const cIn = this.integral.inControlSize!;
      const perTap = tf.reshape(controls, [-1, cIn, controls.shape[controls.rank - 1]]);
      const kernel = tf.reshape(integralWeight(perTap, {...options, inSize: nIn}), stockKernelShape);
      return this.bias == null ? [kernel] :
                                 [kernel, sampleBias(this.bias.read(), this.outSize, this.integral, options.outPositions)];
    });
  }

  /** Adds the sampled bias (if any) to the pre-activation `y`, then applies the activation. */
  protected finish(y: tf.Tensor, options: IntegralOptions): tf.Tensor {
    const biased = this.bias == null ? y :
        tf.add(y, sampleBias(this.bias.read(), this.outSize, this.integral, options.outPositions));
    return this.twin.activation.apply(biased);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...this.twin.config(), [this.widthKey]: this.outSize, ...integralLayerConfig(this.integral),
            ...super.getConfig()};
  }
}
