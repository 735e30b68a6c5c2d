/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {disposeModel} from '../converter/topology';
import {findGraphModelClass, GraphOp} from '../graph/graph_op_layer';
import {validatedGraphSource} from '../graph/graph_source';
import {SavedIntegralMetadata, splitReference} from '../io/integral_artifacts';
import {layersModelFrom, loadHandler} from '../io/load_layers_model';
import {checkReference, METADATA_KEY, validatedMetadata} from '../io/metadata';
import {networkAtWidths, stockNetwork} from '../network/networks';
import {ReferenceNetwork, SharedNetwork} from '../network/shared_network';
import {planWidths} from '../network/widths';
import {assertArg, describeValue} from '../util/errors';
import {IntegralModel} from './integral_model';

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
  if (model.layers.some(l => l instanceof GraphOp) && !await findGraphModelClass()) {
    disposeModel(model);
    throw new Error(`Error in ${op}: ${source} has graph nodes kept as they are (GraphOp layers), which run through ` +
                    "tfjs-converter's GraphModel: install @tensorflow/tfjs-converter 4.22 (or load tfjs's script bundle).");
  }
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
    const saved = (raw as SavedIntegralMetadata).graph;
    const graph = saved == null ? undefined : validatedGraphSource(saved, model, op);
    return new IntegralModel({groups: metadata.groups, layout, permutation: [], network, graph});
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
