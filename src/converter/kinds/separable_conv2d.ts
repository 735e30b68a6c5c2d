/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {layerConfigName} from '../topology';
import type {LayerConfig} from '../topology';
import type {LayerKind} from './layer_kind';

/** Name of the depthwise half of a split SeparableConv2D. */
const depthwiseName = (name: string) => `${name}_depthwise`;

/**
 * SeparableConv2D: split into the DepthwiseConv2D and 1×1 Conv2D it computes (same function, weights copied), so
 * that the depthwise half joins its input's group and the pointwise half is an ordinary producer. The pointwise
 * half keeps the layer's name, so references to it still hold.
 */
export const separableConv2dKind: LayerKind = {
  classNames: ['SeparableConv2D'],
  rule: 'producer',
  split: (entry, owner) => {
    const c = entry.config;
    const name = layerConfigName(entry);
    const depthwise: LayerConfig = {
      className: 'DepthwiseConv2D',
      config: {name: depthwiseName(name), trainable: c.trainable, kernelSize: c.kernelSize, strides: c.strides,
               padding: c.padding, dataFormat: c.dataFormat, dilationRate: c.dilationRate,
               depthMultiplier: c.depthMultiplier, useBias: false, activation: 'linear',
               ...(c.batchInputShape != null ? {batchInputShape: c.batchInputShape} : {})},
    };
    if (owner.className !== 'Sequential') {
      depthwise.name = depthwiseName(name);
      depthwise.inboundNodes = entry.inboundNodes;
      entry.inboundNodes = (entry.inboundNodes ?? []).map((_, i) => [[depthwiseName(name), i, 0, {}]]);
    }
    owner.config.layers.splice(owner.config.layers.indexOf(entry), 0, depthwise);
    entry.className = 'Conv2D';
    entry.config = {name, trainable: c.trainable, filters: c.filters, kernelSize: [1, 1], strides: [1, 1],
                    padding: 'valid', dataFormat: c.dataFormat, dilationRate: [1, 1], activation: c.activation,
                    useBias: c.useBias, kernelInitializer: c.pointwiseInitializer, biasInitializer: c.biasInitializer};
    return [
      {name: depthwiseName(name), from: name, weights: w => [w[0]]},
      {name, from: name, weights: w => w.slice(1)},
    ];
  },
};
