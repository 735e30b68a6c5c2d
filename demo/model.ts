/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tfl from '@tensorflow/tfjs-layers';

import * as tfi from '../src/index';

type Factory = (args: object) => tfl.layers.Layer;

/**
 * The demo's Fashion-MNIST CNN: Conv 16 → BatchNorm → ReLU → MaxPool → Conv 32 → BatchNorm → ReLU → MaxPool →
 * Flatten → Dense 128 → Dense 10 softmax (3×3 `same` convolutions), from stock layers or from integral layers whose
 * first input and last output stay discrete. `wrapModel` folds each BatchNormalization into its convolution, and the
 * Dense after the Flatten integrates the 32 channels at each of the 49 positions. Kernels start from Glorot-uniform
 * draws seeded `seed`, `seed + 1`, ...
 */
export function demoCnn({integral = false, seed = 1}: {integral?: boolean, seed?: number} = {}): tfl.Sequential {
  const conv = (integral ? tfi.layers.integralConv2d : tfl.layers.conv2d) as Factory;
  const dense = (integral ? tfi.layers.integralDense : tfl.layers.dense) as Factory;
  const ends = integral ? {first: {inContinuous: false}, last: {outContinuous: false}} : {first: {}, last: {}};
  const init = (i: number) => ({kernelInitializer: tfl.initializers.glorotUniform({seed: seed + i})});
  return tfl.sequential({layers: [
    conv({filters: 16, kernelSize: 3, padding: 'same', useBias: false, inputShape: [28, 28, 1], ...init(0),
          ...ends.first}),
    tfl.layers.batchNormalization(),
    tfl.layers.reLU(),
    tfl.layers.maxPooling2d({poolSize: 2}),
    conv({filters: 32, kernelSize: 3, padding: 'same', useBias: false, ...init(1)}),
    tfl.layers.batchNormalization(),
    tfl.layers.reLU(),
    tfl.layers.maxPooling2d({poolSize: 2}),
    tfl.layers.flatten(),
    dense({units: 128, activation: 'relu', ...init(2)}),
    dense({units: 10, activation: 'softmax', ...init(3), ...ends.last}),
  ]});
}
