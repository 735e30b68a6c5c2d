/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import * as tfi from '../src/index';
import {compare} from './timing';

/** One row of the benchmark table. */
export interface BenchRow {
  backend: string;
  op: string;
  shape: string;
  /** `full`: controls of the sampled size (n = C); `resampled`: controls 4/3 larger, sampled down to n. */
  width: 'full'|'resampled';
  pass: 'forward'|'forward+backward';
  stockMs: number;
  integralMs: number;
  ratio: number;
}

/** Timing effort per backend: SwiftShader's WebGPU runs on the CPU and is far slower than wasm. */
export interface Effort {
  rounds: number;
  minReps: number;
  minMs: number;
}

const grads = (f: (...args: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]) => () =>
    tf.grads((...args: tf.Tensor[]) => tf.sum(f(...args)))(inputs);

async function benchPair(
    backend: string, op: string, shape: string, width: BenchRow['width'], effort: Effort,
    stock: (x: tf.Tensor, w: tf.Tensor) => tf.Tensor, integral: (x: tf.Tensor, c: tf.Tensor) => tf.Tensor,
    x: tf.Tensor, w: tf.Tensor, controls: tf.Tensor): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const pass of ['forward', 'forward+backward'] as const) {
    const r = pass === 'forward' ?
        await compare(() => stock(x, w), () => integral(x, controls), effort.rounds, effort.minReps, effort.minMs) :
        await compare(grads(stock, [x, w]), grads(integral, [x, controls]), effort.rounds, effort.minReps, effort.minMs);
    rows.push({backend, op, shape, width, pass, ...r});
  }
  return rows;
}

/** integralMatMul vs tf.matMul with a weight of the sampled shape, at batch 32 and 128, 512² and 1024². */
export async function benchMatMul(backend: string, effort: Effort, sizes: number[], batches: number[]) {
  const rows: BenchRow[] = [];
  for (const n of sizes) {
    for (const batch of batches) {
      for (const width of ['full', 'resampled'] as const) {
        const c = width === 'full' ? n : Math.round(n * 4 / 3);
        const x = tf.randomNormal([batch, n], 0, 1, 'float32', 1);
        const w = tf.randomNormal([n, n], 0, 0.05, 'float32', 2);
        const controls = tf.randomNormal([c, c], 0, 0.05, 'float32', 3);
        rows.push(...await benchPair(
            backend, 'matMul', `${batch}x${n} · ${n}x${n}`, width, effort, (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
            (a, b) => tfi.integralMatMul(a as tf.Tensor2D, b as tf.Tensor2D, {outSize: n}), x, w, controls));
        tf.dispose([x, w, controls]);
      }
    }
  }
  return rows;
}

/** integralConv2d vs tf.conv2d: batch 16, 32×32×64 → 64, 3×3, same padding. */
export async function benchConv2d(backend: string, effort: Effort) {
  const rows: BenchRow[] = [];
  for (const width of ['full', 'resampled'] as const) {
    const c = width === 'full' ? 64 : 85;
    const x = tf.randomNormal([16, 32, 32, 64], 0, 1, 'float32', 1);
    const w = tf.randomNormal([3, 3, 64, 64], 0, 0.05, 'float32', 2);
    const controls = tf.randomNormal([3, 3, c, c], 0, 0.05, 'float32', 3);
    rows.push(...await benchPair(
        backend, 'conv2d', '16x32x32x64, 3x3x64x64', width, effort,
        (a, b) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'),
        (a, b) => tfi.integralConv2d(a as tf.Tensor4D, b as tf.Tensor4D, {outSize: 64, pad: 'same'}), x, w, controls));
    tf.dispose([x, w, controls]);
  }
  return rows;
}
