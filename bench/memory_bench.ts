/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {readFileSync} from 'node:fs';

import * as tf from '@tensorflow/tfjs-core';

import * as tfi from '../src/index';

/** Peak memory of one sampled weight, relative to its size. */
export interface WeightMemoryRow {
  backend: string;
  shape: string;
  outputMB: number;
  /** Growth of the process's peak resident memory (VmHWM) during the call, over the output's size. */
  peakOverOutput: number;
}

/** The process's peak resident memory so far (Linux `VmHWM`), in bytes. */
function peakResident(): number {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find(l => l.startsWith('VmHWM:'))!;
  return Number(line.split(/\s+/)[1]) * 1024;
}

/**
 * The peak memory of `integralWeight` sampling a 64 × 64 control grid at 4096 × 10240 (a 160 MiB weight) on the host
 * backend, run first in its process (the peak only grows).
 */
export async function benchWeightMemory(backend: string): Promise<WeightMemoryRow> {
  await tf.setBackend(backend);
  const controls = tf.randomNormal([64, 64]);
  await controls.data();
  const before = Math.max(process.memoryUsage().rss, peakResident());
  const w = tfi.integralWeight(controls, {inSize: 4096, outSize: 10240});
  await w.data();
  const grown = peakResident() - before;
  const bytes = w.size * 4;
  tf.dispose([controls, w]);
  return {backend, shape: '64x64 → 4096x10240', outputMB: bytes / 2 ** 20, peakOverOutput: grown / bytes};
}
