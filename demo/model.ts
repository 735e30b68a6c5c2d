/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tfl from '@tensorflow/tfjs-layers';

import * as tfi from '../src/index';

type Factory = (args: object) => tfl.layers.Layer;

/**
 * The demo's Fashion-MNIST CNN: Conv 32 → MaxPool → Conv 64 → MaxPool → Conv 128 → GlobalAveragePooling →
 * Dense 128 → Dense 10 softmax (3×3 `same` convolutions, ReLU), from stock layers or from integral layers whose
 * first input and last output stay discrete. Kernels start from Glorot-uniform draws seeded `seed`, `seed + 1`, ...
 */
export function demoCnn({integral = false, seed = 1}: {integral?: boolean, seed?: number} = {}): tfl.Sequential {
  const conv = (integral ? tfi.layers.integralConv2d : tfl.layers.conv2d) as Factory;
  const dense = (integral ? tfi.layers.integralDense : tfl.layers.dense) as Factory;
  const ends = integral ? {first: {inContinuous: false}, last: {outContinuous: false}} : {first: {}, last: {}};
  const init = (i: number) => ({kernelInitializer: tfl.initializers.glorotUniform({seed: seed + i})});
  return tfl.sequential({layers: [
    conv({filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [28, 28, 1], ...init(0),
          ...ends.first}),
    tfl.layers.maxPooling2d({poolSize: 2}),
    conv({filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', ...init(1)}),
    tfl.layers.maxPooling2d({poolSize: 2}),
    conv({filters: 128, kernelSize: 3, padding: 'same', activation: 'relu', ...init(2)}),
    tfl.layers.globalAveragePooling2d({}),
    dense({units: 128, activation: 'relu', ...init(3)}),
    dense({units: 10, activation: 'softmax', ...init(4), ...ends.last}),
  ]});
}
