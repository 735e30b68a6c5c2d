/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {IntegralChannelwise} from '../layers/integral_channelwise';
import {IntegralLayer} from '../layers/integral_layer';
import {INTEGRAL_ARG_NAMES} from '../layers/integral_layer_util';
import {assertArg, isPositiveInteger} from '../util/errors';
import {mulberry32} from '../util/random';
import {CalibrateOptions, calibrateLayers, CalibrationData, CalibrationTarget, outputSampling} from './calibrate';
import {ChannelGroup} from './channel_groups';
import {CHANNELWISE_CLASS_NAME, kindOfClass, kindOfTwin} from './kinds/registry';
import {PermutationReport} from './permutation';
import {buildWithNestedShapes, disposeModel, forEachLayerConfig, insertBefore, layerConfigName, layersByName, modelConfig} from './topology';
import {applyToLayers, applyToTopology, GroupLayout, planWidths} from './width_plan';

/** Random-width training (inn-math.md §6): one width per continuous group and batch, drawn uniformly. */
export interface RandomWidth {
  /** Smallest width, as a fraction of each group's original width (rounded, at least 1). */
  min: number;
  /** Largest width, as a fraction (default 1). */
  max?: number;
  /** Seed of the draws: groups in `groups` order, one draw per group per batch (default 1). */
  seed?: number;
}

/** `model.fit` arguments plus {@link RandomWidth}. */
export type IntegralFitArgs = tfl.ModelFitArgs & {randomWidth?: RandomWidth};

/** Key of the IntegralModel description in a saved model's user-defined metadata. */
const METADATA_KEY = 'tfjsIntegral';

interface IntegralMetadata extends GroupLayout {
  groups: ChannelGroup[];
}

/**
 * An Integral Neural Network made from a LayersModel (api.md §4): a LayersModel of integral layers at the current
 * widths, with its channel groups. Resampling gives a new IntegralModel at other widths from the same controls;
 * `toLayersModel()` gives a model of stock layers only.
 */
export class IntegralModel {
  /** The current network: integral layers sampling their controls at the groups' current widths. */
  readonly model: tfl.LayersModel;
  /** Channel groups with their current and original widths, discrete ones with the reason. */
  readonly groups: ChannelGroup[];
  /** Permutation results per group (empty when not permuted). */
  readonly permutation: PermutationReport[];
  private readonly layout: GroupLayout;

  constructor(model: tfl.LayersModel, groups: ChannelGroup[], layout: GroupLayout,
              permutation: PermutationReport[] = []) {
    this.model = model;
    this.groups = groups.map(g => ({...g, layers: [...g.layers]}));
    this.layout = layout;
    this.permutation = permutation;
  }

  /** `model.predict` at the current widths. */
  predict(x: tf.Tensor|tf.Tensor[], args?: Parameters<tfl.LayersModel['predict']>[1]): tf.Tensor|tf.Tensor[] {
    return this.model.predict(x, args);
  }

  /** `model.compile`. */
  compile(args: tfl.ModelCompileArgs) {
    this.model.compile(args);
  }

  /** `model.evaluate` at the current widths. */
  evaluate(x: tf.Tensor|tf.Tensor[], y: tf.Tensor|tf.Tensor[], args?: tfl.ModelEvaluateArgs) {
    return this.model.evaluate(x, y, args);
  }

  /**
   * `model.fit`; with `randomWidth`, every batch runs at widths drawn per group from the seeded distribution, and
   * the groups return to their current widths after each batch (so validation and the result use them).
   */
  async fit(x: tf.Tensor|tf.Tensor[], y: tf.Tensor|tf.Tensor[], args: IntegralFitArgs = {}): Promise<tfl.History> {
    const {randomWidth, ...fitArgs} = args;
    if (randomWidth == null) return this.model.fit(x, y, fitArgs);
    return this.model.fit(x, y, {...fitArgs, callbacks: this.randomWidthCallbacks(randomWidth, fitArgs.callbacks)});
  }

  /** `model.fitDataset` with the same `randomWidth` option as {@link fit}. */
  async fitDataset<T>(dataset: Parameters<tfl.LayersModel['fitDataset']>[0],
                      args: tfl.ModelFitDatasetArgs<T> & {randomWidth?: RandomWidth}): Promise<tfl.History> {
    const {randomWidth, ...fitArgs} = args;
    if (randomWidth == null) return this.model.fitDataset(dataset, fitArgs);
    return this.model.fitDataset(dataset, {...fitArgs, callbacks: this.randomWidthCallbacks(randomWidth, fitArgs.callbacks)});
  }

  private randomWidthCallbacks(spec: RandomWidth, user: tfl.ModelFitArgs['callbacks']) {
    const {min, max = 1, seed = 1} = spec;
    assertArg(Number.isFinite(min) && min > 0 && Number.isFinite(max) && max >= min, 'IntegralModel.fit', 'randomWidth',
              '{min, max} with 0 < min ≤ max', spec);
    const random = mulberry32(seed);
    const continuous = this.groups.filter(g => g.continuous);
    const callbacks = {
      onBatchBegin: async () => {
        this.setLayerWidths(new Map(continuous.map(g => {
          const lo = Math.max(1, Math.round(min * g.originalSize)), hi = Math.max(lo, Math.round(max * g.originalSize));
          return [g.name, lo + Math.floor(random() * (hi - lo + 1))];
        })));
      },
      onBatchEnd: async () => this.setLayerWidths(new Map(this.groups.map(g => [g.name, g.size]))),
    };
    const others = user == null ? [] : Array.isArray(user) ? user : [user];
    return [callbacks, ...others] as tfl.ModelFitArgs['callbacks'];
  }

  /** Resizes the live layers to `widths` (by group name; groups not named keep theirs). */
  private setLayerWidths(widths: Map<string, number>) {
    applyToLayers(planWidths(this.layout, widths, g => this.group(g).size), this.model);
  }

  private group(name: string): ChannelGroup {
    return this.groups.find(g => g.name === name)!;
  }

  /**
   * A new IntegralModel at other widths, from the same controls (this one is unchanged). `spec`: a number scales
   * every continuous group's original width (rounded, at least 1); an object sets named groups' widths.
   */
  resample(spec: number|Record<string, number>): IntegralModel {
    const widths = this.widthsFor(spec);
    const topology = modelConfig(this.model);
    applyToTopology(planWidths(this.layout, widths, g => this.group(g).size), topology);
    const model = buildWithNestedShapes(topology);
    const source = layersByName(this.model);
    for (const [name, layer] of layersByName(model)) layer.setWeights(source.get(name)!.getWeights());
    const groups = this.groups.map(g => ({...g, size: widths.get(g.name) ?? g.size}));
    for (const g of groups) {
      if (g.segments != null) g.size = g.segments.reduce((sum, c) => sum + groups.find(x => x.name === c)!.size, 0);
    }
    return new IntegralModel(model, groups, this.layout, this.permutation);
  }

  private widthsFor(spec: number|Record<string, number>): Map<string, number> {
    const op = 'IntegralModel.resample';
    const widths = new Map<string, number>();
    if (typeof spec === 'number') {
      assertArg(Number.isFinite(spec) && spec > 0, op, 'spec', 'a positive scale or an object of group widths', spec);
      for (const g of this.groups) if (g.continuous) widths.set(g.name, Math.max(1, Math.round(spec * g.originalSize)));
      return widths;
    }
    assertArg(spec != null && typeof spec === 'object', op, 'spec', 'a positive scale or an object of group widths', spec);
    for (const [name, width] of Object.entries(spec)) {
      const g = this.groups.find(x => x.name === name);
      assertArg(g != null, op, `spec.${name}`, `a group name (${this.groups.filter(x => x.continuous).map(x => x.name).join(', ')})`, name);
      assertArg(g.continuous, op, `spec.${name}`, `a continuous group (this one is discrete: ${g.reason})`, width);
      assertArg(isPositiveInteger(width), op, `spec.${name}`, 'a positive integer', width);
      widths.set(name, width);
    }
    return widths;
  }

  /**
   * The network at its current widths as stock layers only (Dense, Conv2D, ... with the sampled weights): loads and
   * runs with stock tfjs, without this package.
   */
  toLayersModel(): tfl.LayersModel {
    const topology = modelConfig(this.model);
    const source = layersByName(this.model);
    forEachLayerConfig(topology, (entry, owner) => {
      if (entry.className === CHANNELWISE_CLASS_NAME) {
        const {name, trainable, batchInputShape} = entry.config;
        const wrapped = entry.config.wrapped as {className: string, config: tf.serialization.ConfigDict};
        entry.className = wrapped.className;
        entry.config = {...wrapped.config, name, trainable, ...(batchInputShape ? {batchInputShape} : {})};
        return;
      }
      const kind = kindOfTwin(entry.className);
      const twin = kind?.twin ?? kind?.channelFollower;
      if (twin == null) return;
      entry.className = twin.stockClassName;
      for (const key of INTEGRAL_ARG_NAMES) delete entry.config[key];
      const added = twin.exportEntries?.(entry, source.get(layerConfigName(entry))!) ?? [];
      if (added.length > 0) insertBefore(owner, entry, added);
    });
    const plain = buildWithNestedShapes(topology);
    for (const [name, layer] of layersByName(plain)) {
      const from = source.get(name);
      if (from == null) continue;  // a stock layer the export added
      if (!(from instanceof IntegralChannelwise || from instanceof IntegralLayer)) {
        layer.setWeights(from.getWeights());
        continue;
      }
      // Fresh copies: on wasm a reshaped tensor keeps its data's original shape, which wasm's fused kernels read.
      const weights = from.stockWeights();
      const copies = weights.map(w => tf.clone(w));
      layer.setWeights(copies);
      tf.dispose([...copies, ...weights]);
    }
    return plain;
  }

  /**
   * A new IntegralModel at the same widths whose producers are re-fitted to the full-width network on unlabeled
   * inputs `x` (api.md §5): layer by layer in graph order, each producer's pre-activation output on `x` is fitted by
   * least squares (float64, a ridge relative to its input's scale) to the full width's sampled at its channel
   * positions, its inputs coming from the layers already re-fitted. The fitted weights become control grids of the
   * current sizes (converted exactly). `x`: a tensor `[N, ...input shape]` or a `tf.data.Dataset` of inputs or
   * input batches; a few hundred are enough. This model is unchanged; at the original widths the result computes
   * what this one computes.
   */
  async calibrate(x: CalibrationData, options: CalibrateOptions = {}): Promise<IntegralModel> {
    assertArg(options != null && typeof options === 'object', 'calibrate', 'options', 'an object', options);
    const positioned = [...layersByName(this.model).values()].find(
        l => l instanceof IntegralLayer && l.integral.trainablePositions);
    assertArg(positioned == null, 'calibrate', 'model', 'free of layers with trainable positions',
              `layer '${positioned?.name}'`);
    const originals = Object.fromEntries(this.groups.filter(g => g.continuous).map(g => [g.name, g.originalSize]));
    const full = this.resample(originals);
    const [fullStock, narrowStock] = [full.toLayersModel(), this.toLayersModel()];
    const targets = this.calibrationTargets(narrowStock, fullStock);
    try {
      await calibrateLayers(narrowStock, fullStock, targets, x, options);
      return this.withStockWeights(narrowStock, targets.map(t => t.name));
    } finally {
      tf.dispose(targets.map(t => t.sampling).filter(s => s != null));
      [full.model, fullStock, narrowStock].forEach(disposeModel);
    }
  }

  /**
   * The layers calibration re-fits (producers, and per-channel layers such as depthwise convolutions), in graph
   * order: from the first one whose widths differ from the original on (before it, the network is the full-width
   * one), each with the sampling of its output channels.
   */
  private calibrationTargets(narrow: tfl.LayersModel, full: tfl.LayersModel): CalibrationTarget[] {
    const fitted = narrow.layers.filter(l => kindOfClass(l.getClassName())?.calibration != null &&
                                             this.groupOfLayer(l.name) != null && l.inboundNodes.length === 1);
    const changed = (l: tfl.layers.Layer) => {
      const [a, b] = [l.getWeights()[0].shape, full.getLayer(l.name).getWeights()[0].shape];
      return a.some((d, i) => d !== b[i]);
    };
    const first = fitted.findIndex(changed);
    return (first < 0 ? [] : fitted.slice(first)).map(l => {
      const group = this.groupOfLayer(l.name)!;
      const sampled = group.continuous && group.size !== group.originalSize;
      return {name: l.name, sampling: sampled ? outputSampling(group.originalSize, group.size, this.cubicAOf(l.name)) : null};
    });
  }

  /** The group of a layer's output channels: the group a producer makes, or the one a per-channel layer is in. */
  private groupOfLayer(name: string): ChannelGroup|undefined {
    const produced = this.layout.producerGroups[name];
    if (produced != null) return this.group(produced);
    const layer = layersByName(this.model).get(name);
    return layer instanceof IntegralChannelwise ? this.groups.find(g => g.segments == null && g.layers.includes(name)) :
                                                  undefined;
  }

  /** The Keys parameter the integral layer `name` samples with. */
  private cubicAOf(name: string): number {
    const layer = layersByName(this.model).get(name)!;
    return layer instanceof IntegralLayer ? layer.integral.cubicA : (layer as IntegralChannelwise).cubicA;
  }

  /** A new IntegralModel whose integral layers `names` hold the weights of `stock`'s, as controls of their sizes. */
  private withStockWeights(stock: tfl.LayersModel, names: string[]): IntegralModel {
    const source = layersByName(this.model);
    const states = new Map(names.map(n => [n, (source.get(n) as IntegralLayer|IntegralChannelwise).controlsAtCurrentWidths(
                                                  stock.getLayer(n).getWeights())]));
    try {
      const topology = modelConfig(this.model);
      forEachLayerConfig(topology, entry => Object.assign(entry.config, states.get(layerConfigName(entry))?.config));
      const model = buildWithNestedShapes(topology);
      for (const [name, layer] of layersByName(model)) layer.setWeights(states.get(name)?.weights ?? source.get(name)!.getWeights());
      return new IntegralModel(model, this.groups, this.layout, this.permutation);
    } finally {
      for (const s of states.values()) tf.dispose(s.weights);
    }
  }

  /** Saves the network and its groups (`tf.io` URL or handler); {@link loadIntegralModel} reads it back. */
  async save(handlerOrURL: string|tf.io.IOHandler): Promise<tf.io.SaveResult> {
    const metadata: IntegralMetadata = {groups: this.groups, ...this.layout};
    // A JSON round trip drops `undefined` fields, which tfjs's plain-object check rejects.
    this.model.setUserDefinedMetadata(JSON.parse(JSON.stringify({[METADATA_KEY]: metadata})));
    return this.model.save(handlerOrURL);
  }
}

/** Loads an IntegralModel saved with `IntegralModel.save`: its controls, groups and widths. */
export async function loadIntegralModel(handlerOrURL: string|tf.io.IOHandler): Promise<IntegralModel> {
  const model = await tfl.loadLayersModel(handlerOrURL);
  const inn = integralModelOf(model);
  if (inn == null) {
    disposeModel(model);
    throw new Error(`Error in loadIntegralModel: '${typeof handlerOrURL === 'string' ? handlerOrURL : 'handler'}' ` +
                    `holds a LayersModel without IntegralModel metadata; wrap it with wrapModel instead.`);
  }
  return inn;
}

/** The IntegralModel of a loaded LayersModel that `IntegralModel.save` wrote (its metadata), or null for others. */
export function integralModelOf(model: tfl.LayersModel): IntegralModel|null {
  const metadata = (model.getUserDefinedMetadata() as {[METADATA_KEY]?: IntegralMetadata}|undefined)?.[METADATA_KEY];
  if (metadata == null) return null;
  return new IntegralModel(model, metadata.groups, {producerGroups: metadata.producerGroups,
                           segmentConsumers: metadata.segmentConsumers});
}
