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
import {freshCopy} from '../util/fresh_copy';
import {MAX_UPSAMPLING} from '../util/limits';
import {mulberry32} from '../util/random';
import {CalibrateOptions, calibrateLayers, CalibrationData, CalibrationTarget, outputSampling} from './calibrate';
import {ChannelGroup} from './channel_groups';
import {CHANNELWISE_CLASS_NAME, kindOfClass, kindOfTwin} from './kinds/registry';
import {checkTopologySizes, IntegralMetadata, METADATA_KEY, validatedMetadata} from './metadata';
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
export type IntegralFitArgs = tfl.ModelFitArgs & {
  /** Train at random widths (see {@link RandomWidth}). */
  randomWidth?: RandomWidth;
};

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

  /** The widths a running random-width fit has set on the live layers, by group (null: the model's own). */
  private liveWidths: Map<string, number>|null = null;
  /** True while a random-width fit runs. */
  private fitting = false;

  /** `model.predict` at the model's widths (also while a random-width fit runs). */
  predict(x: tf.Tensor|tf.Tensor[], args?: Parameters<tfl.LayersModel['predict']>[1]): tf.Tensor|tf.Tensor[] {
    return this.atOwnWidths(() => this.model.predict(x, args));
  }

  /**
   * Runs `fn` (synchronous) with the live layers at the model's own widths, putting back the widths of a running
   * random-width fit afterwards: JavaScript runs nothing else meanwhile, so the fit never sees them.
   */
  private atOwnWidths<T>(fn: () => T): T {
    const live = this.liveWidths;
    if (live == null) return fn();
    this.setLayerWidths(this.ownWidths());
    try {
      return fn();
    } finally {
      this.setLayerWidths(live);
    }
  }

  private ownWidths(): Map<string, number> {
    return new Map(this.groups.map(g => [g.name, g.size]));
  }

  /** `model.compile`. */
  compile(args: tfl.ModelCompileArgs) {
    this.model.compile(args);
  }

  /** `model.evaluate` at the model's widths (also while a random-width fit runs). */
  evaluate(x: tf.Tensor|tf.Tensor[], y: tf.Tensor|tf.Tensor[], args?: tfl.ModelEvaluateArgs) {
    return this.atOwnWidths(() => this.model.evaluate(x, y, args));
  }

  /**
   * `model.fit`; with `randomWidth`, every batch runs at widths drawn per group from the seeded distribution, and
   * the groups return to their own widths after each batch (so validation and the result use them) and on every
   * exit (the end, `stopTraining`, an error, a callback that throws). Meanwhile `predict`, `evaluate`, `resample`,
   * `calibrate` and `toLayersModel` see the model's own widths; `save` waits for no fit and throws.
   */
  async fit(x: tf.Tensor|tf.Tensor[], y: tf.Tensor|tf.Tensor[], args: IntegralFitArgs = {}): Promise<tfl.History> {
    const {randomWidth, ...fitArgs} = args;
    if (randomWidth == null) return this.model.fit(x, y, fitArgs);
    return this.withRandomWidths(randomWidth, fitArgs.callbacks,
                                 callbacks => this.model.fit(x, y, {...fitArgs, callbacks}));
  }

  /** `model.fitDataset` with the same `randomWidth` option as {@link fit}. */
  async fitDataset<T>(dataset: Parameters<tfl.LayersModel['fitDataset']>[0],
                      args: tfl.ModelFitDatasetArgs<T> & {randomWidth?: RandomWidth}): Promise<tfl.History> {
    const {randomWidth, ...fitArgs} = args;
    if (randomWidth == null) return this.model.fitDataset(dataset, fitArgs);
    return this.withRandomWidths(randomWidth, fitArgs.callbacks,
                                 callbacks => this.model.fitDataset(dataset, {...fitArgs, callbacks}));
  }

  /** Runs a fit with the random-width callbacks, restoring the model's own widths however it ends. */
  private async withRandomWidths(spec: RandomWidth, user: tfl.ModelFitArgs['callbacks'],
                                 fit: (callbacks: tfl.ModelFitArgs['callbacks']) => Promise<tfl.History>) {
    const callbacks = this.randomWidthCallbacks(spec, user);
    this.fitting = true;
    // A scope: a fit that a callback aborts mid-batch leaves that batch's tensors behind (variables outlive it).
    tf.engine().startScope();
    try {
      return await fit(callbacks);
    } finally {
      tf.engine().endScope();
      this.fitting = false;
      this.liveWidths = null;
      this.setLayerWidths(this.ownWidths());
    }
  }

  private randomWidthCallbacks(spec: RandomWidth, user: tfl.ModelFitArgs['callbacks']) {
    const {min, max = 1, seed = 1} = spec;
    assertArg(Number.isFinite(min) && min > 0 && Number.isFinite(max) && max >= min, 'IntegralModel.fit', 'randomWidth',
              '{min, max} with 0 < min ≤ max', spec);
    const random = mulberry32(seed);
    const continuous = this.groups.filter(g => g.continuous);
    const callbacks = {
      onBatchBegin: async () => {
        this.liveWidths = new Map(continuous.map(g => {
          const lo = Math.max(1, Math.round(min * g.originalSize)), hi = Math.max(lo, Math.round(max * g.originalSize));
          return [g.name, lo + Math.floor(random() * (hi - lo + 1))];
        }));
        this.setLayerWidths(this.liveWidths);
      },
      onBatchEnd: async () => {
        this.liveWidths = null;
        this.setLayerWidths(this.ownWidths());
      },
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
    return this.atOwnWidths(() => this.resampled(this.widthsFor(spec)));
  }

  private resampled(widths: Map<string, number>): IntegralModel {
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
      assertArg(Number.isFinite(spec) && spec > 0 && spec <= MAX_UPSAMPLING, op, 'spec',
                `a positive scale ≤ ${MAX_UPSAMPLING} or an object of group widths`, spec);
      for (const g of this.groups) if (g.continuous) widths.set(g.name, Math.max(1, Math.round(spec * g.originalSize)));
      return widths;
    }
    assertArg(spec != null && typeof spec === 'object', op, 'spec', 'a positive scale or an object of group widths', spec);
    for (const [name, width] of Object.entries(spec)) {
      const g = this.groups.find(x => x.name === name);
      assertArg(g != null, op, `spec.${name}`, `a group name (${this.groups.filter(x => x.continuous).map(x => x.name).join(', ')})`, name);
      assertArg(g.continuous, op, `spec.${name}`, `a continuous group (this one is discrete: ${g.reason})`, width);
      assertArg(isPositiveInteger(width) && width <= MAX_UPSAMPLING * g.originalSize, op, `spec.${name}`,
                `a positive integer ≤ ${MAX_UPSAMPLING} × its original width ${g.originalSize}`, width);
      widths.set(name, width);
    }
    return widths;
  }

  /**
   * The network at its current widths as stock layers only (Dense, Conv2D, ... with the sampled weights): loads and
   * runs with stock tfjs, without this package.
   */
  toLayersModel(): tfl.LayersModel {
    return this.atOwnWidths(() => this.stockModel());
  }

  private stockModel(): tfl.LayersModel {
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
      const weights = from.stockWeights();
      const copies = weights.map(freshCopy);
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
      return this.atOwnWidths(() => this.withStockWeights(narrowStock, targets.map(t => t.name)));
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

  /**
   * Frees what this IntegralModel owns: its network's weights (controls, biases, positions) and an optimizer its
   * `compile` made from a name. Models that `resample`, `calibrate` and `toLayersModel` returned hold copies of
   * their own and stay usable; a LayersModel given to `wrapModel` is never touched.
   */
  dispose() {
    disposeModel(this.model);
  }

  /** Saves the network and its groups (`tf.io` URL or handler); {@link loadIntegralModel} reads it back. */
  async save(handlerOrURL: string|tf.io.IOHandler): Promise<tf.io.SaveResult> {
    if (this.fitting) {
      throw new Error('Error in IntegralModel.save: a random-width fit is running (its layers change widths from ' +
                      'batch to batch); await the fit, then save.');
    }
    const metadata: IntegralMetadata = {groups: this.groups, ...this.layout};
    // A JSON round trip drops `undefined` fields, which tfjs's plain-object check rejects.
    this.model.setUserDefinedMetadata(JSON.parse(JSON.stringify({[METADATA_KEY]: metadata})));
    return this.model.save(handlerOrURL);
  }
}

/**
 * Loads an IntegralModel saved with `IntegralModel.save`: its controls, groups and widths, the metadata checked
 * against the layers. On any failure the loaded model is disposed and an Error names `loadIntegralModel`.
 */
export async function loadIntegralModel(handlerOrURL: string|tf.io.IOHandler): Promise<IntegralModel> {
  const source = typeof handlerOrURL === 'string' ? handlerOrURL : 'handler';
  assertArg(typeof handlerOrURL === 'string' || (handlerOrURL != null && typeof handlerOrURL.load === 'function'),
            'loadIntegralModel', 'handlerOrURL', 'a URL or an IOHandler that loads', handlerOrURL);
  const model = await loadCleanly(() => loadLayersModelChecked(handlerOrURL, 'loadIntegralModel', source),
                                  'loadIntegralModel', source);
  try {
    const inn = integralModelOf(model, 'loadIntegralModel');
    if (inn == null) {
      throw new Error(`Error in loadIntegralModel: '${source}' holds a LayersModel without IntegralModel metadata; ` +
                      `wrap it with wrapModel instead.`);
    }
    return inn;
  } catch (e) {
    disposeModel(model);
    throw e;
  }
}

/**
 * `tf.loadLayersModel` of `handlerOrURL` with the topology's sizes checked against its weights before any layer is
 * built (see `checkTopologySizes`).
 */
export async function loadLayersModelChecked(handlerOrURL: string|tf.io.IOHandler, op: string, source: string):
    Promise<tfl.LayersModel> {
  const handler = typeof handlerOrURL === 'string' ? tf.io.getLoadHandlers(handlerOrURL)[0] : handlerOrURL;
  if (handler?.load == null) throw new Error(`Error in ${op}: no IO handler loads '${source}'.`);
  const artifacts = await handler.load();
  const topology = artifacts.modelTopology as {node?: unknown}|undefined;
  if (artifacts.format === 'graph-model' || Array.isArray(topology?.node)) {
    throw new Error(`Error in ${op}: '${source}' is a tfjs GraphModel (converted from a SavedModel or a frozen ` +
                    `graph); graph models are not supported, only LayersModels (Keras: tensorflowjs_converter ` +
                    `--input_format keras).`);
  }
  checkTopologySizes(artifacts, op);
  return tfl.loadLayersModel(tf.io.fromMemory(artifacts));
}

/**
 * Runs a model load; when it fails, disposes the variables and tensors it made and rethrows, as an Error naming
 * `op` and `source` when tfjs threw something else (a TypeError on malformed JSON).
 */
export async function loadCleanly(load: () => Promise<tfl.LayersModel>, op: string, source: string):
    Promise<tfl.LayersModel> {
  const engine = tf.engine();
  const variables = new Set(Object.keys(engine.registeredVariables));
  engine.startScope();
  let model: tfl.LayersModel;
  try {
    model = await load();
  } catch (e) {
    engine.endScope();
    for (const [name, v] of Object.entries(engine.registeredVariables)) if (!variables.has(name)) v.dispose();
    const message = e instanceof Error ? e.message : String(e);
    throw e instanceof Error && e.message.startsWith('Error in ') ? e :
                                                                 new Error(`Error in ${op}: '${source}' is not a loadable LayersModel (${message}).`);
  }
  engine.endScope();
  return model;
}

/**
 * The IntegralModel of a loaded LayersModel that `IntegralModel.save` wrote (its metadata, checked against the
 * layers), or null for other models. `op` names the caller in errors.
 */
export function integralModelOf(model: tfl.LayersModel, op = 'integralModelOf'): IntegralModel|null {
  const metadata = (model.getUserDefinedMetadata() as {[METADATA_KEY]?: unknown}|undefined)?.[METADATA_KEY];
  if (metadata == null) return null;
  const m = validatedMetadata(model, metadata, op);
  return new IntegralModel(model, m.groups, {producerGroups: m.producerGroups, segmentConsumers: m.segmentConsumers});
}
