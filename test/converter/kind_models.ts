/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {randomizeBatchNorms} from './models';

type T = tfl.SymbolicTensor;
const seeded = (seed: number) => tfl.initializers.glorotNormal({seed});
const apply = (layer: tfl.layers.Layer, x: T|T[]) => layer.apply(x) as T;

/** A test model of the converter's layer kinds: how to make it, its input, and layers whose groups must be continuous. */
export interface KindModel {
  name: string;
  make: () => tfl.LayersModel;
  /** The same function with stock layers that tfjs can run, when `make`'s cannot (tfjs's Conv1D has no causal mode). */
  runnable?: () => tfl.LayersModel;
  /** A seeded input batch. */
  input: () => tf.Tensor;
  /** Layers whose output group must be continuous after wrapping. */
  continuous: string[];
}

const normal = (shape: number[], seed: number) => () => tf.randomNormal(shape, 0, 1, 'float32', seed);

/**
 * A 1-D audio model: Conv1D with causal, same (dilated) and valid padding, 1-D pooling and global pooling. tfjs's
 * Conv1D cannot run causal padding; `runnable` builds it from stock layers that can (zeros on the left, then valid).
 */
export function audioModel(runnable = false) {
  const input = tfl.input({shape: [16, 3]});
  const causal = (x: T) => runnable ?
      apply(tfl.layers.reshape({targetShape: [18, 3]}),
            apply(tfl.layers.zeroPadding2d({padding: [[2, 0], [0, 0]]}), apply(tfl.layers.reshape({targetShape: [16, 1, 3]}), x))) :
      x;
  let h = apply(tfl.layers.conv1d({filters: 8, kernelSize: 3, padding: runnable ? 'valid' : 'causal', activation: 'relu',
                                   name: 'causal', kernelInitializer: seeded(51)}), causal(input));
  h = apply(tfl.layers.conv1d({filters: 6, kernelSize: 3, padding: 'same', dilationRate: 2, name: 'dilated',
                               kernelInitializer: seeded(52)}), h);
  h = apply(tfl.layers.batchNormalization({name: 'bn1d'}), h);
  h = apply(tfl.layers.maxPooling1d({poolSize: 2}), h);
  h = apply(tfl.layers.conv1d({filters: 5, kernelSize: 2, strides: 2, activation: 'elu', name: 'strided',
                               kernelInitializer: seeded(53)}), h);
  h = apply(tfl.layers.averagePooling1d({poolSize: 2, padding: 'same'}), h);
  h = apply(tfl.layers.globalAveragePooling1d(), h);
  const model = tfl.model({inputs: input, outputs: apply(tfl.layers.dense({units: 3, kernelInitializer: seeded(54)}), h)});
  randomizeBatchNorms(model, 50);
  return model;
}

/** A U-Net-style encoder/decoder: Conv2DTranspose (same and valid) and skip concatenations. */
export function unet() {
  const input = tfl.input({shape: [8, 8, 2]});
  const skip = apply(tfl.layers.conv2d({filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', name: 'enc1',
                                        kernelInitializer: seeded(61)}), input);
  let h = apply(tfl.layers.maxPooling2d({poolSize: 2}), skip);
  h = apply(tfl.layers.conv2d({filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: 'enc2',
                               kernelInitializer: seeded(62)}), h);
  const up = apply(tfl.layers.conv2dTranspose({filters: 5, kernelSize: 3, strides: 2, padding: 'same', name: 'up',
                                               kernelInitializer: seeded(63)}), h);
  h = apply(tfl.layers.concatenate(), [up, skip]);
  h = apply(tfl.layers.conv2d({filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'dec',
                               kernelInitializer: seeded(64)}), h);
  h = apply(tfl.layers.conv2dTranspose({filters: 3, kernelSize: 2, strides: 1, padding: 'valid', name: 'grow',
                                        kernelInitializer: seeded(65)}), h);
  h = apply(tfl.layers.batchNormalization({name: 'bn_grow'}), h);
  h = apply(tfl.layers.reLU(), h);
  const out = apply(tfl.layers.conv2d({filters: 1, kernelSize: 1, name: 'mask', kernelInitializer: seeded(66)}), h);
  const model = tfl.model({inputs: input, outputs: out});
  randomizeBatchNorms(model, 60);
  return model;
}

/** A MobileNet block with depth multiplier 2 (folded and unfolded BatchNormalization) and a separable conv (m = 2). */
export function mobileNetBlock() {
  const input = tfl.input({shape: [8, 8, 3]});
  let h = apply(tfl.layers.conv2d({filters: 4, kernelSize: 3, padding: 'same', name: 'stem', kernelInitializer: seeded(71)}), input);
  h = apply(tfl.layers.reLU({maxValue: 6}), h);
  h = apply(tfl.layers.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2, padding: 'same', name: 'dw',
                                        depthwiseInitializer: seeded(72)}), h);
  h = apply(tfl.layers.batchNormalization({name: 'bn_dw'}), h);  // folds into the depthwise conv
  h = apply(tfl.layers.reLU({maxValue: 6}), h);
  const branch = apply(tfl.layers.batchNormalization({name: 'bn_unfolded'}), h);  // after an activation: per channel
  h = apply(tfl.layers.conv2d({filters: 6, kernelSize: 1, name: 'project', kernelInitializer: seeded(73)}), branch);
  h = apply(tfl.layers.separableConv2d({filters: 6, kernelSize: 3, depthMultiplier: 2, padding: 'same', name: 'sep',
                                        depthwiseInitializer: seeded(74), pointwiseInitializer: seeded(75)}), h);
  h = apply(tfl.layers.globalAveragePooling2d({}), h);
  const out = apply(tfl.layers.dense({units: 3, kernelInitializer: seeded(76)}), h);
  const model = tfl.model({inputs: input, outputs: out});
  randomizeBatchNorms(model, 70);
  return model;
}

/** A transformer-style MLP block over a sequence: LayerNormalization, an expanding MLP and a residual Add. */
export function transformerMlp() {
  const input = tfl.input({shape: [5, 4]});
  const embed = apply(tfl.layers.dense({units: 8, name: 'embed', kernelInitializer: seeded(81)}), input);
  let h = apply(tfl.layers.layerNormalization({name: 'ln1'}), embed);
  h = apply(tfl.layers.dense({units: 16, activation: 'relu', name: 'expand', kernelInitializer: seeded(82)}), h);
  h = apply(tfl.layers.dropout({rate: 0.1}), h);
  h = apply(tfl.layers.dense({units: 8, name: 'contract', kernelInitializer: seeded(83)}), h);
  h = apply(tfl.layers.add(), [h, embed]);
  h = apply(tfl.layers.layerNormalization({name: 'ln2', epsilon: 1e-5}), h);
  h = apply(tfl.layers.globalAveragePooling1d(), h);
  const out = apply(tfl.layers.dense({units: 3, kernelInitializer: seeded(84)}), h);
  const model = tfl.model({inputs: input, outputs: out});
  // Non-trivial gammas and betas.
  for (const l of model.layers.filter(l => l.getClassName() === 'LayerNormalization')) {
    const w = tf.tidy(() => l.getWeights().map((t, i) => tf.add(tf.randomNormal(t.shape, 0, 0.3, 'float32', 85 + i), 1 - i)));
    l.setWeights(w);
    tf.dispose(w);
  }
  return model;
}

/** A text classifier: Embedding, TimeDistributed(Dense), Permute, global max pooling, RepeatVector, Flatten → Dense. */
export function textClassifier() {
  const input = tfl.input({shape: [6], dtype: 'int32'});
  let h = apply(tfl.layers.embedding({inputDim: 20, outputDim: 8, name: 'embedding',
                                      embeddingsInitializer: tfl.initializers.randomNormal({seed: 91})}), input);
  h = apply(tfl.layers.timeDistributed({layer: tfl.layers.dense({units: 6, activation: 'tanh',
                                                                kernelInitializer: seeded(92)}), name: 'per_token'}), h);
  h = apply(tfl.layers.permute({dims: [1, 2]}), h);
  h = apply(tfl.layers.globalMaxPooling1d(), h);
  h = apply(tfl.layers.dense({units: 5, activation: 'relu', name: 'hidden', kernelInitializer: seeded(93)}), h);
  h = apply(tfl.layers.repeatVector({n: 3}), h);
  h = apply(tfl.layers.flatten(), h);
  const out = apply(tfl.layers.dense({units: 2, activation: 'softmax', kernelInitializer: seeded(94)}), h);
  return tfl.model({inputs: input, outputs: out});
}

/** An attention-gated CNN: a C-channel map multiplied by a 1-channel sigmoid mask (broadcast over channels). */
export function gatedCnn() {
  const input = tfl.input({shape: [8, 8, 3]});
  const features = apply(tfl.layers.conv2d({filters: 8, kernelSize: 3, padding: 'same', activation: 'relu',
                                            name: 'features', kernelInitializer: seeded(101)}), input);
  const mask = apply(tfl.layers.conv2d({filters: 1, kernelSize: 1, activation: 'sigmoid', name: 'attention',
                                        kernelInitializer: seeded(102)}), features);
  let h = apply(tfl.layers.multiply(), [features, mask]);
  h = apply(tfl.layers.conv2d({filters: 6, kernelSize: 3, padding: 'same', name: 'after', kernelInitializer: seeded(103)}), h);
  h = apply(tfl.layers.globalAveragePooling2d({}), h);
  return tfl.model({inputs: input, outputs: apply(tfl.layers.dense({units: 2, kernelInitializer: seeded(104)}), h)});
}

/** Conv → BN → ReLU, as Inception builds every convolution. */
function convBn(x: T, filters: number, kernel: [number, number], seed: number, strides = 1, padding = 'same') {
  const c = apply(tfl.layers.conv2d({filters, kernelSize: kernel, strides, padding: padding as 'same', useBias: false,
                                     kernelInitializer: seeded(seed)}), x);
  return apply(tfl.layers.activation({activation: 'relu'}), apply(tfl.layers.batchNormalization({scale: false}), c));
}

/**
 * An InceptionV3-style graph (`width` scales every layer): a stem, then mixed blocks of four branches (1×1; 1×1 → 3×3;
 * 1×1 → 3×3 → 3×3; average pooling → 1×1) concatenated, a grid reduction, 1×7 / 7×1 factorized branches, global
 * pooling and a Dense head. `blocks` mixed blocks of each type.
 */
export function inceptionStyle(size = 35, width = 1, blocks = 1, classes = 10) {
  const f = (n: number) => Math.max(1, Math.round(n * width));
  let seed = 200;
  const input = tfl.input({shape: [size, size, 3]});
  let x = convBn(input, f(32), [3, 3], seed++, 2, 'valid');
  x = convBn(x, f(64), [3, 3], seed++);
  for (let b = 0; b < blocks; b++) {
    const b1 = convBn(x, f(64), [1, 1], seed++);
    const b5 = convBn(convBn(x, f(48), [1, 1], seed++), f(64), [5, 5], seed++);
    const b3 = convBn(convBn(convBn(x, f(64), [1, 1], seed++), f(96), [3, 3], seed++), f(96), [3, 3], seed++);
    const pool = convBn(apply(tfl.layers.averagePooling2d({poolSize: 3, strides: 1, padding: 'same'}), x), f(32), [1, 1], seed++);
    x = apply(tfl.layers.concatenate(), [b1, b5, b3, pool]);
  }
  const r3 = convBn(x, f(384), [3, 3], seed++, 2, 'valid');
  const rPool = apply(tfl.layers.maxPooling2d({poolSize: 3, strides: 2}), x);
  x = apply(tfl.layers.concatenate(), [r3, rPool]);
  for (let b = 0; b < blocks; b++) {
    const b1 = convBn(x, f(192), [1, 1], seed++);
    const b7 = convBn(convBn(convBn(x, f(128), [1, 1], seed++), f(128), [1, 7], seed++), f(192), [7, 1], seed++);
    const pool = convBn(apply(tfl.layers.averagePooling2d({poolSize: 3, strides: 1, padding: 'same'}), x), f(192), [1, 1], seed++);
    x = apply(tfl.layers.concatenate(), [b1, b7, pool]);
  }
  x = apply(tfl.layers.globalAveragePooling2d({}), x);
  const model = tfl.model({inputs: input,
                           outputs: apply(tfl.layers.dense({units: classes, kernelInitializer: seeded(seed)}), x)});
  randomizeBatchNorms(model, 300);
  return model;
}

/** The converter's kinds, one small model each. */
export const KIND_MODELS: KindModel[] = [
  {name: '1-D audio model (Conv1D causal / same / valid, 1-D pooling)', make: () => audioModel(),
   runnable: () => audioModel(true),
   input: normal([2, 16, 3], 1), continuous: ['causal', 'dilated', 'strided']},
  {name: 'U-Net-style encoder/decoder (Conv2DTranspose, skip concatenation)', make: unet,
   input: normal([2, 8, 8, 2], 2), continuous: ['enc1', 'enc2', 'up', 'dec', 'grow']},
  {name: 'MobileNet block with depth multiplier 2', make: mobileNetBlock, input: normal([2, 8, 8, 3], 3),
   continuous: ['stem', 'project', 'sep']},
  {name: 'transformer-style MLP block (LayerNormalization, residual Add)', make: transformerMlp,
   input: normal([3, 5, 4], 4), continuous: ['embed', 'expand']},
  {name: 'text classifier (Embedding, TimeDistributed, Permute, RepeatVector)', make: textClassifier,
   input: () => tf.tensor2d([[1, 4, 0, 19, 7, 7], [3, 3, 12, 5, 0, 2]], [2, 6], 'int32'),
   continuous: ['embedding', 'per_token', 'hidden']},
  {name: 'attention-gated CNN (a 1-channel mask broadcast over channels)', make: gatedCnn,
   input: normal([2, 8, 8, 3], 5), continuous: ['features', 'after']},
  {name: 'InceptionV3-style graph', make: () => inceptionStyle(19, 0.125), input: normal([1, 19, 19, 3], 6),
   continuous: []},
];
