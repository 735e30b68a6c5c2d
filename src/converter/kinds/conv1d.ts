/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {IntegralConv1D} from '../../layers/integral_conv1d';
import {singleShape} from '../../layers/integral_layer_util';
import {layerConfigName} from '../topology';
import {convCalibration, kernelProducer} from './kind_util';

/**
 * Conv1D (`causal` padding included): a producer; twin IntegralConv1D. tfjs's own Conv1D cannot compute `causal`
 * padding, so a causal one exports as the stock layers that do: the sequence as a one-column image, zeros on its
 * left (ZeroPadding2D), back to a sequence, then the Conv1D with `valid` padding.
 */
export const conv1dKind = kernelProducer(['Conv1D'], {
  className: IntegralConv1D.className,
  widthKey: 'filters',
  stockClassName: 'Conv1D',
  exportEntries: (entry, layer) => {
    if (entry.config.padding !== 'causal') return [];
    entry.config.padding = 'valid';
    const [k] = entry.config.kernelSize as number[], [d] = entry.config.dilationRate as number[];
    const [, length, channels] = singleShape(layer.inboundNodes[0].inputShapes);
    const pad = (k - 1) * d;
    const name = layerConfigName(entry);
    return [
      {className: 'Reshape', config: {name: `${name}_causal_columns`, targetShape: [length ?? -1, 1, channels]}},
      {className: 'ZeroPadding2D', config: {name: `${name}_causal_pad`, padding: [[pad, 0], [0, 0]]}},
      {className: 'Reshape', config: {name: `${name}_causal_sequence`, targetShape: [length == null ? -1 : length + pad, channels]}},
    ];
  },
}, convCalibration(1));
