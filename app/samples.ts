/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs';

/** The bundled sample's `meta.json`: raw bytes `images.u8` (`[count, ...shape]`) and `labels.u8` (`[count]`). */
export interface SampleMeta {
  description: string;
  count: number;
  shape: number[];
  /** Factor from a byte to the model's input value. */
  scale: number;
  /** Class names, by label. */
  classes: string[];
}

/** Inputs a model is calibrated and scored on: the first half calibrates, the second is scored. */
export interface Sample {
  description: string;
  /** Inputs the calibration and the width search fit on (their labels are not used by calibration). */
  calibration: tf.Tensor;
  /** Labels of `calibration` (class indices), when known: the width search scores by them. */
  calibrationLabels: tf.Tensor1D|null;
  /** Inputs the accuracy (or the agreement with the full model) is measured on. */
  scored: tf.Tensor;
  /** Labels of `scored` (class indices), or null: then the app measures agreement with the full model. */
  scoredLabels: Int32Array|null;
}

/** Reads the bundled sample from `base` (a URL ending with `/`). */
export async function loadBundledSample(base: string): Promise<Sample> {
  const get = async (file: string) => {
    const response = await fetch(base + file);
    if (!response.ok) throw new Error(`the app's sample '${base + file}' did not load (HTTP ${response.status})`);
    return response;
  };
  const meta = await (await get('meta.json')).json() as SampleMeta;
  const [images, labels] = await Promise.all(['images.u8', 'labels.u8'].map(
      async f => new Uint8Array(await (await get(f)).arrayBuffer())));
  const half = meta.count / 2;
  const size = images.length / meta.count;
  const inputs = (from: number, to: number) =>
      tf.tensor(Float32Array.from(images.subarray(from * size, to * size), v => v * meta.scale), [to - from, ...meta.shape]);
  return {
    description: meta.description,
    calibration: inputs(0, half),
    calibrationLabels: tf.tensor1d(Int32Array.from(labels.subarray(0, half)), 'int32'),
    scored: inputs(half, meta.count),
    scoredLabels: Int32Array.from(labels.subarray(half)),
  };
}

/**
 * A sample for a model the bundled one does not fit (another input shape or class count): seeded uniform inputs in
 * [0, 1), no labels (the app then reports agreement with the full model).
 */
export function syntheticSample(inputShape: number[], count = 512): Sample {
  const [calibration, scored] = [1, 2].map(seed => tf.randomUniform([count / 2, ...inputShape], 0, 1, 'float32', seed));
  return {
    description: `${count} uniform random inputs (no sample of this model's inputs is bundled)`, calibration,
    calibrationLabels: null, scored, scoredLabels: null,
  };
}

/** Whether `sample`'s inputs fit a model input of shape `[batch, ...inputShape]`. */
export function fits(sample: Sample, inputShape: (number|null)[]): boolean {
  const shape = sample.scored.shape.slice(1);
  return inputShape.length === shape.length && inputShape.every((d, i) => d == null || d === shape[i]);
}

/** Frees a sample's tensors. */
export function disposeSample(sample: Sample) {
  tf.dispose([sample.calibration, sample.scored, ...(sample.calibrationLabels ? [sample.calibrationLabels] : [])]);
}
