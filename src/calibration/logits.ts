/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tfl from '@tensorflow/tfjs-layers';

import {buildWithNestedShapes, copyWeightsByName, disposeModel, layerConfigName, modelConfig, removeLayerConfig} from '../converter/topology';

/** A model whose output is another model's output before its final softmax, if it had one. */
export interface LogitsModel {
  /** The copy (its own weights; the caller disposes it). */
  model: tfl.LayersModel;
  /** True when the original's output was a softmax over the last axis: the copy's output is its logits. */
  classifier: boolean;
}

/**
 * A copy of the single-output `model` that outputs what its final softmax reads (logits) when its output layer is
 * a softmax: a Dense / Conv with `activation: 'softmax'` (which becomes linear) or a trailing Softmax or
 * Activation('softmax') layer (which is dropped); otherwise an exact copy. How distillation tells a classifier from
 * a regressor: a softmax output is a probability vector, its logits are what the loss compares.
 */
export function logitsModel(model: tfl.LayersModel): LogitsModel {
  const topology = modelConfig(model);
  const outputName = model.outputs[0].sourceLayer.name;
  const entry = topology.config.layers.find(l => layerConfigName(l) === outputName);
  let classifier = false;
  if (entry != null && model.outputs.length === 1) {
    const activation = entry.config.activation;
    const softmaxLayer = entry.className === 'Softmax' || (entry.className === 'Activation' && activation === 'softmax');
    if (softmaxLayer && (entry.config.axis == null || entry.config.axis === -1)) {
      const inbound = model.outputs[0].sourceLayer.inboundNodes[0].inboundLayers[0];
      removeLayerConfig(topology, outputName, inbound.name);
      classifier = true;
    } else if (activation === 'softmax') {
      entry.config.activation = 'linear';
      classifier = true;
    }
  }
  const copy = buildWithNestedShapes(topology);
  try {
    copyWeightsByName(model, copy);
  } catch (e) {
    disposeModel(copy);
    throw e;
  }
  return {model: copy, classifier};
}
