/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {CHANNELWISE_RULES} from '../layers/integral_channelwise';
import {QuadratureRule, uniformQuadrature} from '../ops/quadrature';
import {DEFAULT_CUBIC_A} from '../ops/sampling';
import {assertArg} from '../util/errors';
import {analyzeChannels, ChannelAnalysis, LayerCall} from './channel_groups';
import {IntegralModel} from './integral_model';
import {disposeModel, forEachLayerConfig, layerConfigName, layersByName, modelConfig, modelFromConfig, removeLayerConfig} from './model_json';
import {splitSeparableConvs} from './separable';
import {ChannelAxisRef, permuteGroups, PermutationReport} from './permutation';

/** Options of {@link wrapModel}. */
export interface WrapOptions {
  /** Reorder each group's channels to make the weight functions smooth (default `true`). */
  permute?: boolean;
  /** Quadrature of every integrated axis (default `'trapezoid'`, the rule that converts without zig-zags). */
  quadrature?: QuadratureRule;
  /** Keys cubic-convolution parameter (default `-0.5`). */
  cubicA?: number;
  /** Seed of the permutation search (default 1). */
  seed?: number;
  /** Time budget of the permutation search per group, in milliseconds (default 2000). */
  permuteBudgetMs?: number;
  /**
   * Fold each BatchNormalization that directly follows a Dense, Conv2D or DepthwiseConv2D (linear activation, sole
   * consumer) into it, with its inference statistics (default `true`). Others become per-channel integral layers.
   */
  foldBatchNorm?: boolean;
  /** Throw instead of keeping groups discrete when a layer is not supported (default `false`). */
  strict?: boolean;
}

const PRODUCERS = new Set(['Dense', 'Conv2D']);
/** Layers that are integral already (a model built from integral layers): kept as they are. */
const INTEGRAL_PRODUCERS = new Set(['IntegralDense', 'IntegralConv2D']);
/** Layers a following BatchNormalization folds into, with the channel axis of their kernel. */
const FOLD_TARGETS: Record<string, number> = {Dense: -1, Conv2D: -1, DepthwiseConv2D: -2};

/** What wrapModel does with one layer: its call, its weights in the stock layout (BatchNorm folded in). */
interface LayerPlan {
  call: LayerCall;
  kind: 'producer'|'channelwise';
  weights: tf.Tensor[];
  /** The BatchNormalization folded into this layer, if any. */
  folded?: tfl.layers.Layer;
}

/** Which BatchNormalization layers fold into the layer feeding them (by that layer's name). */
function planFolding(analysis: ChannelAnalysis, fold: boolean): Map<string, tfl.layers.Layer> {
  const consumers = new Map<number, number>();
  for (const call of analysis.calls) for (const t of call.inputs) consumers.set(t.id, (consumers.get(t.id) ?? 0) + 1);
  const callsOf = (l: tfl.layers.Layer) => analysis.calls.filter(c => c.layer === l).length;
  const folded = new Map<string, tfl.layers.Layer>();
  for (const call of analysis.calls) {
    if (call.layer.getClassName() !== 'BatchNormalization' || !fold) continue;
    const source = call.inputs[0].sourceLayer;
    if (FOLD_TARGETS[source.getClassName()] != null && (source.getConfig().activation ?? 'linear') === 'linear' &&
        callsOf(source) === 1 && callsOf(call.layer) === 1 && consumers.get(call.inputs[0].id) === 1 &&
        !folded.has(source.name) && analysis.groupOf(call.inputs[0]).continuous) {
      folded.set(source.name, call.layer);
    }
  }
  return folded;
}

/** `layer`'s weights with `bn` folded in along `axis`: `W·s`, `(b - mean)·s + β`, `s = γ / √(var + ε)`. */
function foldedWeights(layer: tfl.layers.Layer, bn: tfl.layers.Layer|undefined, axis: number): tf.Tensor[] {
  return tf.tidy(() => {
    const [kernel, bias] = layer.getWeights();
    const channels = kernel.shape[kernel.rank + axis];
    const b = bias ?? tf.zeros([channels]);
    if (bn == null) return layer.getWeights().map(w => w.clone());
    const cfg = bn.getConfig();
    const w = bn.getWeights();
    let k = 0;
    const gamma = cfg.scale !== false ? w[k++] : tf.ones([channels]);
    const beta = cfg.center !== false ? w[k++] : tf.zeros([channels]);
    const s = tf.div(gamma, tf.sqrt(tf.add(w[k + 1], cfg.epsilon as number ?? 1e-3)));
    const sAlongAxis = axis === -1 ? s : tf.reshape(s, [channels, 1]);
    return [tf.mul(kernel, sAlongAxis), tf.add(tf.mul(tf.sub(b, w[k]), s), beta)];
  });
}

/** `controls = W / q` along the (per-tap) input axis: exact conversion at the original width (api.md §1). */
function toControls(kernel: tf.Tensor, nIn: number, quadrature: QuadratureRule): tf.Tensor {
  return tf.tidy(() => {
    const q = tf.tensor1d(Float32Array.from(uniformQuadrature(quadrature, nIn, Math.max(nIn - 1, 1))));
    const perTap = tf.reshape(kernel, [-1, nIn, kernel.shape[kernel.rank - 1]]);
    return tf.reshape(tf.div(perTap, tf.reshape(q, [-1, 1])), kernel.shape);
  });
}

/** The channel axes of a plan's weights, per group, for the permutation. */
function channelAxes(plan: LayerPlan, analysis: ChannelAnalysis): ChannelAxisRef[] {
  const refs: ChannelAxisRef[] = [];
  const add = (t: tfl.SymbolicTensor, index: number, axis: number) => {
    const shape = plan.weights[index].shape;
    const a = shape.length + axis;
    const before = shape.slice(0, a).reduce((x, y) => x * y, 1);
    const after = shape.slice(a + 1).reduce((x, y) => x * y, 1);
    let offset = 0;
    const segments = analysis.segmentsOf(t) ?? [analysis.groupOf(t)];
    const total = segments.reduce((sum, g) => sum + g.originalSize, 0);
    for (const g of segments) {
      if (g.continuous) refs.push({group: g.name, weights: plan.weights, index, before, after, total, offset});
      offset += g.originalSize;
    }
  };
  const {call} = plan;
  if (plan.kind === 'producer') {
    add(call.outputs[0], 0, -1);
    if (plan.weights.length > 1) add(call.outputs[0], 1, -1);
    const taps = analysis.tapsOf(call.inputs[0]);
    const first = refs.length;
    add(call.inputs[0], 0, -2);
    // A flattened input: [taps·n, out] seen as [taps, n, out].
    if (taps > 1) for (const r of refs.slice(first)) r.before = taps;
  } else {
    const rule = CHANNELWISE_RULES[call.layer.getClassName()];
    plan.weights.forEach((_, i) => add(call.inputs[0], i, rule.channelAxis(i)));
  }
  return refs;
}

/**
 * Wraps a LayersModel as an Integral Neural Network (api.md §4): finds the channel groups, folds BatchNormalization,
 * optionally permutes each group's channels towards smooth weight functions, turns every Dense / Conv2D into its
 * integral twin holding `controls = W / q`, and every per-channel layer of a continuous group into an
 * `IntegralChannelwise`; a SeparableConv2D becomes its depthwise and pointwise halves. At the original width the result predicts what `model` predicts; `model` is not changed.
 */
export async function wrapModel(model: tfl.LayersModel, options: WrapOptions = {}): Promise<IntegralModel> {
  const split = splitSeparableConvs(model);
  if (split != null) {
    try {
      return await wrapModel(split, options);
    } finally {
      disposeModel(split);
    }
  }
  const {permute = true, quadrature = 'trapezoid', cubicA = DEFAULT_CUBIC_A, seed = 1, permuteBudgetMs = 2000,
         foldBatchNorm = true, strict = false} = options;
  const analysis = analyzeChannels(model);
  const unsupported = analysis.groups.find(g => g.reason?.endsWith('is not supported'));
  assertArg(!strict || unsupported == null, 'wrapModel', 'model', 'made of supported layers (strict)',
            unsupported?.reason);
  const folded = planFolding(analysis, foldBatchNorm);
  const foldedBn = new Set([...folded.values()]);
  const plans = new Map<string, LayerPlan>();
  for (const call of analysis.calls) {
    const cls = call.layer.getClassName();
    if (plans.has(call.layer.name) || foldedBn.has(call.layer)) continue;
    const kind = PRODUCERS.has(cls) ? 'producer' :
        CHANNELWISE_RULES[cls] != null && analysis.groupOf(call.inputs[0]).continuous ? 'channelwise' : null;
    if (kind == null) continue;
    const bn = folded.get(call.layer.name);
    plans.set(call.layer.name, {call, kind, folded: bn, weights: foldedWeights(call.layer, bn, FOLD_TARGETS[cls] ?? -1)});
  }
  let permutation: PermutationReport[] = [];
  // Groups with layers that hold controls already keep their order: permuting controls is exact only at the nodes.
  const integralGroups = new Set(analysis.calls.filter(c => INTEGRAL_PRODUCERS.has(c.layer.getClassName()) ||
                                                          c.layer.getClassName() === 'IntegralChannelwise')
                                     .flatMap(c => [...c.inputs, ...c.outputs].map(t => analysis.groupOf(t).name)));
  if (permute) {
    const refs = [...plans.values()].flatMap(p => channelAxes(p, analysis));
    const groups = analysis.groups.filter(g => g.continuous && !integralGroups.has(g.name))
                       .map(g => ({name: g.name, size: g.originalSize}));
    permutation = await permuteGroups(groups, refs, {seed, budgetMs: permuteBudgetMs});
  }

  const topology = modelConfig(model);
  const foldedInto = new Map([...folded].map(([target, bn]) => [bn.name, target]));
  forEachLayerConfig(topology, (entry, owner) => {
    const name = layerConfigName(entry);
    if (foldedInto.has(name)) {
      removeLayerConfig(owner, name, foldedInto.get(name)!);
      return;
    }
    const plan = plans.get(name);
    if (plan == null) return;
    const inGroup = analysis.groupOf(plan.call.inputs[0]);
    if (plan.kind === 'channelwise') {
      const wrapped = {className: entry.className, config: {...entry.config, useBias: plan.folded != null || entry.config.useBias}};
      entry.className = 'IntegralChannelwise';
      entry.config = {name, trainable: entry.config.trainable, batchInputShape: entry.config.batchInputShape,
                      wrapped, controlSize: inGroup.originalSize, cubicA};
      return;
    }
    const outGroup = analysis.groupOf(plan.call.outputs[0]);
    const taps = analysis.tapsOf(plan.call.inputs[0]);
    const segments = analysis.segmentsOf(plan.call.inputs[0]);
    const inContinuous = inGroup.continuous || segments != null;
    entry.className = entry.className === 'Dense' ? 'IntegralDense' : 'IntegralConv2D';
    const sizes = segments?.map(g => g.originalSize);
    Object.assign(entry.config, {
      useBias: plan.weights.length > 1, quadrature, cubicA, inContinuous, outContinuous: outGroup.continuous,
      // A flattened input integrates its channel axis per spatial tap; a discrete one takes the whole axis as is.
      inControlSize: inContinuous ? inGroup.originalSize : taps * inGroup.originalSize,
      outControlSize: outGroup.originalSize,
      ...(entry.className === 'IntegralDense' && taps > 1 && inContinuous ? {inTaps: taps} : {}),
      ...(segments != null ? {inSegments: {sizes, widths: sizes}} : {}),
    });
  });
  const wrapped = modelFromConfig(topology);
  const original = layersByName(model);
  for (const [name, layer] of layersByName(wrapped)) {
    const plan = plans.get(name);
    if (plan == null) {
      layer.setWeights(original.get(name)!.getWeights());
      continue;
    }
    const inGroup = analysis.groupOf(plan.call.inputs[0]);
    if (plan.kind === 'producer' && (inGroup.continuous || analysis.segmentsOf(plan.call.inputs[0]) != null)) {
      const controls = toControls(plan.weights[0], inGroup.originalSize, quadrature);
      plan.weights[0].dispose();
      plan.weights[0] = controls;
    }
    layer.setWeights(plan.weights);
    tf.dispose(plan.weights);
  }
  const producers = [...plans].filter(([, p]) => p.kind === 'producer');
  const producerGroups = Object.fromEntries([
    ...producers.map(([name, p]) => [name, analysis.groupOf(p.call.outputs[0]).name]),
    ...analysis.calls.filter(c => INTEGRAL_PRODUCERS.has(c.layer.getClassName()))
        .map(c => [c.layer.name, analysis.groupOf(c.outputs[0]).name]),
  ]);
  const segmentConsumers = Object.fromEntries(producers.filter(([, p]) => analysis.segmentsOf(p.call.inputs[0]) != null)
                                                  .map(([name, p]) => [name, analysis.segmentsOf(p.call.inputs[0])!.map(g => g.name)]));
  // A Reshape of a continuous group names its channel count: it follows the group's width.
  const reshapeGroups = Object.fromEntries(
      analysis.calls.filter(c => c.layer.getClassName() === 'Reshape' && analysis.groupOf(c.inputs[0]).continuous)
          .map(c => [c.layer.name, analysis.groupOf(c.inputs[0]).name]));
  return new IntegralModel(wrapped, analysis.groups, {producerGroups, segmentConsumers, reshapeGroups}, permutation);
}
