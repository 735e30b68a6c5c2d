/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {calibrateLayers} from '../src/calibration/least_squares';
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

/** An L1-pruned model and, per hidden Conv2D / Dense, the output channels it kept (indices into the original). */
export interface L1Pruned {
  model: tfl.LayersModel;
  kept: Map<string, number[]>;
}

/**
 * Conventional L1-norm structured pruning (Li et al., 2017) of a Sequential chain of Conv2D / Dense layers,
 * channel-preserving layers (pooling, activations, dropout) and Flatten: every hidden Conv2D / Dense keeps the output
 * channels with the largest kernel L1 norms, `max(1, round(width · n))` of its `n`, and the next one keeps the
 * matching input channels (at every spatial position after a Flatten). The last Conv2D / Dense keeps all its
 * outputs. No fine-tuning; `model` is unchanged.
 */
export async function l1Prune(model: tfl.LayersModel, width: number): Promise<L1Pruned> {
  if (!(Number.isFinite(width) && width > 0 && width <= 1)) {
    throw new Error(`Error in l1Prune: width must be in (0, 1], got ${width}.`);
  }
  const layers = model.layers;
  const supported = (l: tfl.layers.Layer) =>
      l.getClassName() in CHANNEL_MIXING || CHANNEL_PRESERVING.has(l.getClassName()) || l.getClassName() === 'Flatten';
  const unsupported = layers.find(l => !supported(l));
  if (!(model instanceof tfl.Sequential) || unsupported != null) {
    const got = unsupported ? `layer '${unsupported.name}' (${unsupported.getClassName()})` : 'a functional model';
    throw new Error(`Error in l1Prune: expects a Sequential model of ${Object.keys(CHANNEL_MIXING).join(' / ')}, ` +
                    `Flatten and channel-preserving layers, got ${got}.`);
  }
  const mixing = layers.filter(l => l.getClassName() in CHANNEL_MIXING);
  const last = mixing[mixing.length - 1];
  const topology = modelConfig(model);
  const newWeights = new Map<string, tf.Tensor[]>();
  const keptChannels = new Map<string, number[]>();
  let kept: number[]|null = null;  // input indices of the next Conv2D / Dense
  for (const layer of layers) {
    if (layer.getClassName() === 'Flatten' && kept != null) {
      // [h, w, C] flattened with the channels fastest: every spatial position keeps the same channels.
      const shape = layer.inputSpec?.[0]?.shape ?? (layer.input as tfl.SymbolicTensor).shape;
      const channels = shape[shape.length - 1]!;
      const taps = shape.slice(1, -1).reduce((a: number, b) => a * b!, 1);
      const perTap: number[] = kept;
      kept = Array.from({length: taps}, (_, t) => perTap.map(c => t * channels + c)).flat();
    }
    if (!(layer.getClassName() in CHANNEL_MIXING)) continue;
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
    if (outKept != null) {
      entry.config[CHANNEL_MIXING[layer.getClassName()]] = outKept.length;
      keptChannels.set(layer.name, outKept);
    }
    kept = outKept;
  }
  const pruned = buildWithNestedShapes(topology);
  for (const layer of pruned.layers) {
    const weights = newWeights.get(layer.name);
    layer.setWeights(weights ?? model.getLayer(layer.name).getWeights());
  }
  tf.dispose([...newWeights.values()].flat());
  return {model: pruned, kept: keptChannels};
}

/**
 * The least-squares reconstruction of an L1-pruned model: the same layer-wise ridge least squares as
 * `IntegralModel.calibrate`, each kept channel fitted to its own output in `full` (the model it was pruned from) on
 * the unlabeled inputs `x`, the last layer to `full`'s outputs. In place; nothing changes when nothing was pruned.
 */
export async function reconstructL1(pruned: L1Pruned, full: tfl.LayersModel, x: tf.Tensor,
                                    ridge: number|'auto' = 'auto'): Promise<void> {
  const mixing = pruned.model.layers.filter(l => l.getClassName() in CHANNEL_MIXING);
  const width = (l: tfl.layers.Layer) => l.getWeights()[0].shape.at(-1);
  if (mixing.every(l => width(l) === width(full.getLayer(l.name)))) return;  // nothing pruned: nothing to fit
  const targets = mixing.map(l => {
    const kept = pruned.kept.get(l.name);
    if (kept == null) return {name: l.name, sampling: null};
    const fullWidth = full.getLayer(l.name).getWeights()[0].shape.at(-1)!;
    const selection = new Float32Array(fullWidth * kept.length);
    kept.forEach((c, j) => selection[c * kept.length + j] = 1);
    return {name: l.name, sampling: tf.tensor2d(selection, [fullWidth, kept.length])};
  });
  try {
    await calibrateLayers(pruned.model, full, targets, x, {ridge}, false);
  } finally {
    tf.dispose(targets.map(t => t.sampling).filter(s => s != null));
  }
}
