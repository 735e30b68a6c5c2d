/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** A layer's weights and config entries that hold given stock weights as control grids of the current sizes. */
export interface ControlsAtWidths {
  /** The layer's weights (control grids, biases), in its weight order. */
  weights: tf.Tensor[];
  /** Config entries to set (control sizes). */
  config: tf.serialization.ConfigDict;
}

/**
 * What every layer that samples its weights along channel axes offers the model (the integral twins of producers
 * and `IntegralChannelwise`): its stock weights at the current widths, and the way back from stock weights.
 */
export interface ChannelSampledLayer extends tfl.layers.Layer {
  /** The Keys parameter it samples with. */
  readonly cubicA: number;
  /** The weights of the stock layer it exports to, at its current widths (the caller disposes them). */
  stockWeights(): tf.Tensor[];
  /**
   * Weights and config entries of a layer like this one that holds the stock `weights` (at its current widths)
   * exactly, as controls of those sizes: how fitted or trained stock weights come back into an integral model.
   */
  controlsAtCurrentWidths(weights: tf.Tensor[]): ControlsAtWidths;
}

/** True for a layer that samples its weights along channel axes. */
export function isChannelSampled(layer: tfl.layers.Layer): layer is ChannelSampledLayer {
  return typeof (layer as Partial<ChannelSampledLayer>).controlsAtCurrentWidths === 'function';
}
