/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {buildWithNestedShapes, modelConfig} from '../src/converter/topology';

/** Layers that keep the channels of their input, one for one. */
const CHANNEL_PRESERVING = new Set(['MaxPooling2D', 'AveragePooling2D', 'GlobalAveragePooling2D',
                                    'GlobalMaxPooling2D', 'Activation', 'ReLU', 'Dropout']);
/** Layers whose kernel maps input channels (axis -2) to output channels (axis -1). */
const CHANNEL_MIXING: Record<string, string> = {Conv2D: 'filters', Dense: 'units'};

/**
 * The output channels of a `[..., in, out]` kernel with the `count` largest L1 norms (sums of |w| over the rest of
 * the kernel), in ascending order; ties keep the lower index.
 */
export async function largestL1Channels(kernel: tf.Tensor, count: number): Promise<number[]> {
  const normsTensor = tf.tidy(() => tf.sum(tf.abs(tf.reshape(kernel, [-1, kernel.shape[kernel.rank - 1]])), 0));
  const norms = Array.from(await normsTensor.data());
  normsTensor.dispose();
  const order = norms.map((norm, i) => ({norm, i})).sort((a, b) => b.norm - a.norm || a.i - b.i);
  return order.slice(0, count).map(c => c.i).sort((a, b) => a - b);
}

/**
 * Conventional L1-norm structured pruning (Li et al., 2017) of a Sequential chain of Conv2D / Dense layers and
 * channel-preserving layers (pooling, activations, dropout): every hidden Conv2D / Dense keeps the output channels
 * with the largest kernel L1 norms, `max(1, round(width · n))` of its `n`, and the next one keeps the matching input
 * channels. The last Conv2D / Dense keeps all its outputs. No fine-tuning; `model` is unchanged.
 */
export async function l1Prune(model: tfl.LayersModel, width: number): Promise<tfl.LayersModel> {
  if (!(Number.isFinite(width) && width > 0 && width <= 1)) {
    throw new Error(`Error in l1Prune: width must be in (0, 1], got ${width}.`);
  }
  const layers = model.layers;
  const unsupported = layers.find(l => !(l.getClassName() in CHANNEL_MIXING) && !CHANNEL_PRESERVING.has(l.getClassName()));
  if (!(model instanceof tfl.Sequential) || unsupported != null) {
    const got = unsupported ? `layer '${unsupported.name}' (${unsupported.getClassName()})` : 'a functional model';
    throw new Error(`Error in l1Prune: expects a Sequential model of ${Object.keys(CHANNEL_MIXING).join(' / ')} and ` +
                    `channel-preserving layers, got ${got}.`);
  }
  const mixing = layers.filter(l => l.getClassName() in CHANNEL_MIXING);
  const last = mixing[mixing.length - 1];
  const topology = modelConfig(model);
  const newWeights = new Map<string, tf.Tensor[]>();
  let kept: number[]|null = null;
  for (const layer of mixing) {
    const [kernel, ...rest] = layer.getWeights();
    const inAxis = kernel.rank - 2, outAxis = kernel.rank - 1, outputs = kernel.shape[outAxis];
    const outKept = layer === last ? null : await largestL1Channels(kernel, Math.max(1, Math.round(width * outputs)));
    const inIndices = kept, outIndices = outKept;
    newWeights.set(layer.name, tf.tidy(() => {
      let k = inIndices == null ? kernel : tf.gather(kernel, inIndices, inAxis);
      if (outIndices != null) k = tf.gather(k, outIndices, outAxis);
      // Fresh copies: on wasm a gathered tensor keeps its data's internal shape, which wasm's fused kernels read.
      return [k, ...rest.map(b => (outIndices == null ? b : tf.gather(b, outIndices)))].map(t => tf.clone(t));
    }));
    const entry = topology.config.layers.find(l => l.config.name === layer.name)!;
    if (outKept != null) entry.config[CHANNEL_MIXING[layer.getClassName()]] = outKept.length;
    kept = outKept;
  }
  const pruned = buildWithNestedShapes(topology);
  for (const layer of pruned.layers) {
    const weights = newWeights.get(layer.name);
    layer.setWeights(weights ?? model.getLayer(layer.name).getWeights());
  }
  tf.dispose([...newWeights.values()].flat());
  return pruned;
}
