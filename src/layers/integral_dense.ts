/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {integralMatMul} from '../ops/integral_mat_mul';
import {integralWeight} from '../ops/integral_weight';
import {assertArg, isPositiveInteger} from '../util/errors';
import {IntegralLayer} from './integral_layer';
import {IntegralLayerArgs, singleShape} from './integral_layer_util';

/** Arguments of `tf.layers.dense`. */
export type DenseLayerArgs = Parameters<typeof tfl.layers.dense>[0];

/** Arguments of {@link IntegralDense}: everything `tf.layers.dense` takes, plus the integral options. */
export type IntegralDenseArgs = DenseLayerArgs & IntegralLayerArgs & {
  /**
   * The input's last axis holds `inTaps` spatial positions of `C` channels each, channels fastest, as after
   * `Flatten` of an `[h, w, C]` map (`inTaps = h·w`): the channel axis is integrated per tap. Default 1.
   */
  inTaps?: number;
};

/**
 * A dense layer whose kernel is a weight function: the layer stores a control grid `[C_in, C_out]` and samples it
 * at its input's channel count and at `units` output channels on every call (api.md §1). A drop-in twin of
 * `tf.layers.dense`: same arguments, same output shape; regularizers and constraints of the kernel apply to the
 * control grid, which has the scale of an ordinary kernel.
 */
export class IntegralDense extends IntegralLayer {
  /** @nocollapse */
  static className = 'IntegralDense';
  protected readonly widthKey = 'units';

  /** Sampled output width. */
  get units(): number {
    return this.outSize;
  }

  /** Spatial taps on the input axis (see {@link IntegralDenseArgs.inTaps}). */
  readonly inTaps: number;

  constructor(args: IntegralDenseArgs) {
    super(IntegralDense.className, 'dense', args, args.units);
    this.inTaps = args.inTaps ?? 1;
    assertArg(isPositiveInteger(this.inTaps), `IntegralDense '${this.name}'`, 'inTaps', 'a positive integer', args.inTaps);
    this.inputSpec = [{minNDim: 2}];
    this.supportsMasking = true;
  }

  override build(inputShape: tfl.Shape|tfl.Shape[]): void {
    const shape = singleShape(inputShape);
    this.buildWeights([], this.channelsPerTap(shape[shape.length - 1]), this.inTaps);
  }

  private channelsPerTap(lastDim: number|null): number|null {
    assertArg(lastDim == null || lastDim % this.inTaps === 0, `IntegralDense '${this.name}'`, 'inTaps',
              `a divisor of the input's last dimension ${lastDim}`, this.inTaps);
    return lastDim == null ? null : lastDim / this.inTaps;
  }

  override computeOutputShape(inputShape: tfl.Shape|tfl.Shape[]): tfl.Shape {
    return [...singleShape(inputShape).slice(0, -1), this.units];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...super.getConfig(), inTaps: this.inTaps};
  }

  override call(inputs: tf.Tensor|tf.Tensor[], kwargs: {[key: string]: unknown}): tf.Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const {controls, options} = this.sampling();
      const x2 = tf.reshape(x, [-1, x.shape[x.rank - 1]]) as tf.Tensor2D;
      let y: tf.Tensor;
      if (this.inTaps === 1) {
        y = integralMatMul(x2, controls as tf.Tensor2D, options);
      } else {
        const nIn = this.channelsPerTap(x2.shape[1])!;
        const perTap = tf.reshape(controls, [this.inTaps, -1, controls.shape[1] as number]);
        const w = integralWeight(perTap, {...options, inSize: nIn});
        y = tf.matMul(x2, tf.reshape(w, [this.inTaps * nIn, this.units]) as tf.Tensor2D);
      }
      return this.finish(tf.reshape(y, [...x.shape.slice(0, -1), this.units]), options);
    });
  }
}
tf.serialization.registerClass(IntegralDense);
