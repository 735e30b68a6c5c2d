/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// How calibrate, distill and searchWidths read unlabeled inputs: a tensor or a dataset, cut into batches.
import * as tf from '@tensorflow/tfjs-core';

import {forEachBatch} from '../../src/calibration/input_data';
import {describeWithBackends} from '../describe_with_backends';

describeWithBackends('forEachBatch', () => {
  const input = {shape: [2, 3], dtype: 'float32' as const};

  /** The batches `forEachBatch` hands out, read as numbers (each must still be alive when handed out). */
  async function batchesOf(data: tf.Tensor|tf.Tensor[], batchSize: number): Promise<number[][]> {
    const seen: number[][] = [];
    const dataset = Array.isArray(data) ?
        {iterator: async () => {
          let i = 0;
          return {next: async () => i < data.length ? {value: data[i++], done: false} : {value: undefined, done: true}};
        }} :
        data;
    const count = await forEachBatch(dataset, input, batchSize, 'test', async x => {
      expect(x.isDisposed).toBe(false);
      seen.push(Array.from(await x.data()));
    });
    expect(count).toBe(seen.reduce((n, b) => n + b.length / 6, 0));
    return seen;
  }

  it('cuts a tensor into batches of at most batchSize rows, in order, and disposes them', async () => {
    const x = tf.tensor3d(Float32Array.from({length: 10 * 6}, (_, i) => i * 0.5 - 7), [10, 2, 3]);
    const values = Array.from(await x.data());
    const before = tf.memory().numTensors;
    for (const batchSize of [3, 10, 16]) {
      const batches = await batchesOf(x, batchSize);
      expect(batches.map(b => b.length / 6)).toEqual(
          Array.from({length: Math.ceil(10 / batchSize)}, (_, i) => Math.min(batchSize, 10 - i * batchSize)));
      expect(batches.flat()).toEqual(values);
      expect(tf.memory().numTensors).toBe(before);
    }
    x.dispose();
  });

  it('reads a dataset of batches, and of single inputs, as the same tensor', async () => {
    const x = tf.tensor3d(Float32Array.from({length: 7 * 6}, (_, i) => Math.sin(i)), [7, 2, 3]);
    const expected = await batchesOf(x, 3);
    // Batches of 5 and 2 rows, re-cut into batches of at most 3: 3 + 2, then 2.
    const batches = [tf.slice(x, 0, 5), tf.slice(x, 5, 2)];
    const fromBatches = await batchesOf(batches, 3);
    expect(fromBatches.map(b => b.length / 6)).toEqual([3, 2, 2]);
    expect(fromBatches.flat()).toEqual(expected.flat());
    expect(batches.every(b => b.isDisposed)).toBe(true);
    const singles = tf.unstack(x);
    expect((await batchesOf(singles, 3)).flat()).toEqual(expected.flat());
    x.dispose();
  });
});
