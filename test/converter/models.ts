/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import * as tfi from '../../src/index';

/** Gives every BatchNormalization of `model` non-trivial, seeded statistics (positive variances). */
export function randomizeBatchNorms(model: tfl.LayersModel, seed = 1) {
  let s = seed;
  const visit = (m: tfl.LayersModel) => {
    for (const l of m.layers) {
      if ((l as unknown as tfl.LayersModel).layers != null) visit(l as unknown as tfl.LayersModel);
      if (l.getClassName() !== 'BatchNormalization') continue;
      const values = tf.tidy(() => l.getWeights().map((w, i, all) => i === all.length - 1 ?
          tf.add(tf.randomUniform(w.shape, 0, 1, 'float32', s++), 0.5) : tf.randomNormal(w.shape, 0, 0.5, 'float32', s++)));
      l.setWeights(values);
      tf.dispose(values);
    }
  };
  visit(model);
}

const seeded = (seed: number) => tfl.initializers.glorotNormal({seed});

/**
 * Conv → BN → ReLU → pool → conv → BN → ReLU → global pooling → dense (→ dropout) → dense: a small VGG-style
 * classifier, seeded throughout (without dropout, its training is deterministic too).
 */
export function sequentialCnn(dropout = true) {
  const model = tfl.sequential({layers: [
    tfl.layers.conv2d({filters: 8, kernelSize: 3, padding: 'same', inputShape: [8, 8, 3], kernelInitializer: seeded(1)}),
    tfl.layers.batchNormalization(),
    tfl.layers.activation({activation: 'relu'}),
    tfl.layers.maxPooling2d({poolSize: 2}),
    tfl.layers.conv2d({filters: 12, kernelSize: 3, padding: 'valid', useBias: false, kernelInitializer: seeded(2)}),
    tfl.layers.batchNormalization(),
    tfl.layers.reLU(),
    tfl.layers.globalAveragePooling2d({}),
    tfl.layers.dense({units: 10, activation: 'relu', kernelInitializer: seeded(3)}),
    ...(dropout ? [tfl.layers.dropout({rate: 0.2})] : []),
    tfl.layers.dense({units: 4, activation: 'softmax', kernelInitializer: seeded(4)}),
  ]});
  randomizeBatchNorms(model);
  return model;
}

/** A residual block (conv-BN-ReLU-conv-BN + skip, then ReLU) and a Flatten → Dense head. */
export function residualCnn() {
  const input = tfl.input({shape: [6, 6, 2]});
  const stem = tfl.layers.conv2d({filters: 6, kernelSize: 3, padding: 'same', activation: 'relu',
                                  kernelInitializer: seeded(5)}).apply(input) as tfl.SymbolicTensor;
  let h = tfl.layers.conv2d({filters: 6, kernelSize: 3, padding: 'same', kernelInitializer: seeded(6)}).apply(stem);
  h = tfl.layers.batchNormalization().apply(h);
  h = tfl.layers.leakyReLU({alpha: 0.1}).apply(h);
  h = tfl.layers.conv2d({filters: 6, kernelSize: 3, padding: 'same', kernelInitializer: seeded(7)}).apply(h);
  h = tfl.layers.batchNormalization().apply(h);
  h = tfl.layers.add().apply([h as tfl.SymbolicTensor, stem]);
  h = tfl.layers.activation({activation: 'relu'}).apply(h);
  h = tfl.layers.averagePooling2d({poolSize: 2}).apply(h);
  h = tfl.layers.flatten().apply(h);
  const out = tfl.layers.dense({units: 3, kernelInitializer: seeded(8)}).apply(h) as tfl.SymbolicTensor;
  const model = tfl.model({inputs: input, outputs: out});
  randomizeBatchNorms(model, 20);
  return model;
}

/** A functional model with a shared Dense and a nested Sequential head. */
export function nestedMlp() {
  const input = tfl.input({shape: [5]});
  const shared = tfl.layers.dense({units: 9, activation: 'tanh', kernelInitializer: seeded(9), name: 'shared'});
  const a = shared.apply(input) as tfl.SymbolicTensor;
  const b = shared.apply(tfl.layers.activation({activation: 'sigmoid'}).apply(input) as tfl.SymbolicTensor) as
      tfl.SymbolicTensor;
  const sum = tfl.layers.average().apply([a, b]) as tfl.SymbolicTensor;
  const head = tfl.sequential({name: 'head', layers: [
    tfl.layers.dense({units: 7, activation: 'relu', inputShape: [9], kernelInitializer: seeded(10), name: 'inner1'}),
    tfl.layers.dense({units: 2, kernelInitializer: seeded(11), name: 'inner2'}),
  ]});
  return tfl.model({inputs: input, outputs: head.apply(sum) as tfl.SymbolicTensor});
}

/**
 * MobileNetV2-style inverted residual blocks: expand (1×1 conv, BN, ReLU6) → depthwise 3×3 (BN, ReLU6) → project
 * (1×1 conv, BN) → separable conv + skip; a PReLU, and a BatchNormalization after a merge (not foldable).
 */
export function invertedResidualNet() {
  const input = tfl.input({shape: [8, 8, 3]});
  let h = tfl.layers.conv2d({filters: 6, kernelSize: 3, padding: 'same', kernelInitializer: seeded(12)}).apply(input);
  h = tfl.layers.batchNormalization().apply(h);
  const stem = tfl.layers.reLU({maxValue: 6}).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.conv2d({filters: 12, kernelSize: 1, kernelInitializer: seeded(13)}).apply(stem);
  h = tfl.layers.batchNormalization().apply(h);
  h = tfl.layers.reLU({maxValue: 6}).apply(h);
  h = tfl.layers.depthwiseConv2d({kernelSize: 3, padding: 'same', depthwiseInitializer: seeded(14)}).apply(h);
  h = tfl.layers.batchNormalization().apply(h);
  h = tfl.layers.prelu({sharedAxes: [1, 2], alphaInitializer: tfl.initializers.constant({value: 0.2})}).apply(h);
  h = tfl.layers.conv2d({filters: 6, kernelSize: 1, kernelInitializer: seeded(15)}).apply(h);
  h = tfl.layers.batchNormalization().apply(h);
  h = tfl.layers.separableConv2d({filters: 6, kernelSize: 3, padding: 'same', depthwiseInitializer: seeded(17),
                                  pointwiseInitializer: seeded(18)}).apply(h);
  h = tfl.layers.add().apply([h as tfl.SymbolicTensor, stem]);
  h = tfl.layers.batchNormalization().apply(h);  // after the merge: not foldable, resampled with its group
  h = tfl.layers.globalAveragePooling2d({}).apply(h);
  const out = tfl.layers.dense({units: 5, kernelInitializer: seeded(16)}).apply(h) as tfl.SymbolicTensor;
  const model = tfl.model({inputs: input, outputs: out});
  randomizeBatchNorms(model, 40);
  return model;
}

/** A DenseNet-style block: two branches concatenated (one of them twice, nested), consumed by a conv and a dense. */
export function concatNet() {
  const input = tfl.input({shape: [6, 6, 3]});
  const stem = tfl.layers.conv2d({filters: 5, kernelSize: 3, padding: 'same', activation: 'relu',
                                  kernelInitializer: seeded(21)}).apply(input) as tfl.SymbolicTensor;
  const branch = tfl.layers.conv2d({filters: 4, kernelSize: 1, activation: 'relu', kernelInitializer: seeded(22)})
                     .apply(stem) as tfl.SymbolicTensor;
  const joined = tfl.layers.concatenate().apply([stem, branch]) as tfl.SymbolicTensor;
  const grown = tfl.layers.conv2d({filters: 3, kernelSize: 3, padding: 'same', activation: 'relu',
                                   kernelInitializer: seeded(23)}).apply(joined) as tfl.SymbolicTensor;
  const all = tfl.layers.concatenate().apply([joined, grown]) as tfl.SymbolicTensor;
  const pooled = tfl.layers.globalAveragePooling2d({}).apply(all) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({units: 4, kernelInitializer: seeded(24)}).apply(pooled) as tfl.SymbolicTensor;
  return tfl.model({inputs: input, outputs: out});
}

/** The remaining supported layers: padding, cropping, ELU, gating Multiply, Subtract, Maximum, pooling and
 * upsampling, Reshape that keeps the channels, Softmax over channels, global max pooling. */
export function layerZoo() {
  const input = tfl.input({shape: [8, 8, 3]});
  const x = tfl.layers.conv2d({filters: 6, kernelSize: 3, padding: 'same', kernelInitializer: seeded(31)})
                .apply(input) as tfl.SymbolicTensor;
  let a = tfl.layers.zeroPadding2d({padding: 1}).apply(x) as tfl.SymbolicTensor;
  a = tfl.layers.cropping2D({cropping: 1}).apply(a) as tfl.SymbolicTensor;
  a = tfl.layers.elu().apply(a) as tfl.SymbolicTensor;
  const gate = tfl.layers.conv2d({filters: 6, kernelSize: 1, activation: 'sigmoid', kernelInitializer: seeded(32)})
                   .apply(x) as tfl.SymbolicTensor;
  let m = tfl.layers.multiply().apply([a, gate]) as tfl.SymbolicTensor;
  m = tfl.layers.minimum().apply([m, x]) as tfl.SymbolicTensor;
  m = tfl.layers.maximum().apply([m, x]) as tfl.SymbolicTensor;
  m = tfl.layers.maxPooling2d({poolSize: 2}).apply(m) as tfl.SymbolicTensor;
  m = tfl.layers.upSampling2d({size: [2, 2]}).apply(m) as tfl.SymbolicTensor;
  m = tfl.layers.reshape({targetShape: [64, 6]}).apply(m) as tfl.SymbolicTensor;
  m = tfl.layers.softmax({axis: -1}).apply(m) as tfl.SymbolicTensor;
  m = tfl.layers.reshape({targetShape: [8, 8, 6]}).apply(m) as tfl.SymbolicTensor;
  m = tfl.layers.globalMaxPooling2d({}).apply(m) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({units: 3, kernelInitializer: seeded(33)}).apply(m) as tfl.SymbolicTensor;
  return tfl.model({inputs: input, outputs: out});
}

/** A model built directly from integral layers. */
export function integralCnn() {
  return tfl.sequential({layers: [
    tfi.layers.integralConv2d({filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 8, 3],
                               inContinuous: false, kernelInitializer: seeded(41)}),
    tfl.layers.maxPooling2d({poolSize: 2}),
    tfi.layers.integralConv2d({filters: 8, kernelSize: 3, padding: 'same', activation: 'relu',
                               kernelInitializer: seeded(42)}),
    tfl.layers.globalAveragePooling2d({}),
    tfi.layers.integralDense({units: 4, activation: 'softmax', outContinuous: false, kernelInitializer: seeded(43)}),
  ]});
}

/** `n` seeded inputs of {@link sequentialCnn} with one-hot targets of its 4 classes, cycling. */
export function cnnTrainingData(n: number, seed: number): {x: tf.Tensor4D, y: tf.Tensor2D} {
  return tf.tidy(() => ({
    x: tf.randomNormal([n, 8, 8, 3], 0, 1, 'float32', seed) as tf.Tensor4D,
    y: tf.oneHot(tf.tensor1d(Array.from({length: n}, (_, i) => i % 4), 'int32'), 4) as tf.Tensor2D,
  }));
}

/**
 * Runs `fn` with tfjs's per-kernel leak check (IS_TEST) off: it misfires on wasm's fused matMul during fit; the
 * specs count tensors themselves.
 */
export async function withoutKernelLeakCheck(fn: () => Promise<void>) {
  const isTest = tf.env().getBool('IS_TEST');
  tf.env().set('IS_TEST', false);
  try {
    await fn();
  } finally {
    tf.env().set('IS_TEST', isTest);
  }
}
