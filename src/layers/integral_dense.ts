/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {integralMatMul} from '../ops/integral_mat_mul';
import {IntegralLayer} from './integral_layer';
import {IntegralLayerArgs} from './integral_layer_util';

/** Arguments of `tf.layers.dense`. */
export type DenseLayerArgs = Parameters<typeof tfl.layers.dense>[0];

/** Arguments of {@link IntegralDense}: everything `tf.layers.dense` takes, plus the integral options. */
export type IntegralDenseArgs = DenseLayerArgs & IntegralLayerArgs;

const lastShape = (s: tfl.Shape|tfl.Shape[]) => (Array.isArray(s[0]) ? s[0] : s) as tfl.Shape;

/**
 * A dense layer whose kernel is a weight function: the layer stores a control grid `[C_in, C_out]` and samples it
 * at its input's channel count and at `units` output channels on every call (api.md §1). A drop-in twin of
 * `tf.layers.dense`: same arguments, same output shape; regularizers and constraints of the kernel apply to the
 * control grid, which has the scale of an ordinary kernel.
 */
export class IntegralDense extends IntegralLayer {
  /** @nocollapse */
  static className = 'IntegralDense';
  /** Sampled output width. */
  readonly units: number;

  constructor(args: IntegralDenseArgs) {
    super(IntegralDense.className, 'dense', args, args.units);
    this.units = args.units;
    this.inputSpec = [{minNDim: 2}];
    this.supportsMasking = true;
  }

  override build(inputShape: tfl.Shape|tfl.Shape[]): void {
    const shape = lastShape(inputShape);
    this.buildWeights([], shape[shape.length - 1]);
  }

  override computeOutputShape(inputShape: tfl.Shape|tfl.Shape[]): tfl.Shape {
    return [...lastShape(inputShape).slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor|tf.Tensor[], kwargs: {[key: string]: unknown}): tf.Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const {controls, options} = this.sampling();
      const y = integralMatMul(tf.reshape(x, [-1, x.shape[x.rank - 1]]) as tf.Tensor2D, controls as tf.Tensor2D, options);
      return this.finish(tf.reshape(y, [...x.shape.slice(0, -1), this.units]), options);
    });
  }
}
tf.serialization.registerClass(IntegralDense);
