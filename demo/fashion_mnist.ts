/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {gunzipSync, gzipSync} from 'node:zlib';

import * as tf from '@tensorflow/tfjs-core';

/** Where Debian's `dataset-fashion-mnist` package installs the idx files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** The names of Fashion-MNIST's ten classes, by label. */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt',
                                      'Sneaker', 'Bag', 'Ankle boot'];

const IDX_UBYTE = 0x08;

/** An idx file of unsigned bytes (LeCun's MNIST format): its dimensions and its values. */
export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

/** Parses an idx file of unsigned bytes, gzipped or not; `name` labels the errors. */
export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? new Uint8Array(gunzipSync(bytes)) : bytes;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (raw.byteLength < 4 || view.getUint16(0) !== 0 || raw[2] !== IDX_UBYTE) {
    throw new Error(`Error in parseIdx: '${name}' is not an idx file of unsigned bytes (magic ${
        raw.byteLength < 4 ? 'missing' : `0x${view.getUint32(0).toString(16).padStart(8, '0')}`}).`);
  }
  const rank = raw[3];
  const shape = Array.from({length: rank}, (_, i) => view.getUint32(4 + 4 * i));
  const offset = 4 + 4 * rank, size = shape.reduce((a, b) => a * b, 1);
  if (raw.byteLength !== offset + size) {
    throw new Error(`Error in parseIdx: '${name}' holds ${raw.byteLength - offset} values, its header [${shape}] ` +
                    `says ${size}.`);
  }
  return {shape, data: raw.subarray(offset)};
}

/** Serializes unsigned bytes as a gzipped idx file (the inverse of {@link parseIdx}; for test data). */
export function encodeIdx(array: IdxArray): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * array.shape.length));
  header.setUint8(2, IDX_UBYTE);
  header.setUint8(3, array.shape.length);
  array.shape.forEach((d, i) => header.setUint32(4 + 4 * i, d));
  return new Uint8Array(gzipSync(Buffer.concat([new Uint8Array(header.buffer), array.data])));
}

/** One split of Fashion-MNIST: images scaled to [0, 1], `[n, 28, 28, 1]`, and integer labels `[n]`. */
export interface ImageSplit {
  images: tf.Tensor4D;
  labels: tf.Tensor1D;
}

function readSplit(dir: string, prefix: 'train'|'t10k', count: number): ImageSplit {
  const read = (kind: string) => {
    const file = join(dir, `${prefix}-${kind}-ubyte.gz`);
    return parseIdx(readFileSync(file), file);
  };
  const images = read('images-idx3'), labels = read('labels-idx1');
  const [n, height, width] = images.shape;
  if (labels.shape[0] !== n) {
    throw new Error(`Error in loadFashionMnist: ${prefix} has ${n} images but ${labels.shape[0]} labels.`);
  }
  if (!Number.isInteger(count) || count < 1 || count > n) {
    throw new Error(`Error in loadFashionMnist: ${prefix} count must be an integer in [1, ${n}], got ${count}.`);
  }
  const pixels = new Float32Array(count * height * width);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i] / 255;
  return {
    images: tf.tensor4d(pixels, [count, height, width, 1]),
    labels: tf.tensor1d(Int32Array.from(labels.data.subarray(0, count)), 'int32'),
  };
}

/**
 * Reads the first `trainCount` training and `testCount` test images of Fashion-MNIST from `dir` (the idx `.gz`
 * files of Debian's `dataset-fashion-mnist`). Throws an Error that says how to install them when they are missing.
 */
export function loadFashionMnist(dir: string, trainCount: number, testCount: number): {train: ImageSplit, test: ImageSplit} {
  const missing = ['train-images-idx3', 'train-labels-idx1', 't10k-images-idx3', 't10k-labels-idx1']
                      .map(kind => join(dir, `${kind}-ubyte.gz`)).filter(file => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(`Error in loadFashionMnist: Fashion-MNIST is missing (${missing.join(', ')}). Install it with ` +
                    `'sudo apt-get install dataset-fashion-mnist' (Debian/Ubuntu), or pass --data DIR with the four ` +
                    `idx .gz files.`);
  }
  return {train: readSplit(dir, 'train', trainCount), test: readSplit(dir, 't10k', testCount)};
}
