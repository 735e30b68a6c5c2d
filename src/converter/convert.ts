/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {QuadratureRule, uniformQuadrature} from '../ops/quadrature';
import {DEFAULT_CUBIC_A} from '../ops/sampling';
import {assertArg} from '../util/errors';
import {analyzeChannels, ChannelAnalysis, LayerCall} from './channel_groups';
import {IntegralModel} from './integral_model';
import {forEachLayerConfig, layerConfigName, layersByName, modelConfig, modelFromConfig, removeLayerConfig} from './model_json';
import {permuteGroups, PermutationReport} from './permutation';

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
   * Fold each BatchNormalization that directly follows a Dense / Conv2D (linear activation, sole consumer) into it,
   * with inference statistics (default `true`). A BatchNormalization that is not folded keeps its group discrete.
   */
  foldBatchNorm?: boolean;
  /** Throw instead of keeping groups discrete when a layer is not supported (default `false`). */
  strict?: boolean;
}

const PRODUCERS = new Set(['Dense', 'Conv2D']);

/** A producer's weights in the stock layout, with folded BatchNormalization applied. */
export interface ProducerWeights {
  kernel: tf.Tensor;
  bias: tf.Tensor1D;
}

/** Plans which BatchNormalization layers fold into their producer; the others make their group discrete. */
function planBatchNormFolding(analysis: ChannelAnalysis, fold: boolean): Map<string, tfl.layers.Layer> {
  const consumers = new Map<number, number>();
  for (const call of analysis.calls) for (const t of call.inputs) consumers.set(t.id, (consumers.get(t.id) ?? 0) + 1);
  const folded = new Map<string, tfl.layers.Layer>();  // producer name -> BN layer
  const callsOf = (l: tfl.layers.Layer) => analysis.calls.filter(c => c.layer === l);
  for (const call of analysis.calls) {
    if (call.layer.getClassName() !== 'BatchNormalization') continue;
    const group = analysis.groupOf(call.inputs[0]);
    const source = call.inputs[0].sourceLayer;
    const foldable = fold && PRODUCERS.has(source.getClassName()) &&
        (source.getConfig().activation ?? 'linear') === 'linear' && callsOf(source).length === 1 &&
        callsOf(call.layer).length === 1 && consumers.get(call.inputs[0].id) === 1 && !folded.has(source.name);
    if (foldable) {
      folded.set(source.name, call.layer);
    } else if (group.continuous) {
      group.continuous = false;
      group.reason = `layer '${call.layer.name}' (BatchNormalization) is not folded into a Dense / Conv2D`;
    }
  }
  return folded;
}

/** Kernel and bias of `producer`, with `bn` folded in: `W·s`, `(b - mean)·s + β`, `s = γ / √(var + ε)`. */
function producerWeights(producer: tfl.layers.Layer, bn?: tfl.layers.Layer): ProducerWeights {
  return tf.tidy(() => {
    const [kernel, bias] = producer.getWeights();
    const units = kernel.shape[kernel.rank - 1];
    let b = (bias ?? tf.zeros([units])) as tf.Tensor1D;
    if (bn == null) return {kernel: kernel.clone(), bias: b.clone()};
    const cfg = bn.getConfig();
    const w = bn.getWeights();
    let k = 0;
    const gamma = cfg.scale !== false ? w[k++] : tf.ones([units]);
    const beta = cfg.center !== false ? w[k++] : tf.zeros([units]);
    const [mean, variance] = [w[k], w[k + 1]];
    const s = tf.div(gamma, tf.sqrt(tf.add(variance, cfg.epsilon as number ?? 1e-3)));
    b = tf.add(tf.mul(tf.sub(b, mean), s), beta) as tf.Tensor1D;
    return {kernel: tf.mul(kernel, s), bias: b};
  });
}

/** `controls = W / q` along the (per-tap) input axis: exact conversion at the original width (api.md §1). */
function toControls(kernel: tf.Tensor, nIn: number, continuous: boolean, quadrature: QuadratureRule): tf.Tensor {
  if (!continuous) return kernel.clone();
  return tf.tidy(() => {
    const q = tf.tensor1d(Float32Array.from(uniformQuadrature(quadrature, nIn, Math.max(nIn - 1, 1))));
    const perTap = tf.reshape(kernel, [-1, nIn, kernel.shape[kernel.rank - 1]]);
    return tf.reshape(tf.div(perTap, tf.reshape(q, [-1, 1])), kernel.shape);
  });
}

/**
 * Wraps a LayersModel as an Integral Neural Network (api.md §4): finds the channel groups, folds BatchNormalization,
 * optionally permutes each group's channels towards smooth weight functions, and turns every Dense / Conv2D into its
 * integral twin holding `controls = W / q`. At the original width the result predicts what `model` predicts; `model`
 * itself is not changed.
 */
export async function wrapModel(model: tfl.LayersModel, options: WrapOptions = {}): Promise<IntegralModel> {
  const {permute = true, quadrature = 'trapezoid', cubicA = DEFAULT_CUBIC_A, seed = 1, permuteBudgetMs = 2000,
         foldBatchNorm = true, strict = false} = options;
  const analysis = analyzeChannels(model);
  const unsupported = analysis.groups.find(g => g.reason?.endsWith('is not supported'));
  assertArg(!strict || unsupported == null, 'wrapModel', 'model', 'made of supported layers (strict)',
            unsupported?.reason);
  const folded = planBatchNormFolding(analysis, foldBatchNorm);
  const producerCalls = new Map<string, LayerCall>();
  for (const call of analysis.calls) {
    if (PRODUCERS.has(call.layer.getClassName()) && !producerCalls.has(call.layer.name)) {
      producerCalls.set(call.layer.name, call);
    }
  }
  const weights = new Map<string, ProducerWeights>();
  for (const [name, call] of producerCalls) weights.set(name, producerWeights(call.layer, folded.get(name)));
  let permutation: PermutationReport[] = [];
  if (permute) permutation = await permuteGroups(analysis, producerCalls, weights, {seed, budgetMs: permuteBudgetMs});

  const topology = modelConfig(model);
  const bnNames = new Map([...folded].map(([producer, bn]) => [bn.name, producer]));
  forEachLayerConfig(topology, (entry, owner) => {
    const name = layerConfigName(entry);
    if (bnNames.has(name)) {
      removeLayerConfig(owner, name, bnNames.get(name)!);
      return;
    }
    const call = producerCalls.get(name);
    if (call == null) return;
    const [inGroup, outGroup] = [analysis.groupOf(call.inputs[0]), analysis.groupOf(call.outputs[0])];
    const taps = analysis.tapsOf(call.inputs[0]);
    entry.className = entry.className === 'Dense' ? 'IntegralDense' : 'IntegralConv2D';
    Object.assign(entry.config, {
      useBias: true, quadrature, cubicA, inContinuous: inGroup.continuous, outContinuous: outGroup.continuous,
      // A flattened input integrates its channel axis per spatial tap; a discrete one takes the whole axis as is.
      inControlSize: inGroup.continuous ? inGroup.originalSize : taps * inGroup.originalSize,
      outControlSize: outGroup.originalSize,
      ...(entry.className === 'IntegralDense' && taps > 1 && inGroup.continuous ? {inTaps: taps} : {}),
    });
  });
  const wrapped = modelFromConfig(topology);
  const original = layersByName(model);
  for (const [name, layer] of layersByName(wrapped)) {
    const call = producerCalls.get(name);
    if (call == null) {
      layer.setWeights(original.get(name)!.getWeights());
      continue;
    }
    const {kernel, bias} = weights.get(name)!;
    const inGroup = analysis.groupOf(call.inputs[0]);
    const nIn = inGroup.continuous ? inGroup.originalSize : kernel.shape[kernel.rank - 2];
    const controls = toControls(kernel, nIn, inGroup.continuous, quadrature);
    layer.setWeights([controls, bias]);
    tf.dispose([controls, kernel, bias]);
  }
  const producerGroups = Object.fromEntries(
      [...producerCalls].map(([name, call]) => [name, analysis.groupOf(call.outputs[0]).name]));
  return new IntegralModel(wrapped, analysis.groups, producerGroups, permutation);
}
