/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tfconv from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';

import {DEBIAN_FASHION_MNIST_DIR, loadFashionMnist} from '../demo/fashion_mnist';
import * as tfi from '../src/index';
import {mobileNetV2Artifacts} from '../test/graph/mobilenet_v2';
import {timeIt} from './timing';

/** Milliseconds per image of `model.predict` on `x` (at least 3 calls and 2 s, after a warm-up). */
async function predictMs(model: {predict: (x: tf.Tensor) => unknown}, x: tf.Tensor): Promise<number> {
  return await timeIt(() => model.predict(x) as tf.Tensor, 3, 2000) / x.shape[0];
}

/** One width of the MobileNetV2 graph model: its size, and how often it agrees with the full model's top-1. */
export interface GraphRow {
  width: number;
  /** Continuous groups (resampled) of all groups. */
  groups: string;
  params: number;
  /** Bytes of the exported graph model's weights, float32 and uint8. */
  bytesFloat32: number;
  bytesUint8: number;
  /** Top-1 agreement with the full model on the held-out images: resampled, calibrated, then distilled. */
  agreementResampled: number;
  agreementCalibrated: number;
  agreementDistilled: number;
  /** Mean total-variation distance from the full model's class probabilities (0: the same, 1: disjoint). */
  distanceResampled: number;
  distanceCalibrated: number;
  distanceDistilled: number;
  /** How many held-out images the full model puts in each of its classes. */
  fullClasses?: number[];
  calibrateSeconds: number;
  distillSeconds: number;
  /** Milliseconds per image of the exported stock LayersModel's `predict` on 16 images (and, at full width, the
   *  original GraphModel's). */
  predictMs: number;
  graphPredictMs?: number;
}

/** Fashion-MNIST images as 224×224 RGB in [0, 1] (the network's input), `count` from `start` of the training set. */
function images(train: tf.Tensor, start: number, count: number): tf.Tensor4D {
  return tf.tidy(() => {
    const x = tf.slice(train, start, count) as tf.Tensor4D;
    return tf.tile(tf.image.resizeBilinear(x, [224, 224]), [1, 1, 1, 3]) as tf.Tensor4D;
  });
}

/** The class probabilities `[N, classes]` a model gives `x`, in batches of 32. */
async function probabilities(model: {predict(x: tf.Tensor): unknown}, x: tf.Tensor): Promise<Float32Array[]> {
  const rows: Float32Array[] = [];
  for (let i = 0; i < x.shape[0]; i += 32) {
    const p = tf.tidy(() => model.predict(tf.slice(x, i, Math.min(32, x.shape[0] - i))) as tf.Tensor2D);
    const classes = p.shape[1];
    const values = await p.data() as Float32Array;
    for (let r = 0; r < p.shape[0]; r++) rows.push(values.slice(r * classes, (r + 1) * classes));
    p.dispose();
  }
  return rows;
}

const top = (p: Float32Array) => p.indexOf(Math.max(...p));
const agreement = (a: Float32Array[], b: Float32Array[]) => a.filter((p, i) => top(p) === top(b[i])).length / a.length;
/** Mean total-variation distance between two sets of probability vectors. */
const distance = (a: Float32Array[], b: Float32Array[]) =>
    a.reduce((sum, p, i) => sum + p.reduce((s, v, c) => s + Math.abs(v - b[i][c]), 0) / 2, 0) / a.length;

/** Agreement and distance from the full model's probabilities `full` of the three stages. */
function scores(resampled: Float32Array[], calibrated: Float32Array[], distilled: Float32Array[], full: Float32Array[]) {
  return {
    agreementResampled: agreement(resampled, full), agreementCalibrated: agreement(calibrated, full),
    agreementDistilled: agreement(distilled, full), distanceResampled: distance(resampled, full),
    distanceCalibrated: distance(calibrated, full), distanceDistilled: distance(distilled, full),
  };
}

/** Bytes of the weights `inn.saveGraphModel` writes. */
async function savedBytes(inn: tfi.IntegralModel, quantization?: tfi.WeightQuantization): Promise<number> {
  let bytes = 0;
  await inn.saveGraphModel(tf.io.withSaveHandler(async a => {
    bytes = tf.io.CompositeArrayBuffer.join(a.weightData!).byteLength;
    return {modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a)};
  }), {quantization});
  return bytes;
}

/**
 * The MobileNetV2 graph model of nsfwjs (docs/api.md §7) at 75, 50 and 25 % width: groups, parameters, exported
 * bytes, and top-1 agreement with the full model and the mean total-variation distance from its probabilities on
 * `heldOut` Fashion-MNIST images (no labels exist for its five classes on them) after resampling, calibrating on
 * `calibration` images and distilling on `distillation` images (1 epoch), and the exported model's prediction time,
 * on the current backend.
 */
export async function benchGraphModel(calibration = 32, distillation = 64, heldOut = 96): Promise<GraphRow[]> {
  const artifacts = mobileNetV2Artifacts();
  if ('unavailable' in artifacts) throw new Error(`bench: ${artifacts.unavailable}`);
  const graph = await tfconv.loadGraphModel(tf.io.fromMemory(artifacts));
  const inn = await tfi.wrapGraphModel(graph);
  const {train} = loadFashionMnist(DEBIAN_FASHION_MNIST_DIR, distillation + heldOut, 1);
  const xDistill = images(train.images, 0, distillation);
  const xCalibrate = tf.slice(xDistill, 0, calibration);
  const xHeld = images(train.images, distillation, heldOut);
  const full = await probabilities(graph, xHeld);
  const fullClasses = new Array(full[0].length).fill(0);
  for (const p of full) fullClasses[top(p)]++;
  const rows: GraphRow[] = [];
  for (const width of [0.75, 0.5, 0.25]) {
    const resampled = inn.resample(width);
    const resampledProbabilities = await probabilities(resampled, xHeld);
    let start = performance.now();
    const calibrated = await inn.resample(width).calibrate(xCalibrate, {batchSize: 16});
    const calibrateSeconds = (performance.now() - start) / 1000;
    start = performance.now();
    // Batches of 8: the gradients of 224×224 strided depthwise convolutions outgrow wasm's 4 GB heap at 16.
    // A pretrained 224×224 network fine-tunes at a smaller rate than distill's default (5e-3, for small CNNs).
    const distilled = await calibrated.distill(xDistill, {epochs: 1, batchSize: 8, seed: 1, learningRate: 1e-4});
    const distillSeconds = (performance.now() - start) / 1000;
    const stock = distilled.toLayersModel();
    const timed = tf.slice(xHeld, 0, 16);
    rows.push({
      width, groups: `${resampled.groups.filter(g => g.continuous).length} of ${resampled.groups.length}`,
      params: stock.countParams(), bytesFloat32: await savedBytes(distilled), bytesUint8: await savedBytes(distilled, 'uint8'),
      ...scores(resampledProbabilities, await probabilities(calibrated, xHeld), await probabilities(distilled, xHeld), full),
      calibrateSeconds, distillSeconds, predictMs: await predictMs(stock, timed),
    });
    console.error(rows[rows.length - 1]);
    stock.dispose();
    timed.dispose();
    [resampled, calibrated, distilled].forEach(m => m.dispose());
  }
  const fullStock = inn.toLayersModel();
  const timed = tf.slice(xHeld, 0, 16);
  rows.unshift({width: 1, groups: `${inn.groups.length} groups`, params: fullStock.countParams(),
                bytesFloat32: await savedBytes(inn), bytesUint8: await savedBytes(inn, 'uint8'),
                ...scores(full, full, full, full), fullClasses, calibrateSeconds: 0, distillSeconds: 0,
                predictMs: await predictMs(fullStock, timed), graphPredictMs: await predictMs(graph, timed)});
  fullStock.dispose();
  timed.dispose();
  inn.dispose();
  graph.dispose();
  tf.dispose([xDistill, xCalibrate, xHeld, train.images, train.labels]);
  return rows;
}
