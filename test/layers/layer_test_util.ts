/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Saves `model` to memory and loads it back (tfjs's snake_case config round trip included). */
export async function memoryRoundTrip(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  let saved: tf.io.ModelArtifacts|null = null;
  await model.save(tf.io.withSaveHandler(async artifacts => {
    saved = JSON.parse(JSON.stringify({...artifacts, weightData: undefined}));
    saved!.weightData = artifacts.weightData;
    return {modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts)};
  }));
  return tfl.loadLayersModel(tf.io.fromMemory(saved!));
}

/** A seeded data set shaped like Fashion-MNIST, scaled down: `n` images `size × size × 1` with 10 one-hot classes. */
export function syntheticImages(n: number, size: number, seed: number) {
  return tf.tidy(() => {
    const labels = tf.randomUniform([n], 0, 10, 'int32', seed);
    // Each class has its own mean image, so the task is learnable.
    const means = tf.randomNormal([10, size, size, 1], 0, 1, 'float32', seed + 1);
    const x = tf.add(tf.gather(means, labels), tf.randomNormal([n, size, size, 1], 0, 0.5, 'float32', seed + 2));
    return {x: x as tf.Tensor4D, y: tf.cast(tf.oneHot(labels, 10), 'float32') as tf.Tensor2D};
  });
}

/** The same small CNN with stock or integral layers and the same seeded initializers. */
export function smallCnn(size: number, make: {dense: (a: object) => tfl.layers.Layer, conv2d: (a: object) => tfl.layers.Layer}) {
  return tfl.sequential({layers: [
    make.conv2d({filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [size, size, 1],
                 kernelInitializer: tfl.initializers.glorotUniform({seed: 1}), inContinuous: false}),
    tfl.layers.maxPooling2d({poolSize: 2}),
    make.conv2d({filters: 8, kernelSize: 3, padding: 'same', activation: 'relu',
                 kernelInitializer: tfl.initializers.glorotUniform({seed: 2})}),
    tfl.layers.flatten(),
    make.dense({units: 10, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({seed: 3}),
                outContinuous: false}),
  ]});
}
