/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {leastSquaresRefit} from '../calibration/calibrate';
import {CalibrateOptions, CalibrationData, checkedCalibrateOptions} from '../calibration/calibrate_options';
import {distillRefit} from '../calibration/distill';
import {checkedDistillOptions, DistillOptions} from '../calibration/distill_options';
import {fittedGridRefit} from '../calibration/fitted_grid';
import type {InputSpec} from '../calibration/input_data';
import {Refit, refitted} from '../calibration/refit';
import {trainOnce} from '../calibration/train_once';
import type {ChannelGroup, GroupLayout} from '../converter/channel_groups';
import type {PermutationReport} from '../converter/permutation';
import {disposeModel} from '../converter/topology';
import {graphArtifacts} from '../graph/graph_export';
import type {GraphSource} from '../graph/graph_source';
import {saveHandler, saveIntegralModel} from '../io/integral_artifacts';
import type {WeightQuantization} from '../io/quantize';
import {networkAtWidths, stockNetwork} from '../network/networks';
import {SharedNetwork} from '../network/shared_network';
import {applyToLayers, groupsAt, LayerWidths, planWidths, WidthSpec, widthsFor} from '../network/widths';
import {assertArg} from '../util/errors';
import {checkedRandomWidth, IntegralFitArgs, RandomWidth, randomWidthCallbacks} from './random_width_fit';

/** @internal How an IntegralModel is made (by `wrapModel`, loading, and the models it derives). */
export interface IntegralModelParts {
  /** Its groups at its widths. */
  groups: ChannelGroup[];
  /** Which integral layers follow which groups. */
  layout: GroupLayout;
  /** Permutation results per group. */
  permutation: PermutationReport[];
  /** A network of its own (taken over), or its source's shared with a plan of other widths (a view). */
  network: SharedNetwork|{source: SharedNetwork, plan: Map<string, LayerWidths>};
  /** The graph it was wrapped from, for a model of `wrapGraphModel` and the models derived from it. */
  graph?: GraphSource|null;
}

/**
 * An Integral Neural Network (docs/api.md §4): a network of integral layers at the current widths, with its channel
 * groups and the reference network it was wrapped from. Resampling, calibrating and distilling give new
 * IntegralModels; `toLayersModel()` gives a model of stock layers only.
 *
 * A model that {@link resample} returns shares its source's controls (nothing is copied) until it is used on its
 * own: `predict`, `evaluate`, `compile`, `fit` and `.model` give it a network of its own; `calibrate`, `distill`,
 * `resample`, `toLayersModel` and `save` read its source's and then stop holding them, so chains such as
 * `inn.resample(0.5).calibrate(x)` leave nothing behind once their result is disposed.
 */
export class IntegralModel {
  /** Channel groups with their current and original widths, discrete ones with the reason. */
  readonly groups: ChannelGroup[];
  /** Permutation results per group (empty when not permuted). */
  readonly permutation: PermutationReport[];
  /** Which integral layers follow which groups. */
  readonly layout: GroupLayout;
  /** @internal The graph it was wrapped from (`wrapGraphModel`), or null: what {@link saveGraphModel} writes back. */
  readonly graph: GraphSource|null;
  /** Its own network, or null while it is a view of {@link source}'s. */
  private network: SharedNetwork|null = null;
  /** For a view: the network it reads, the widths it asks of it, the version it saw, and whether it holds it. */
  private source: {network: SharedNetwork, plan: Map<string, LayerWidths>, version: number, holding: boolean}|null = null;
  private disposed = false;
  /** The widths a running random-width fit has set on the live layers, by group (null: the model's own). */
  private liveWidths: Map<string, number>|null = null;
  /** True while a random-width fit runs. */
  private fitting = false;

  /** @internal Models are made by `wrapModel`, `loadIntegralModel` and the methods that derive them. */
  constructor(parts: IntegralModelParts) {
    this.groups = parts.groups.map(g => ({...g, layers: [...g.layers]}));
    this.layout = parts.layout;
    this.permutation = parts.permutation;
    this.graph = parts.graph ?? null;
    if (parts.network instanceof SharedNetwork) {
      this.network = parts.network;
    } else {
      const network = parts.network.source.retain();
      this.source = {network, plan: parts.network.plan, version: network.version, holding: true};
      network.views.add(this);
    }
  }

  /** The live network: integral layers sampling their controls at the groups' widths (a view gets its own first). */
  get model(): tfl.LayersModel {
    return this.own('model').model;
  }

  /** `model.predict` at the model's widths (also while a random-width fit runs). */
  predict(x: tf.Tensor|tf.Tensor[], args?: Parameters<tfl.LayersModel['predict']>[1]): tf.Tensor|tf.Tensor[] {
    const {model} = this.own('predict');
    return this.atOwnWidths(() => model.predict(x, args));
  }

  /** `model.evaluate` at the model's widths (also while a random-width fit runs). */
  evaluate(x: tf.Tensor|tf.Tensor[], y: tf.Tensor|tf.Tensor[], args?: tfl.ModelEvaluateArgs) {
    const {model} = this.own('evaluate');
    return this.atOwnWidths(() => model.evaluate(x, y, args));
  }

  /** `model.compile`. */
  compile(args: tfl.ModelCompileArgs) {
    this.own('compile').model.compile(args);
  }

  /**
   * `model.fit`; with `randomWidth`, every batch runs at widths drawn per group from the seeded distribution, and
   * the groups return to their own widths after each batch (so validation and the result use them) and on every
   * exit (the end, `stopTraining`, an error, a callback that throws). Meanwhile `predict`, `evaluate`, `resample`,
   * `calibrate` and `toLayersModel` see the model's own widths; `save` waits for no fit and throws. Models resampled
   * from this one before the fit keep the weights they had.
   */
  async fit(x: tf.Tensor|tf.Tensor[], y: tf.Tensor|tf.Tensor[], args: IntegralFitArgs = {}): Promise<tfl.History> {
    const {randomWidth, ...fitArgs} = args;
    const spec = randomWidth == null ? null : checkedRandomWidth(randomWidth, 'IntegralModel.fit');
    const {model} = this.changing('fit');
    if (spec == null) return model.fit(x, y, fitArgs);
    return this.withRandomWidths(spec, fitArgs.callbacks, callbacks => model.fit(x, y, {...fitArgs, callbacks}));
  }

  /** `model.fitDataset` with the same `randomWidth` option as {@link fit}. */
  async fitDataset<T>(dataset: Parameters<tfl.LayersModel['fitDataset']>[0],
                      args: tfl.ModelFitDatasetArgs<T>&{randomWidth?: RandomWidth}): Promise<tfl.History> {
    const {randomWidth, ...fitArgs} = args;
    const spec = randomWidth == null ? null : checkedRandomWidth(randomWidth, 'IntegralModel.fitDataset');
    const {model} = this.changing('fitDataset');
    if (spec == null) return model.fitDataset(dataset, fitArgs);
    return this.withRandomWidths(spec, fitArgs.callbacks,
                                 callbacks => model.fitDataset(dataset, {...fitArgs, callbacks}));
  }

  /**
   * A new IntegralModel at other widths, from the same controls (this one is unchanged). `spec`: a number scales
   * every continuous group's original width (rounded, at least 1); an object sets named groups' widths. The result
   * shares this model's controls until it is used on its own (see the class notes).
   */
  resample(spec: WidthSpec): IntegralModel {
    try {
      const widths = widthsFor(spec, this.groups, 'IntegralModel.resample');
      const groups = groupsAt(this.groups, widths);
      const {network, plan} = this.sharedSource('IntegralModel.resample');
      const all = new Map(groups.filter(g => g.continuous).map(g => [g.name, g.size]));
      const resampled = planWidths(this.layout, all, g => groups.find(x => x.name === g)!.size);
      for (const [layer, w] of plan) if (!resampled.has(layer)) resampled.set(layer, w);
      return this.derived(groups, {source: network, plan: resampled});
    } finally {
      this.letGoOfSource();
    }
  }

  /**
   * The network at its current widths as stock layers only (Dense, Conv2D, ... with the sampled weights): loads and
   * runs with stock tfjs, without this package. The caller disposes it.
   */
  toLayersModel(): tfl.LayersModel {
    return this.withNetworkSync('toLayersModel', stockNetwork);
  }

  /**
   * A new IntegralModel at the same widths re-fitted to the reference network on unlabeled inputs `x` (docs/api.md
   * §5): layer by layer in graph order, each resampled producer's pre-activation output on `x` is fitted by least
   * squares (float64, a ridge relative to its input's scale) to the reference's, sampled at its channel positions,
   * its inputs coming from the layers already re-fitted. `x`: a tensor `[N, ...input shape]` or a `tf.data.Dataset`
   * of inputs or input batches; a few hundred are enough. Calibrating again aims at the same reference, so it is
   * idempotent up to noise; at the original widths the result computes what the reference computes. A model trained,
   * distilled or calibrated before keeps its weights when the calibrated network is farther from the reference on
   * the held-out inputs (docs/calibration.md).
   */
  async calibrate(x: CalibrationData, options: CalibrateOptions = {}): Promise<IntegralModel> {
    return this.refit('calibrate', () => checkedCalibrateOptions(options).grid === 'fit' ?
                                             fittedGridRefit(x, options) : leastSquaresRefit(x, options));
  }

  /**
   * A new IntegralModel trained without labels to reproduce its teacher on inputs `x` (docs/api.md §6): by default
   * the reference network, the full-width function this model was wrapped from (or loaded with). At the model's own
   * widths, its network is trained as the stock layers it exports to (as fast as training those), every trainable
   * weight with Adam; a classifier's logits (the input of its output softmax) are compared by softmax cross-entropy
   * at `temperature`, other outputs by mean squared difference. `x`: a tensor `[N, ...input shape]` (reshuffled each
   * epoch, seeded) or a `tf.data.Dataset` of inputs or input batches (streamed). This model is unchanged.
   *
   * With `widths: {min, max}`, one weight function is trained for every width in the range instead (train once,
   * deploy any width): every step sums the losses of the largest and the smallest widths and `random` random ones
   * (the sandwich rule of slimmable networks), all against the reference; then `resample(w).calibrate(x)` aims at
   * the reference too and keeps the trained weights where the calibrated network is no closer to it on held-out
   * inputs.
   */
  async distill(x: CalibrationData, options: DistillOptions = {}): Promise<IntegralModel> {
    const o = checkedDistillOptions(options);
    if (o.widths == null) return this.refit('distill', () => distillRefit(x, o));
    try {
      return await this.withNetwork('distill', async (model, network) => {
        const copy = this.atOwnWidths(() => networkAtWidths(model, new Map(), 'distill'));
        try {
          await trainOnce(copy, network.reference, this.groups, this.layout, x, o);
        } catch (e) {
          disposeModel(copy);
          throw e;
        }
        return this.derived(this.groups, new SharedNetwork(copy, network.reference));
      });
    } finally {
      this.letGoOfSource();
    }
  }

  /**
   * A new model at the same widths: this one's network re-fitted toward the reference by the re-fit `make` returns
   * (it checks its arguments first). A view lets go of its source afterwards, however it ends.
   */
  private async refit(op: string, make: () => Refit): Promise<IntegralModel> {
    try {
      const refit = make();
      return await this.withNetwork(op, async (model, network) => {
        const result = await refitted(model, network.reference, network.pristine, this.groups, this.layout, refit,
                                      fn => this.atOwnWidths(fn));
        return this.derived(result.groups, result.network);
      });
    } finally {
      this.letGoOfSource();
    }
  }

  /**
   * Frees what this IntegralModel holds: its network's weights (controls, biases, positions) and its hold on the
   * reference network. Weights that other models still use stay; a LayersModel given to `wrapModel` is never
   * touched. Calling it twice does nothing.
   */
  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    this.network?.release();
    this.network = null;
    this.letGoOfSource();
    this.source = null;
  }

  /**
   * Saves the network, its groups and its reference network (`tf.io` URL or handler); {@link loadIntegralModel}
   * reads them back.
   */
  async save(handlerOrURL: string|tf.io.IOHandler): Promise<tf.io.SaveResult> {
    try {
      if (this.fitting) {
        throw new Error('Error in IntegralModel.save: a random-width fit is running (its layers change widths from ' +
                        'batch to batch); await the fit, then save.');
      }
      return await this.withNetwork('IntegralModel.save', (model, network) =>
          saveIntegralModel(handlerOrURL, model, network.reference.model, {...this.layout, groups: this.groups},
                            network.pristine, this.graph));
    } finally {
      this.letGoOfSource();
    }
  }

  /**
   * Saves the network at its widths as a graph model (docs/api.md §7) that stock `tf.loadGraphModel` runs: the
   * graph it was wrapped from (`wrapGraphModel`), each convolution, depthwise convolution and matmul written as one
   * fused node of the original name with the narrower weights (the bias additions, per-channel maps and activations
   * folded into it), reshapes to the new widths; float32 weights, or quantized as `options.quantization` says.
   */
  async saveGraphModel(handlerOrURL: string|tf.io.IOHandler, options: {quantization?: WeightQuantization} = {}):
      Promise<tf.io.SaveResult> {
    const op = 'IntegralModel.saveGraphModel';
    try {
      assertArg(this.graph != null, op, 'this', 'a model wrapped from a GraphModel (wrapGraphModel)',
                'a model wrapped from a LayersModel (save it with save or toLayersModel)');
      assertArg(options != null && typeof options === 'object', op, 'options', 'an object', options);
      const {quantization} = options;
      assertArg(quantization == null || quantization === 'uint8' || quantization === 'float16', op,
                'options.quantization', `'uint8' or 'float16'`, quantization);
      const handler = saveHandler(handlerOrURL, op);
      const stock = this.withNetworkSync(op, stockNetwork);
      let artifacts: tf.io.ModelArtifacts;
      try {
        artifacts = await graphArtifacts(this.graph, stock, quantization);
      } finally {
        disposeModel(stock);
      }
      return await handler.save!(artifacts);
    } finally {
      this.letGoOfSource();
    }
  }

  /** The model's input: its shape without the batch axis, and its dtype (the same at every width). */
  inputSpec(): InputSpec {
    const input = this.sharedSource('inputSpec').network.model.inputs[0];
    return {shape: input.shape.slice(1), dtype: input.dtype};
  }

  /** The size of the model's output's last axis (its classes, for a classifier; the same at every width). */
  outputSize(): number {
    return this.sharedSource('outputSize').network.model.outputs[0].shape.at(-1) as number;
  }

  /** A new model of `groups` and `network` with this one's layout, permutation and graph. */
  private derived(groups: ChannelGroup[], network: IntegralModelParts['network']): IntegralModel {
    return new IntegralModel({groups, layout: this.layout, permutation: this.permutation, network, graph: this.graph});
  }

  /** @internal The view's source letting go of it before its weights change: it takes a copy now. */
  detach() {
    if (this.source?.holding) this.own('fit');
  }

  /** This model's own network, made now for a view (a copy of its source's at its widths). */
  private own(op: string): SharedNetwork {
    this.assertAlive(op);
    if (this.network != null) return this.network;
    const {network, plan} = this.sharedSource(op);
    this.network = new SharedNetwork(networkAtWidths(network.model, plan, op), network.reference, network.pristine);
    this.letGoOfSource();
    this.source = null;
    return this.network;
  }

  /** The own network, about to change in place: models resampled from it before take copies first. */
  private changing(op: string): SharedNetwork {
    const network = this.own(op);
    network.beforeChange();
    return network;
  }

  /** The network this model reads (its own, or a view's source) and the widths to ask of it, checked alive. */
  private sharedSource(op: string): {network: SharedNetwork, plan: Map<string, LayerWidths>} {
    this.assertAlive(op);
    if (this.network != null) return {network: this.network, plan: new Map()};
    const {network, plan, version} = this.source!;
    if (!network.alive || network.version !== version) {
      throw new Error(`Error in ${op}: this model was resampled from a model that has since been ` +
                      `${network.alive ? 'trained' : 'disposed'}; it shared that model's weights, as a model from ` +
                      `resample() does until it is used on its own (predict, fit, .model). Resample again.`);
    }
    return {network, plan};
  }

  /** A view stops holding its source (after serving as the start of a derivation, or when disposed). */
  private letGoOfSource() {
    const source = this.source;
    if (source == null || !source.holding) return;
    source.holding = false;
    source.network.views.delete(this);
    source.network.release();
  }

  /** Runs `fn` on this model's network at its widths: its own, or for a view a copy made for the call. */
  private withNetworkSync<T>(op: string, fn: (model: tfl.LayersModel, network: SharedNetwork) => T): T {
    const {network, plan} = this.sharedSource(op);
    if (network === this.network) return this.atOwnWidths(() => fn(network.model, network));
    network.retain();
    let model: tfl.LayersModel|null = null;
    try {
      model = networkAtWidths(network.model, plan, op);
      return fn(model, network);
    } finally {
      if (model != null) disposeModel(model);
      network.release();
      this.letGoOfSource();
    }
  }

  /** {@link withNetworkSync} for asynchronous work; the network stays held while it runs. */
  private async withNetwork<T>(op: string, fn: (model: tfl.LayersModel, network: SharedNetwork) => Promise<T>):
      Promise<T> {
    const {network, plan} = this.sharedSource(op);
    network.retain();
    let model: tfl.LayersModel|null = null;
    try {
      model = network === this.network ? network.model : networkAtWidths(network.model, plan, op);
      return await fn(model, network);
    } finally {
      if (model != null && model !== network.model) disposeModel(model);
      network.release();
      if (network !== this.network) this.letGoOfSource();
    }
  }

  private assertAlive(op: string) {
    if (this.disposed) throw new Error(`Error in ${op}: this IntegralModel is disposed.`);
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

  /** Resizes the live layers to `widths` (by group name; groups not named keep theirs). */
  private setLayerWidths(widths: Map<string, number>) {
    applyToLayers(planWidths(this.layout, widths, g => this.groups.find(x => x.name === g)!.size), this.network!.model);
  }

  /** Runs a fit with the random-width callbacks, restoring the model's own widths however it ends. */
  private async withRandomWidths(spec: Required<RandomWidth>, user: tfl.ModelFitArgs['callbacks'],
                                 fit: (callbacks: tfl.ModelFitArgs['callbacks']) => Promise<tfl.History>) {
    const callbacks = randomWidthCallbacks(spec, this.groups, widths => {
      this.liveWidths = widths;
      this.setLayerWidths(widths);
    }, () => {
      this.liveWidths = null;
      this.setLayerWidths(this.ownWidths());
    }, user);
    this.fitting = true;
    try {
      return await fit(callbacks);
    } finally {
      this.fitting = false;
      this.liveWidths = null;
      this.setLayerWidths(this.ownWidths());
    }
  }
}
