/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {integralMatMul} from '../ops/integral_mat_mul';
import {assertLayerArgs} from '../util/errors';
import {IntegralLayer} from './integral_layer';
import {IntegralLayerArgs, singleShape} from './integral_layer_util';

/** Arguments of `tf.layers.dense`. */
export type DenseLayerArgs = Parameters<typeof tfl.layers.dense>[0];

/** Arguments of {@link IntegralDense}: everything `tf.layers.dense` takes, plus the integral options. */
export type IntegralDenseArgs = DenseLayerArgs & IntegralLayerArgs;

/**
 * A dense layer whose kernel is a weight function: the layer stores a control grid `[C_in, C_out]` and samples it
 * at its input's channel count and at `units` output channels on every call (docs/api.md §1). A drop-in twin of
 * `tf.layers.dense`: same arguments, same output shape (inputs of rank > 2 too); regularizers and constraints of
 * the kernel apply to the control grid, which has the scale of an ordinary kernel.
 */
export class IntegralDense extends IntegralLayer {
  /** The class name registered for serialization. */
  static className = 'IntegralDense';
  protected readonly widthKey = 'units';

  /** Sampled output width. */
  get units(): number {
    return this.outSize;
  }

  constructor(args: IntegralDenseArgs) {
    super(IntegralDense.className, 'dense', args, assertLayerArgs(IntegralDense.className, args).units);
    this.inputSpec = [{minNDim: 2}];
    this.supportsMasking = true;
  }

  override build(inputShape: tfl.Shape|tfl.Shape[]): void {
    const shape = singleShape(inputShape);
    this.buildWeights([], shape[shape.length - 1]);
  }

  override computeOutputShape(inputShape: tfl.Shape|tfl.Shape[]): tfl.Shape {
    return [...singleShape(inputShape).slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor|tf.Tensor[], kwargs: {[key: string]: unknown}): tf.Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const x2 = tf.reshape(x, [-1, x.shape[x.rank - 1]]) as tf.Tensor2D;
      const y = this.forward(this.inputChannels(x2.shape[1])!, kernel => tf.matMul(x2, kernel as tf.Tensor2D),
                             (controls, options) => integralMatMul(x2, controls as tf.Tensor2D, options),
                             (kernel, bias, activation) => tf.fused.matMul({a: x2, b: kernel as tf.Tensor2D, bias, activation}));
      return tf.reshape(y, [...x.shape.slice(0, -1), this.units]);
    });
  }
}
tf.serialization.registerClass(IntegralDense);
