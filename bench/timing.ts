/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Runs `fn`, waits for its outputs (an async read: the only sync point on every backend) and disposes them. */
async function runOnce(fn: () => tf.Tensor|tf.Tensor[]) {
  const out = tf.tidy(fn);
  const list = Array.isArray(out) ? out : [out];
  await Promise.all(list.map(t => t.data()));
  tf.dispose(list);
}

/** Mean milliseconds per call of `fn` over at least `minReps` calls and `minMs` milliseconds, after a warm-up. */
export async function timeIt(fn: () => tf.Tensor|tf.Tensor[], minReps: number, minMs: number): Promise<number> {
  await runOnce(fn);
  const start = performance.now();
  let reps = 0;
  while (reps < minReps || performance.now() - start < minMs) {
    await runOnce(fn);
    reps++;
  }
  return (performance.now() - start) / reps;
}

/**
 * Times `stock` and `candidate` in alternating rounds (so drifts in machine load hit both) and returns the median
 * of each; the ratio of medians is what the benchmark reports.
 */
export async function compare(stock: () => tf.Tensor|tf.Tensor[], candidate: () => tf.Tensor|tf.Tensor[],
                              rounds: number, minReps: number, minMs: number) {
  const a: number[] = [], b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    a.push(await timeIt(stock, minReps, minMs));
    b.push(await timeIt(candidate, minReps, minMs));
  }
  const median = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
  return {stockMs: median(a), integralMs: median(b), ratio: median(b) / median(a)};
}
