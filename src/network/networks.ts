/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// Building networks from an integral network: at other widths, with fitted stock weights, as stock layers only.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {CHANNELWISE_CLASS_NAME, kindOfTwin} from '../converter/kinds/registry';
import {buildWithNestedShapes, disposeModel, forEachLayerConfig, insertBefore, layerConfigName, layersByName, ModelConfig, modelConfig} from '../converter/topology';
import {isChannelSampled} from '../layers/channel_sampled';
import {IntegralChannelwise} from '../layers/integral_channelwise';
import {IntegralLayer} from '../layers/integral_layer';
import {freshCopy} from '../util/fresh_copy';
import {LayerWidths} from './widths';

/** Builds `topology` and gives each of its layers weights from `weightsOf(name)`; nothing is left behind on failure. */
function built(topology: ModelConfig, weightsOf: (name: string, layer: tfl.layers.Layer) => void): tfl.LayersModel {
  const model = buildWithNestedShapes(topology);
  try {
    for (const [name, layer] of layersByName(model)) weightsOf(name, layer);
    return model;
  } catch (e) {
    disposeModel(model);
    throw e;
  }
}

/**
 * A copy of the integral network `source` with the layers of `plan` sampling other widths (the same controls, so the
 * same weight functions), built anew with its own weights.
 */
export function networkAtWidths(source: tfl.LayersModel, plan: Map<string, LayerWidths>, op: string): tfl.LayersModel {
  const topology = modelConfig(source);
  forEachLayerConfig(topology, entry => {
    const widths = plan.get(layerConfigName(entry));
    const twin = kindOfTwin(entry.className)?.twin;
    if (widths != null && twin != null) entry.config = IntegralLayer.resizedConfig(entry.config, twin.widthKey, op, widths);
  });
  const layers = layersByName(source);
  return built(topology, (name, layer) => layer.setWeights(layers.get(name)!.getWeights()));
}

/**
 * A copy of the integral network `source` whose layers `names` hold the weights of the same-named layers of the stock
 * model `stock` (a stock export of `source` at the same widths, then fitted or trained): integral layers as controls
 * of their current sizes (exact), the others as they are. The other layers keep `source`'s weights.
 */
export function networkWithStockWeights(source: tfl.LayersModel, stock: tfl.LayersModel, names: Set<string>):
    tfl.LayersModel {
  const stockLayers = new Map([...layersByName(stock)].filter(([name]) => names.has(name)));
  const sourceLayers = layersByName(source);
  const states = new Map<string, {weights: tf.Tensor[], config: tf.serialization.ConfigDict}>();
  try {
    for (const [name, layer] of sourceLayers) {
      const fitted = stockLayers.get(name);
      if (fitted == null || !isChannelSampled(layer)) continue;
      const weights = fitted.getWeights();
      states.set(name, layer.controlsAtCurrentWidths(weights));
    }
    const topology = modelConfig(source);
    forEachLayerConfig(topology, entry => Object.assign(entry.config, states.get(layerConfigName(entry))?.config));
    return built(topology, (name, layer) => {
      const state = states.get(name);
      if (state != null) return layer.setWeights(state.weights);
      layer.setWeights((stockLayers.get(name) ?? sourceLayers.get(name)!).getWeights());
    });
  } finally {
    for (const s of states.values()) tf.dispose(s.weights);
  }
}

/**
 * The integral network `source` at its current widths as stock layers only (Dense, Conv2D, ... holding the sampled
 * weights): it loads and runs with stock tfjs, without this package.
 */
export function stockNetwork(source: tfl.LayersModel): tfl.LayersModel {
  const topology = modelConfig(source);
  const layers = layersByName(source);
  forEachLayerConfig(topology, (entry, owner) => {
    if (entry.className === CHANNELWISE_CLASS_NAME) {
      Object.assign(entry, IntegralChannelwise.stockEntry(entry.config));
      return;
    }
    const kind = kindOfTwin(entry.className);
    const twin = kind?.twin ?? kind?.channelFollower;
    if (twin == null) return;
    entry.className = twin.stockClassName;
    entry.config = IntegralLayer.stockConfig(entry.config);
    const added = twin.exportEntries?.(entry, layers.get(layerConfigName(entry))!) ?? [];
    if (added.length > 0) insertBefore(owner, entry, added);
  });
  return built(topology, (name, layer) => {
    const from = layers.get(name);
    if (from == null) return;  // a stock layer the export added
    if (!isChannelSampled(from)) return layer.setWeights(from.getWeights());
    const weights = from.stockWeights();
    const copies = weights.map(freshCopy);
    try {
      layer.setWeights(copies);
    } finally {
      tf.dispose([...copies, ...weights]);
    }
  });
}
