/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tfl from '@tensorflow/tfjs-layers';

import {forEachLayerConfig, LayerConfig, layerConfigName, layersByName, modelConfig, modelFromConfig} from './model_json';

/** Name of the depthwise half of a split SeparableConv2D. */
const depthwiseName = (name: string) => `${name}_depthwise`;

/**
 * `model` with every SeparableConv2D written as the DepthwiseConv2D and 1×1 Conv2D it computes (same function,
 * weights copied), so that the depthwise half joins its input's group and the pointwise half is an ordinary
 * producer; null when there is none. The pointwise half keeps the layer's name, so references to it still hold.
 */
export function splitSeparableConvs(model: tfl.LayersModel): tfl.LayersModel|null {
  const topology = modelConfig(model);
  let found = false;
  forEachLayerConfig(topology, (entry, owner) => {
    if (entry.className !== 'SeparableConv2D') return;
    found = true;
    const c = entry.config;
    const name = layerConfigName(entry);
    const depthwise: LayerConfig = {
      className: 'DepthwiseConv2D',
      config: {name: depthwiseName(name), trainable: c.trainable, kernelSize: c.kernelSize, strides: c.strides,
               padding: c.padding, dataFormat: c.dataFormat, dilationRate: c.dilationRate,
               depthMultiplier: c.depthMultiplier, useBias: false, activation: 'linear',
               ...(c.batchInputShape != null ? {batchInputShape: c.batchInputShape} : {})},
    };
    const layers = owner.config.layers as LayerConfig[];
    if (owner.className !== 'Sequential') {
      depthwise.name = depthwiseName(name);
      depthwise.inboundNodes = entry.inboundNodes;
      entry.inboundNodes = (entry.inboundNodes ?? []).map((_, i) => [[depthwiseName(name), i, 0, {}]]);
    }
    layers.splice(layers.indexOf(entry), 0, depthwise);
    entry.className = 'Conv2D';
    entry.config = {name, trainable: c.trainable, filters: c.filters, kernelSize: [1, 1], strides: [1, 1],
                    padding: 'valid', dataFormat: c.dataFormat, dilationRate: [1, 1], activation: c.activation,
                    useBias: c.useBias, kernelInitializer: c.pointwiseInitializer, biasInitializer: c.biasInitializer};
  });
  if (!found) return null;
  const split = modelFromConfig(topology);
  const source = layersByName(model);
  for (const [name, layer] of layersByName(split)) {
    const separable = source.get(name.replace(/_depthwise$/, ''));
    if (name.endsWith('_depthwise') && separable?.getClassName() === 'SeparableConv2D') {
      layer.setWeights([separable.getWeights()[0]]);
    } else if (source.get(name)!.getClassName() === 'SeparableConv2D') {
      layer.setWeights(source.get(name)!.getWeights().slice(1));
    } else {
      layer.setWeights(source.get(name)!.getWeights());
    }
  }
  return split;
}
