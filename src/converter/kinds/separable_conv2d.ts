/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {insertBefore, layerConfigName} from '../topology';
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
  split: (entry, owner, layer) => {
    const c = entry.config;
    const name = layerConfigName(entry);
    // The multiplier from the depthwise kernel [kh, kw, C, m]: tfjs's SeparableConv2D config omits it.
    const depthMultiplier = layer.getWeights()[0].shape[3];
    insertBefore(owner, entry, [{
      className: 'DepthwiseConv2D',
      config: {name: depthwiseName(name), trainable: c.trainable, kernelSize: c.kernelSize, strides: c.strides,
               padding: c.padding, dataFormat: c.dataFormat, dilationRate: c.dilationRate, depthMultiplier,
               useBias: false, activation: 'linear'},
    }]);
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
