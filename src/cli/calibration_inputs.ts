/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {extname, join} from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
import jpeg from 'jpeg-js';
import {parse as parseNpy} from 'npyjs';
import {PNG} from 'pngjs';

import {CliError} from './model_files';

/** How to read calibration inputs for a model whose input is `[batch, ...shape]`. */
export interface CalibrationInputOptions {
  /** The model's input shape without the batch axis (`null` where any size goes). */
  shape: Array<number|null>;
  /** How many inputs to read at most. */
  samples: number;
  /** Factor applied to image pixels (0-255). */
  scale: number;
}

const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];

/** `[h, w, 4]` RGBA bytes of a PNG or JPEG file. */
function decodeImage(file: string): {data: Uint8Array, width: number, height: number} {
  const bytes = readFileSync(file);
  try {
    return extname(file).toLowerCase() === '.png' ? PNG.sync.read(bytes) : jpeg.decode(bytes, {useTArray: true});
  } catch (e) {
    throw new CliError(`tfjs-integral resample: --calibrate image '${file}' cannot be decoded (${(e as Error).message}).`);
  }
}

/**
 * The images of directory `dir` (PNG, JPEG; sorted by name) as a float32 batch resized (bilinear) to the model's
 * `[h, w, c]` input: `c` = 1 reads luma, 3 RGB, 4 RGBA; pixels times `scale`.
 */
function readImages(dir: string, o: CalibrationInputOptions): tf.Tensor {
  const [h, w, c] = o.shape;
  if (o.shape.length !== 3 || h == null || w == null || ![1, 3, 4].includes(c!)) {
    throw new CliError(`tfjs-integral resample: --calibrate with images needs a model whose input is ` +
                       `[height, width, 1|3|4]; this one takes [${o.shape.join(', ')}] (give a .npy file).`);
  }
  const files = readdirSync(dir).filter(f => IMAGE_EXTENSIONS.includes(extname(f).toLowerCase())).sort()
                    .slice(0, o.samples);
  if (files.length === 0) {
    throw new CliError(`tfjs-integral resample: --calibrate directory '${dir}' holds no PNG or JPEG image.`);
  }
  return tf.tidy(() => tf.stack(files.map(f => {
    const image = decodeImage(join(dir, f));
    const rgba = tf.tensor3d(Float32Array.from(image.data), [image.height, image.width, 4]);
    const channels = c === 1 ? tf.sum(tf.mul(tf.slice(rgba, [0, 0, 0], [-1, -1, 3]), [0.299, 0.587, 0.114]), 2, true) :
                               tf.slice(rgba, [0, 0, 0], [-1, -1, c!]);
    return tf.mul(tf.image.resizeBilinear(channels as tf.Tensor3D, [h, w]), o.scale);
  })));
}

/** The float32 array of `.npy` file `file`, `[N, ...input shape]`, its first `samples` rows. */
function readNpy(file: string, o: CalibrationInputOptions): tf.Tensor {
  const bytes = readFileSync(file);
  let array;
  try {
    array = parseNpy(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (e) {
    throw new CliError(`tfjs-integral resample: --calibrate '${file}' is not a .npy array (${(e as Error).message}).`);
  }
  if (array.dtype !== 'f4' || array.fortranOrder) {
    throw new CliError(`tfjs-integral resample: --calibrate '${file}' must hold a C-ordered float32 array, ` +
                       `not ${array.fortranOrder ? 'a Fortran-ordered' : `dtype ${array.dtype}`} one.`);
  }
  const [n, ...rest] = array.shape;
  const fits = rest.length === o.shape.length && o.shape.every((d, i) => d == null || d === rest[i]);
  if (!fits || n === 0) {
    throw new CliError(`tfjs-integral resample: --calibrate '${file}' holds an array of shape [${array.shape.join(', ')}]; ` +
                       `the model takes [N, ${o.shape.map(d => d ?? 'any').join(', ')}] with N ≥ 1.`);
  }
  const count = Math.min(n, o.samples);
  const size = rest.reduce((a, b) => a * b, 1);
  const values = array.data as Float32Array;
  if (values.length < count * size) {
    throw new CliError(`tfjs-integral resample: --calibrate '${file}' is truncated: its header promises ` +
                       `[${array.shape.join(', ')}] (${n * size} values), the file holds ${values.length}.`);
  }
  return tf.tensor(values.subarray(0, count * size), [count, ...rest], 'float32');
}

/**
 * Calibration inputs from `path`: a `.npy` float32 array `[N, ...input shape]`, or a directory of PNG / JPEG
 * images resized to the model's input. At most `samples` of them.
 */
export function readCalibrationInputs(path: string, o: CalibrationInputOptions): tf.Tensor {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new CliError(`tfjs-integral resample: --calibrate '${path}' does not exist.`);
  }
  if (isDirectory) return readImages(path, o);
  if (extname(path).toLowerCase() !== '.npy') {
    throw new CliError(`tfjs-integral resample: --calibrate must be a .npy file or a directory of images; got '${path}'.`);
  }
  return readNpy(path, o);
}
