/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tfl from '@tensorflow/tfjs-layers';

import {assertArg} from '../util/errors';

/** What a stock model costs: its parameters and its multiply-adds per input. */
export interface ModelCost {
  /** Parameters (trainable and not), as `model.countParams()`. */
  params: number;
  /** Multiply-adds per input of the layers with a kernel (Dense, Conv1D, Conv2D, DepthwiseConv2D, Conv2DTranspose). */
  flops: number;
}

/**
 * Parameters and multiply-adds per input of a stock LayersModel, for example `inn.toLayersModel()`: each kernel's
 * size times the output positions it is applied at (the input positions for Conv2DTranspose, which scatters the
 * whole kernel from each of them). Biases, normalizations, activations and pooling are not counted as
 * multiply-adds.
 */
export function modelCost(model: tfl.LayersModel): ModelCost {
  assertArg(model instanceof tfl.LayersModel, 'modelCost', 'model', 'a tf.LayersModel', model);
  return {params: model.countParams(), flops: model.layers.reduce((sum, l) => sum + layerFlops(l), 0)};
}

/** Multiply-adds per input of a stock layer's kernel (0 for layers without one). */
function layerFlops(layer: tfl.layers.Layer): number {
  const kernel = layer.getWeights()[0];
  if (kernel == null) return 0;
  // Positions along the axes between the batch and the channels (1 for a Dense on [batch, features]).
  const positions = (shape: (number|null)[]) => shape.slice(1, -1).reduce((a: number, b) => a * (b ?? 1), 1);
  const name = layer.getClassName();
  if (name === 'Conv2DTranspose') return kernel.size * positions((layer.input as tfl.SymbolicTensor).shape);
  const kernelled = ['Dense', 'Conv1D', 'Conv2D', 'DepthwiseConv2D'].includes(name);
  return kernelled ? kernel.size * positions(layer.outputShape as (number|null)[]) : 0;
}
