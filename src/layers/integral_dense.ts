/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {integralMatMul} from '../ops/integral_mat_mul';
import {assertArg} from '../util/errors';
import {convertInitialKernel, IntegralLayerArgs, integralLayerConfig, integralLayerState, IntegralLayerState, positionLogitsShape, positionsFromLogits, sampleBias, samplingOptions} from './integral_layer_util';
import {StockTwin, stockTwin} from './stock_twin';

/** Arguments of `tf.layers.dense`. */
export type DenseLayerArgs = Parameters<typeof tfl.layers.dense>[0];

/** Arguments of {@link IntegralDense}: everything `tf.layers.dense` takes, plus the integral options. */
export type IntegralDenseArgs = DenseLayerArgs & IntegralLayerArgs;

/**
 * A dense layer whose kernel is a weight function: the layer stores a control grid `[C_in, C_out]` and samples it
 * at its input's channel count and at `units` output channels on every call (api.md §1). A drop-in twin of
 * `tf.layers.dense`: same arguments, same output shape; regularizers and constraints of the kernel apply to the
 * control grid, which has the scale of an ordinary kernel.
 */
export class IntegralDense extends tfl.layers.Layer {
  /** @nocollapse */
  static className = 'IntegralDense';
  /** Sampled output width. */
  readonly units: number;
  /** Integral options, validated. */
  readonly integral: IntegralLayerState;
  private readonly twin: StockTwin;
  private kernel: tfl.LayerVariable|null = null;
  private bias: tfl.LayerVariable|null = null;
  private inPositionLogits: tfl.LayerVariable|null = null;
  private outPositionLogits: tfl.LayerVariable|null = null;

  constructor(args: IntegralDenseArgs) {
    super(args);
    this.twin = stockTwin('dense', args, this.name);
    this.units = args.units;
    this.integral = integralLayerState(IntegralDense.className, this.name, args, this.units);
    this.inputSpec = [{minNDim: 2}];
    this.supportsMasking = true;
  }

  override build(inputShape: tfl.Shape|tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const nIn = shape[shape.length - 1];
    assertArg(nIn != null, `IntegralDense '${this.name}'`, 'inputShape', 'a known last dimension', shape);
    const s = this.integral;
    const cIn = s.inControlSize ?? nIn;
    assertArg(s.inContinuous || cIn === nIn, `IntegralDense '${this.name}'`, 'inControlSize',
              `equal to the input's ${nIn} channels on a discrete axis`, cIn);
    this.integral.inControlSize = cIn;
    const t = this.twin;
    this.kernel = this.addWeight('kernel', [cIn, s.outControlSize], 'float32', t.kernelInitializer, t.kernelRegularizer,
                                 true, t.kernelConstraint);
    convertInitialKernel(this.kernel, s);
    if (t.useBias) {
      this.bias = this.addWeight('bias', [s.outControlSize], 'float32', t.biasInitializer, t.biasRegularizer, true,
                                 t.biasConstraint);
    }
    if (s.trainablePositions) {
      const inShape = positionLogitsShape(s.inContinuous, nIn), outShape = positionLogitsShape(s.outContinuous, this.units);
      const zeros = tfl.initializers.zeros();
      if (inShape) this.inPositionLogits = this.addWeight('in_position_logits', inShape, 'float32', zeros);
      if (outShape) this.outPositionLogits = this.addWeight('out_position_logits', outShape, 'float32', zeros);
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape|tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor|tf.Tensor[], kwargs: {[key: string]: unknown}): tf.Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const nIn = x.shape[x.rank - 1];
      const inPositions = this.inPositionLogits && positionsFromLogits(this.inPositionLogits.read() as tf.Tensor1D);
      const outPositions = this.outPositionLogits && positionsFromLogits(this.outPositionLogits.read() as tf.Tensor1D);
      const options = {...samplingOptions(this.integral, inPositions ?? undefined, outPositions ?? undefined),
                       outSize: this.units};
      let y: tf.Tensor = integralMatMul(tf.reshape(x, [-1, nIn]) as tf.Tensor2D, this.kernel!.read() as tf.Tensor2D,
                                        options);
      if (this.bias != null) y = tf.add(y, sampleBias(this.bias.read(), this.units, this.integral, options.outPositions));
      return this.twin.activation.apply(tf.reshape(y, [...x.shape.slice(0, -1), this.units]));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...this.twin.config(), ...integralLayerConfig(this.integral), ...super.getConfig()};
  }
}
tf.serialization.registerClass(IntegralDense);
