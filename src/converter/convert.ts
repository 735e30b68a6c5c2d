/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {IntegralChannelwise} from '../layers/integral_channelwise';
import {IntegralLayer} from '../layers/integral_layer';
import {kernelToControls} from '../layers/integral_layer_util';
import {QUADRATURE_RULES, QuadratureRule} from '../ops/quadrature';
import {assertCubicA, DEFAULT_CUBIC_A} from '../ops/sampling';
import {assertArg} from '../util/errors';
import {analyzeChannels, ChannelAnalysis, ChannelGroup, GroupLayout, LayerCall} from './channel_groups';
import type {LayerKind} from './kinds/layer_kind';
import {CHANNELWISE_CLASS_NAME, kindOfClass} from './kinds/registry';
import {ChannelAxisRef, permuteGroups, PermutationReport} from './permutation';
import {disposeModel, forEachLayerConfig, LayerConfig, layerConfigName, layersByName, ModelConfig, modelConfig, modelFromConfig, removeLayerConfig} from './topology';

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
   * Fold each BatchNormalization that directly follows a Dense, Conv or DepthwiseConv2D (linear activation, sole
   * consumer) into it, with its inference statistics (default `true`). Others become per-channel integral layers.
   */
  foldBatchNorm?: boolean;
  /** Throw instead of keeping groups discrete when a layer is not supported (default `false`). */
  strict?: boolean;
}

type Options = Required<WrapOptions>;

/** What wrapModel does with one layer: its call, its weights in the stock layout (BatchNorm folded in). */
interface LayerPlan {
  call: LayerCall;
  kind: LayerKind;
  role: 'producer'|'channelwise'|'follower';
  weights: tf.Tensor[];
  /** The BatchNormalization folded into this layer, if any. */
  folded?: tfl.layers.Layer;
}

/** Stage 0: `model` with every layer that splits (SeparableConv2D) split, weights copied; null when none does. */
function splitLayers(model: tfl.LayersModel): tfl.LayersModel|null {
  const topology = modelConfig(model);
  const made: Array<ReturnType<NonNullable<LayerKind['split']>>[number]> = [];
  const layers = layersByName(model);
  forEachLayerConfig(topology, (entry, owner) => {
    const split = kindOfClass(entry.className)?.split;
    if (split != null) made.push(...split(entry, owner, layers.get(layerConfigName(entry))!));
  });
  if (made.length === 0) return null;
  const split = modelFromConfig(topology);
  for (const [name, layer] of layersByName(split)) {
    const filler = made.find(m => m.name === name);
    layer.setWeights(filler == null ? layers.get(name)!.getWeights() : filler.weights(layers.get(filler.from)!.getWeights()));
  }
  return split;
}

/** Stage 1 (after the analysis): with `strict`, an unsupported layer is an error. */
function checkStrict(analysis: ChannelAnalysis, strict: boolean) {
  const unsupported = analysis.groups.find(g => g.reason?.endsWith('is not supported'));
  assertArg(!strict || unsupported == null, 'wrapModel', 'model', 'made of supported layers (strict)',
            unsupported?.reason);
}

/** Stage 2: which BatchNormalization layers fold into the layer feeding them (by that layer's name). */
function planFolding(analysis: ChannelAnalysis, fold: boolean): Map<string, tfl.layers.Layer> {
  const folded = new Map<string, tfl.layers.Layer>();
  if (!fold) return folded;
  const consumers = new Map<number, number>();
  for (const call of analysis.calls) for (const t of call.inputs) consumers.set(t.id, (consumers.get(t.id) ?? 0) + 1);
  const callsOf = (l: tfl.layers.Layer) => analysis.calls.filter(c => c.layer === l);
  for (const call of analysis.calls) {
    if (analysis.kindOfCall(call)?.kind.foldableAffine == null) continue;
    const source = call.inputs[0].sourceLayer;
    const sourceCalls = callsOf(source);
    const target = sourceCalls.length === 1 ? analysis.kindOfCall(sourceCalls[0]) : null;
    if (target?.kind.scaleOutputChannels != null && !target.integral &&
        (source.getConfig().activation ?? 'linear') === 'linear' && callsOf(call.layer).length === 1 &&
        consumers.get(call.inputs[0].id) === 1 && !folded.has(source.name) &&
        analysis.groupOf(call.inputs[0]).continuous) {
      folded.set(source.name, call.layer);
    }
  }
  return folded;
}

/** `layer`'s weights with `bn` folded into its outputs: `W·s`, `b·s + t` for the affine map `x·s + t` of `bn`. */
function foldedWeights(layer: tfl.layers.Layer, kind: LayerKind, bn: tfl.layers.Layer|undefined,
                       analysis: ChannelAnalysis): tf.Tensor[] {
  if (bn == null) return layer.getWeights().map(w => w.clone());
  const bnKind = analysis.kindOfCall(analysis.calls.find(c => c.layer === bn)!)!.kind;
  return tf.tidy(() => {
    const [kernel, bias] = layer.getWeights();
    const {scale, shift} = bnKind.foldableAffine!(bn);
    return [kind.scaleOutputChannels!(kernel, scale), bias == null ? shift : tf.add(tf.mul(bias, scale), shift)];
  });
}

/**
 * Stage 3: what becomes of each layer: producers and channel followers take their integral twins, per-channel layers
 * of continuous groups an IntegralChannelwise.
 */
function planLayers(analysis: ChannelAnalysis, folded: Map<string, tfl.layers.Layer>): Map<string, LayerPlan> {
  const foldedBn = new Set(folded.values());
  const plans = new Map<string, LayerPlan>();
  for (const call of analysis.calls) {
    const found = analysis.kindOfCall(call);
    if (found == null || found.integral || plans.has(call.layer.name) || foldedBn.has(call.layer)) continue;
    const {kind} = found;
    const role = kind.twin != null ? 'producer' : kind.channelFollower != null ? 'follower' :
        kind.channelwise != null && analysis.groupOf(call.inputs[0]).continuous ? 'channelwise' : null;
    if (role == null) continue;
    const bn = folded.get(call.layer.name);
    plans.set(call.layer.name, {call, kind, role, folded: bn, weights: foldedWeights(call.layer, kind, bn, analysis)});
  }
  return plans;
}

/** The channel axes of a plan's weights, per group, for the permutation. */
function channelAxes(plan: LayerPlan, analysis: ChannelAnalysis): ChannelAxisRef[] {
  const refs: ChannelAxisRef[] = [];
  for (const {weight, axis, tensor} of plan.kind.weightAxes?.(plan.weights) ?? []) {
    const t = tensor === 'input' ? plan.call.inputs[0] : plan.call.outputs[0];
    const {outer, inner} = analysis.layoutOf(t);
    const shape = plan.weights[weight].shape;
    const a = shape.length + axis;
    const before = shape.slice(0, a).reduce((x, y) => x * y, 1) * outer;
    const after = shape.slice(a + 1).reduce((x, y) => x * y, 1) * inner;
    let offset = 0;
    const segments = analysis.segmentsOf(t) ?? [analysis.groupOf(t)];
    const total = shape[a] / (outer * inner);
    for (const g of segments) {
      if (g.continuous) refs.push({group: g.name, weights: plan.weights, index: weight, before, after, total, offset});
      offset += g.originalSize;
    }
  }
  return refs;
}

/**
 * Stage 4 (optional): each continuous group's channels reordered along a short path of total variation, in every
 * plan's weights. Groups with layers that hold controls already keep their order: permuting controls is exact only
 * at the nodes.
 */
async function permuteChannels(plans: Map<string, LayerPlan>, analysis: ChannelAnalysis, o: Options) {
  const integralGroups = new Set(analysis.calls.filter(c => analysis.kindOfCall(c)?.integral)
                                     .flatMap(c => [...c.inputs, ...c.outputs].map(t => analysis.groupOf(t).name)));
  const refs = [...plans.values()].flatMap(p => channelAxes(p, analysis));
  const groups = analysis.groups.filter(g => g.continuous && !integralGroups.has(g.name))
                     .map(g => ({name: g.name, size: g.originalSize}));
  return permuteGroups(groups, refs, {seed: o.seed, budgetMs: o.permuteBudgetMs});
}

/** Whether a producer integrates its input axis, i.e. that axis is continuous or a concatenation of groups. */
function integratesInput(plan: LayerPlan, analysis: ChannelAnalysis): boolean {
  const input = plan.call.inputs[0];
  return plan.kind.twin!.integratesInput &&
      (analysis.groupOf(input).continuous || analysis.segmentsOf(input) != null);
}

/** A producer's entry rewritten as its integral twin. */
function producerEntry(entry: LayerConfig, plan: LayerPlan, analysis: ChannelAnalysis, o: Options) {
  const twin = plan.kind.twin!;
  const [input, output] = [plan.call.inputs[0], plan.call.outputs[0]];
  const inGroup = analysis.groupOf(input);
  const {outer, inner} = analysis.layoutOf(input);
  const segments = analysis.segmentsOf(input);
  const inContinuous = integratesInput(plan, analysis);
  const config = twin.twinConfig?.(entry, plan.call) ?? entry.config;
  const sizes = segments?.map(g => g.originalSize);
  entry.className = twin.className;
  entry.config = IntegralLayer.twinConfig({
    ...config,
    ...('useBias' in config || plan.weights.length > 1 ? {useBias: plan.weights.length > 1} : {}),
  }, {
    quadrature: o.quadrature, cubicA: o.cubicA, inContinuous, outContinuous: analysis.groupOf(output).continuous,
    outControlSize: analysis.groupOf(output).originalSize,
    // A discrete input axis is taken whole, as it is; a continuous one is integrated per tap and inner entry.
    ...(twin.integratesInput ? {inControlSize: inContinuous ? inGroup.originalSize : input.shape[input.rank - 1]!} : {}),
    ...(inContinuous && outer > 1 ? {inTaps: outer} : {}),
    ...(inContinuous && inner > 1 ? {inInner: inner} : {}),
    ...(sizes != null ? {inSegments: {sizes, widths: sizes}} : {}),
  });
}

/** A per-channel layer's entry rewritten as an IntegralChannelwise. */
function channelwiseEntry(entry: LayerConfig, plan: LayerPlan, analysis: ChannelAnalysis, o: Options) {
  const input = plan.call.inputs[0];
  const wrapped = {className: entry.className, config: {...entry.config, ...(plan.folded != null ? {useBias: true} : {})}};
  entry.config = IntegralChannelwise.configFor(wrapped, {
    controlSize: analysis.groupOf(input).originalSize, inner: analysis.layoutOf(input).inner, cubicA: o.cubicA});
  entry.className = CHANNELWISE_CLASS_NAME;
}

/** Stage 5: the wrapped model's topology: folded BatchNormalizations removed, planned layers rewritten. */
function integralTopology(model: tfl.LayersModel, analysis: ChannelAnalysis, plans: Map<string, LayerPlan>,
                          folded: Map<string, tfl.layers.Layer>, o: Options): ModelConfig {
  const topology = modelConfig(model);
  const foldedInto = new Map([...folded].map(([target, bn]) => [bn.name, target]));
  forEachLayerConfig(topology, (entry, owner) => {
    const name = layerConfigName(entry);
    const plan = plans.get(name);
    if (foldedInto.has(name)) {
      removeLayerConfig(owner, name, foldedInto.get(name)!);
    } else if (plan?.role === 'producer') {
      producerEntry(entry, plan, analysis, o);
    } else if (plan?.role === 'channelwise') {
      channelwiseEntry(entry, plan, analysis, o);
    } else if (plan?.role === 'follower') {
      const twin = plan.kind.channelFollower!;
      entry.config = twin.twinConfig?.(entry, plan.call) ?? entry.config;
      entry.className = twin.className;
    }
  });
  return topology;
}

/** Stage 6: the wrapped model, holding controls (`W / q`) where inputs are integrated and the other weights as they are. */
function buildWrapped(topology: ModelConfig, model: tfl.LayersModel, plans: Map<string, LayerPlan>,
                      analysis: ChannelAnalysis, quadrature: QuadratureRule): tfl.LayersModel {
  const wrapped = modelFromConfig(topology);
  const original = layersByName(model);
  for (const [name, layer] of layersByName(wrapped)) {
    const plan = plans.get(name);
    if (plan == null) {
      layer.setWeights(original.get(name)!.getWeights());
      continue;
    }
    if (plan.role === 'producer' && integratesInput(plan, analysis)) {
      const {outer, inner} = analysis.layoutOf(plan.call.inputs[0]);
      const layout = {taps: outer, inner, transposed: plan.kind.twin!.transposed};
      const controls = kernelToControls(plan.weights[0], layout, quadrature);
      plan.weights[0].dispose();
      plan.weights[0] = controls;
    }
    layer.setWeights(plan.weights);
  }
  return wrapped;
}

/** Stage 7: which integral layers follow which groups. */
function groupLayout(plans: Map<string, LayerPlan>, analysis: ChannelAnalysis): GroupLayout {
  const producerCalls = analysis.calls.filter(c => analysis.kindOfCall(c)?.kind.twin != null);
  const producerGroups = Object.fromEntries(producerCalls.map(c => [c.layer.name, analysis.groupOf(c.outputs[0]).name]));
  const segmentConsumers = Object.fromEntries(
      [...plans].filter(([, p]) => p.role === 'producer' && analysis.segmentsOf(p.call.inputs[0]) != null)
          .map(([name, p]) => [name, analysis.segmentsOf(p.call.inputs[0])!.map(g => g.name)]));
  return {producerGroups, segmentConsumers};
}

/** `options` with defaults, checked: Errors name `wrapModel` and the field. */
function checkedOptions(options: unknown): Options {
  const op = 'wrapModel';
  assertArg(options != null && typeof options === 'object' && !Array.isArray(options), op, 'options', 'an object',
            options);
  const {permute = true, quadrature = 'trapezoid', cubicA = DEFAULT_CUBIC_A, seed = 1, permuteBudgetMs = 2000,
         foldBatchNorm = true, strict = false} = options as WrapOptions;
  for (const [name, value] of Object.entries({permute, foldBatchNorm, strict})) {
    assertArg(typeof value === 'boolean', op, `options.${name}`, 'a boolean', value);
  }
  assertArg(QUADRATURE_RULES.includes(quadrature), op, 'options.quadrature', `one of ${QUADRATURE_RULES.join(', ')}`,
            quadrature);
  assertCubicA(op, 'options.cubicA', cubicA);
  assertArg(Number.isSafeInteger(seed), op, 'options.seed', 'an integer', seed);
  assertArg(typeof permuteBudgetMs === 'number' && permuteBudgetMs >= 0 && permuteBudgetMs <= 3.6e6, op,
            'options.permuteBudgetMs', 'milliseconds in [0, 3600000]', permuteBudgetMs);
  return {permute, quadrature, cubicA, seed, permuteBudgetMs, foldBatchNorm, strict};
}

/** What a conversion gives: the integral network at the original widths, its groups, layout and permutation. */
export interface Conversion {
  /** The network of integral layers (taken over by the caller). */
  wrapped: tfl.LayersModel;
  groups: ChannelGroup[];
  layout: GroupLayout;
  permutation: PermutationReport[];
}

/**
 * Converts a LayersModel into a network of integral layers (docs/api.md §4): finds the channel groups, folds
 * BatchNormalization, optionally permutes each group's channels towards smooth weight functions, turns every producer
 * into its integral twin holding `controls = W / q` and every per-channel layer of a continuous group into an
 * `IntegralChannelwise`; a SeparableConv2D becomes its depthwise and pointwise halves. `model` is not changed.
 */
export async function convertModel(model: tfl.LayersModel, options: WrapOptions): Promise<Conversion> {
  const o = checkedOptions(options);
  const split = splitLayers(model);
  if (split != null) {
    try {
      return await convertModel(split, options);
    } finally {
      disposeModel(split);
    }
  }
  const analysis = analyzeChannels(model);
  checkStrict(analysis, o.strict);
  const folded = planFolding(analysis, o.foldBatchNorm);
  const plans = planLayers(analysis, folded);
  let permutation: PermutationReport[] = [];
  try {
    if (o.permute) permutation = await permuteChannels(plans, analysis, o);
    const wrapped = buildWrapped(integralTopology(model, analysis, plans, folded, o), model, plans, analysis,
                                 o.quadrature);
    return {wrapped, groups: analysis.groups, layout: groupLayout(plans, analysis), permutation};
  } finally {
    for (const plan of plans.values()) tf.dispose(plan.weights);
  }
}
