/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {assertArg, assertLayerArgs} from '../util/errors';
import {singleShape} from './integral_layer_util';

/** Arguments of {@link IntegralReshape}: those of `tf.layers.reshape`. */
export type IntegralReshapeArgs = Parameters<typeof tfl.layers.reshape>[0];

/**
 * A Reshape that keeps the channel axis last and takes its size from the input: `targetShape` names the other axes
 * (its last entry is the channel count of the input the layer was last built for), so the layer follows its
 * channel group's width, live and when resampled. Exported as the stock Reshape with that `targetShape`.
 */
export class IntegralReshape extends tfl.layers.Layer {
  /** The class name registered for serialization. */
  static className = 'IntegralReshape';
  private readonly spatial: number[];
  private channels: number;

  constructor(args: IntegralReshapeArgs) {
    super(assertLayerArgs('IntegralReshape', args));
    const target = args.targetShape as number[];
    assertArg(Array.isArray(target) && target.length >= 1 && target.every(d => Number.isInteger(d) && d > 0),
              `IntegralReshape '${this.name}'`, 'targetShape', 'a list of positive integers', target);
    this.spatial = target.slice(0, -1);
    this.channels = target[target.length - 1];
  }

  override build(inputShape: tfl.Shape|tfl.Shape[]): void {
    const shape = singleShape(inputShape);
    this.channels = shape[shape.length - 1] ?? this.channels;
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape|tfl.Shape[]): tfl.Shape {
    const shape = singleShape(inputShape);
    return [shape[0], ...this.spatial, shape[shape.length - 1]];
  }

  override call(inputs: tf.Tensor|tf.Tensor[], kwargs: {[key: string]: unknown}): tf.Tensor {
    this.invokeCallHook(inputs, kwargs);
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.reshape(x, [x.shape[0], ...this.spatial, x.shape[x.rank - 1]]);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {targetShape: [...this.spatial, this.channels], ...super.getConfig()};
  }
}
tf.serialization.registerClass(IntegralReshape);
