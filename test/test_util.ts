/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {NormalEquations} from '../src/calibration/normal_equations';
import {mulberry32} from '../src/util/random';
import {RefTensor} from './reference';

/** A seeded float64 tensor with float32-representable entries in [-1, 1), so failures reproduce. */
export function randomRef(shape: number[], seed: number): RefTensor {
  const random = mulberry32(seed);
  const values = Float32Array.from({length: shape.reduce((a, b) => a * b, 1)}, () => random() * 2 - 1);
  return {values: Float64Array.from(values), shape};
}

/** The float32 tensor of a reference tensor. */
export const toTensor = (r: RefTensor) => tf.tensor(Float32Array.from(r.values), r.shape);

/** Reads a tensor (asynchronously: Node's WebGPU has no synchronous reads) and disposes it. */
export async function readAndDispose(t: tf.Tensor): Promise<Float32Array> {
  const values = await t.data() as Float32Array;
  t.dispose();
  return values;
}

/**
 * Expects `actual` to match `expected` with `max|actual - expected| ≤ rtol · max(|expected|, floor)`: the
 * one tolerance rule of the suite (relative to the largest reference value).
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-5, floor = 1e-3) {
  expect(actual.length).withContext('length').toBe(expected.length);
  let scale = floor, worst = 0, at = -1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  expect(worst).withContext(`max error at ${at}: ${actual[at]} vs ${expected[at]} (scale ${scale})`)
      .toBeLessThanOrEqual(rtol * scale);
}

/** An increasing sequence of `n` positions in [0, 1] with uneven gaps, seeded. */
export function unevenPositions(n: number, seed: number): number[] {
  const gaps = randomRef([n], seed).values.map(v => 0.5 + Math.abs(v));
  const total = gaps.reduce((a, b) => a + b, 0) - gaps[0];
  const p: number[] = [];
  let acc = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) acc += gaps[i];
    p.push(n === 1 ? 0.4 : acc / total);
  }
  return p.map(v => Math.fround(v));
}

/**
 * Runs `fn` inside an engine scope that frees every tensor created meanwhile: for specs that exercise tfjs paths
 * known to leave tensors behind (constraints re-applied on load, a failed load), so the leak check stays about
 * this package. Specs run one at a time, so the async scope is safe.
 */
export async function inEngineScope(fn: () => Promise<void>) {
  tf.engine().startScope();
  try {
    await fn();
  } finally {
    tf.engine().endScope();
  }
}

/** Largest absolute difference between two arrays, relative to the largest magnitude of `b`. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return worst / scale;
}

/** An in-memory IOHandler pair: `save` keeps the artifacts, `load()` a handler that reads them back. */
export function memoryIO(): {save: tf.io.IOHandler, load: () => tf.io.IOHandler} {
  let saved: tf.io.ModelArtifacts|null = null;
  return {
    save: tf.io.withSaveHandler(async artifacts => {
      saved = artifacts;
      return {modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts)};
    }),
    load: () => tf.io.fromMemory(saved!),
  };
}

/** Normal equations (with a bias) of the rows `p` (`d` regressors each) and `z` (`k` targets each). */
export function equationsOf(p: Float32Array, z: Float32Array, d: number, k: number): NormalEquations {
  const rows = p.length / d;
  const eq = new NormalEquations(1, d, k, true);
  const pp = new Float32Array(d * d), pz = new Float32Array(d * k), ps = new Float32Array(d), zs = new Float32Array(k);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < d; i++) {
      ps[i] += p[r * d + i];
      for (let j = 0; j < d; j++) pp[i * d + j] += p[r * d + i] * p[r * d + j];
      for (let j = 0; j < k; j++) pz[i * k + j] += p[r * d + i] * z[r * k + j];
    }
    for (let j = 0; j < k; j++) zs[j] += z[r * k + j];
  }
  eq.add(pp, pz, ps, zs, rows);
  return eq;
}
