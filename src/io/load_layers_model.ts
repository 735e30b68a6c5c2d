/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {disposeModel} from '../converter/topology';
import {assertArg} from '../util/errors';
import {checkTopology} from './metadata';

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
                    `graph), not a LayersModel: load it with tf.loadGraphModel (@tensorflow/tfjs-converter) and wrap it ` +
                    `with wrapGraphModel.`);
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
