/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {disposeModel} from '../converter/topology';
import {IntegralModel} from '../model/integral_model';
import {networkAtWidths, stockNetwork} from '../model/networks';
import {ReferenceNetwork, SharedNetwork} from '../model/shared_network';
import {planWidths} from '../model/widths';
import {assertArg, describeValue} from '../util/errors';
import {SavedIntegralMetadata, splitReference} from './integral_artifacts';
import {checkReference, checkTopology, METADATA_KEY, validatedMetadata} from './metadata';

/** The load handler of `handlerOrURL`, resolved as `tf.loadLayersModel` resolves it (http(s) for plain paths). */
export function loadHandler(handlerOrURL: string|tf.io.IOHandler, options: tf.io.LoadOptions|undefined, op: string):
    tf.io.IOHandler {
  if (typeof handlerOrURL !== 'string') {
    assertArg(handlerOrURL != null && typeof handlerOrURL.load === 'function', op, 'handlerOrURL',
              'a URL or an IOHandler that loads', handlerOrURL);
    return handlerOrURL;
  }
  assertArg(handlerOrURL !== '', op, 'handlerOrURL', 'a URL or an IOHandler that loads', handlerOrURL);
  const handlers = tf.io.getLoadHandlers(handlerOrURL, options);
  assertArg(handlers.length <= 1, op, 'handlerOrURL', 'a URL that one IO handler loads', handlerOrURL);
  return handlers[0] ?? tf.io.browserHTTPRequest(handlerOrURL, options);
}

/** Names of the layers a (Keras-style) model topology declares, nested models included. */
function layerNames(topology: unknown, out = new Set<string>()): Set<string> {
  if (topology == null || typeof topology !== 'object') return out;
  const node = topology as {name?: unknown, config?: {name?: unknown, layers?: unknown}, model_config?: unknown};
  if (node.model_config != null) return layerNames(node.model_config, out);
  const config = node.config;
  if (typeof config?.name === 'string') out.add(config.name);
  if (typeof node.name === 'string') out.add(node.name);
  if (Array.isArray(config?.layers)) config!.layers.forEach(l => layerNames(l, out));
  return out;
}

/**
 * A LayersModel built from loaded `artifacts`, its sizes checked before any layer is built (`checkTopology`)
 * and its weights decoded and set synchronously. No tfjs scope spans an `await`; when it fails, the variables its
 * layers made are disposed and the Error names `op` and `source`.
 */
export async function layersModelFrom(artifacts: tf.io.ModelArtifacts, op: string, source: string):
    Promise<tfl.LayersModel> {
  const topology = artifacts.modelTopology as {node?: unknown}|undefined;
  if (artifacts.format === 'graph-model' || Array.isArray(topology?.node)) {
    throw new Error(`Error in ${op}: ${source} is a tfjs GraphModel (converted from a SavedModel or a frozen ` +
                    `graph); graph models are not supported, only LayersModels (Keras: tensorflowjs_converter ` +
                    `--input_format keras).`);
  }
  checkTopology(artifacts, op);
  const names = layerNames(artifacts.modelTopology);
  const engine = tf.engine();
  const before = new Set(Object.keys(engine.registeredVariables));
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(tf.io.fromMemory({modelTopology: artifacts.modelTopology,
                                                        trainingConfig: artifacts.trainingConfig,
                                                        userDefinedMetadata: artifacts.userDefinedMetadata}));
  } catch (e) {
    // Variables the failed build made: new since, and named after one of its layers (concurrent code's keep theirs).
    for (const [name, v] of Object.entries(engine.registeredVariables)) {
      if (!before.has(name) && names.has(name.split('/')[0])) v.dispose();
    }
    throw loadError(e, op, source);
  }
  try {
    setWeights(model, artifacts);
    return model;
  } catch (e) {
    disposeModel(model);
    throw loadError(e, op, source);
  }
}

/** Decodes the weights of `artifacts` and sets them on `model` (every weight, no other), synchronously. */
function setWeights(model: tfl.LayersModel, artifacts: tf.io.ModelArtifacts) {
  const specs = (artifacts.weightSpecs ?? []).filter(s => s.group !== 'optimizer');
  if (artifacts.weightData == null) {
    if (model.weights.length > 0) throw new Error('the file holds no weights');
    return;
  }
  const named = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs ?? []);
  try {
    model.loadWeights(Object.fromEntries(specs.map(s => [s.name, named[s.name]])), true);
  } finally {
    tf.dispose(Object.values(named));
  }
}

/** `e` as an Error naming `op` and `source` (tfjs throws TypeErrors and ValueErrors of its own). */
function loadError(e: unknown, op: string, source: string): Error {
  if (e instanceof Error && e.message.startsWith('Error in ')) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new Error(`Error in ${op}: ${source} is not a loadable LayersModel (${message}).`);
}

/**
 * The IntegralModel that `IntegralModel.save` wrote into `artifacts` (its metadata checked against the layers), or
 * null with the LayersModel for other files. On any failure what was built is disposed.
 */
export async function modelFromArtifacts(artifacts: tf.io.ModelArtifacts, op: string, source: string):
    Promise<IntegralModel|tfl.LayersModel> {
  const raw = (artifacts.userDefinedMetadata as {[METADATA_KEY]?: unknown}|undefined)?.[METADATA_KEY];
  const split = raw != null && typeof raw === 'object' ? splitReference(artifacts, raw as SavedIntegralMetadata, op) :
                                                         {own: artifacts, reference: null};
  const model = await layersModelFrom(split.own, op, source);
  if (raw == null) return model;
  let reference: tfl.LayersModel|null = null;
  try {
    const metadata = validatedMetadata(model, raw, op);
    reference = split.reference != null ? await layersModelFrom(split.reference, op, `${source} (reference network)`) :
                                          originalWidths(model, metadata.groups, metadata, op);
    checkReference(model, reference, metadata, op);
    const shared = new ReferenceNetwork(reference);
    const network = new SharedNetwork(model, shared, (raw as SavedIntegralMetadata).pristine === true);
    shared.release();
    const layout = {producerGroups: metadata.producerGroups, segmentConsumers: metadata.segmentConsumers};
    return new IntegralModel({groups: metadata.groups, layout, permutation: [], network});
  } catch (e) {
    disposeModel(model);
    if (reference != null) disposeModel(reference);
    throw e;
  }
}

/**
 * The reference of a model saved without one: its own controls at the original widths, as stock layers (what
 * `IntegralModel.save` wrote before it saved references).
 */
function originalWidths(model: tfl.LayersModel, groups: SavedIntegralMetadata['groups'],
                        layout: SavedIntegralMetadata, op: string): tfl.LayersModel {
  const widths = new Map(groups.filter(g => g.continuous && g.segments == null).map(g => [g.name, g.originalSize]));
  const full = networkAtWidths(model, planWidths(layout, widths, g => groups.find(x => x.name === g)!.size), op);
  try {
    return stockNetwork(full);
  } finally {
    disposeModel(full);
  }
}

/** Options of {@link loadIntegralModel} and {@link loadModel}: those of `tf.loadLayersModel`. */
export type LoadIntegralModelOptions = tf.io.LoadOptions;

/**
 * Loads a model file as the CLI and the app do: the IntegralModel that `IntegralModel.save` wrote, else the
 * LayersModel. `handlerOrURL` and `options` are what `tf.loadLayersModel` takes (a relative or absolute http(s) URL,
 * `file://`, `indexeddb://`, ..., `tf.io.browserFiles(...)`, or another IOHandler). Before tfjs builds anything the
 * topology is checked (sizes bounded by the weights, layer names, initializer numbers; graph models refused), and the
 * metadata against the layers; on any failure nothing is left behind and the Error names `op`.
 */
export async function loadModel(handlerOrURL: string|tf.io.IOHandler, options?: LoadIntegralModelOptions,
                                op = 'loadModel'): Promise<IntegralModel|tfl.LayersModel> {
  assertArg(options == null || typeof options === 'object', op, 'options', 'tf.io.LoadOptions', options);
  const handler = loadHandler(handlerOrURL, options, op);
  const source = `handlerOrURL ${describeValue(typeof handlerOrURL === 'string' ? handlerOrURL : 'an IOHandler')}`;
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = await handler.load!();
  } catch (e) {
    throw new Error(`Error in ${op}: ${source} could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
  }
  assertArg(artifacts != null && typeof artifacts === 'object', op, 'handlerOrURL', 'a handler that loads artifacts',
            describeValue(artifacts));
  return modelFromArtifacts(artifacts, op, source);
}

/**
 * Loads an IntegralModel saved with `IntegralModel.save`: its controls, groups, widths and reference network, the
 * metadata checked against the layers (see {@link loadModel}, which takes the same arguments). On any failure
 * nothing is left behind and the Error names `loadIntegralModel`.
 */
export async function loadIntegralModel(handlerOrURL: string|tf.io.IOHandler, options?: LoadIntegralModelOptions):
    Promise<IntegralModel> {
  const op = 'loadIntegralModel';
  const loaded = await loadModel(handlerOrURL, options, op);
  if (loaded instanceof IntegralModel) return loaded;
  disposeModel(loaded);
  throw new Error(`Error in ${op}: the file holds a LayersModel without IntegralModel metadata; wrap it with ` +
                  `wrapModel instead.`);
}
