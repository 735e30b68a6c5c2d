/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// Unlabeled inputs, as calibrate, distill and searchWidths read them: a tensor or a tf.data.Dataset, in batches.
import * as tf from '@tensorflow/tfjs-core';

import {assertArg, describeValue} from '../util/errors';
import {hostValues, onHostBackend, tensorOfHostValues} from '../util/host_backend';

/**
 * What the package reads of a `tf.data.Dataset` (of inputs, or of input batches as `dataset.batch(n)` makes them):
 * its iterator. Declared here so that `@tensorflow/tfjs-data` need not be installed.
 */
export interface InputDataset {
  /** A fresh iterator over its elements, as `tf.data.Dataset.iterator()` gives. */
  iterator(): Promise<{
    /** The next element (`done` once the dataset is exhausted). */
    next(): Promise<IteratorResult<tf.TensorContainer>>
  }>;
}

/** Unlabeled inputs: a tensor `[N, ...input shape]`, or a `tf.data.Dataset` of inputs or of input batches. */
export type InputData = tf.Tensor|InputDataset;

/** The model input the data must fit: its shape without the batch axis (`null`: any size) and dtype. */
export interface InputSpec {
  /** The input's shape without the batch axis; `null` where any size fits. */
  shape: Array<number|null>;
  /** The input's dtype. */
  dtype: tf.DataType;
}

/** Checks the argument `x` of `op` before anything is read: a Tensor fitting `input`, or something with an iterator. */
export async function checkInputData(x: unknown, input: InputSpec, op: string, arg = 'x'): Promise<void> {
  if (x instanceof tf.Tensor) return checkBatch(x, input, op, arg);
  assertArg(x != null && typeof (x as InputDataset).iterator === 'function', op, arg,
            'a Tensor or a tf.data.Dataset of tensors', describeValue(x));
}

/** Checks one batch of inputs against the model's input, naming `op` and the argument. */
export async function checkBatch(x: unknown, input: InputSpec, op: string, arg = 'x') {
  assertArg(x instanceof tf.Tensor, op, arg, 'a Tensor or a tf.data.Dataset of tensors', x);
  assertArg(!x.isDisposed, op, arg, 'a tensor that is not disposed', 'a disposed tensor');
  const expected = input.shape;
  const matches = x.rank === expected.length + 1 && expected.every((d, i) => d == null || d === x.shape[i + 1]);
  assertArg(matches, op, arg, `of shape [N, ${expected.map(d => d ?? 'any').join(', ')}] (the model's input)`, x);
  assertArg(x.shape[0] > 0, op, arg, 'non-empty', x);
  assertArg(x.dtype === input.dtype, op, arg, `of dtype ${input.dtype} (the model's input)`, x);
  if (x.dtype === 'float32') {
    const finite = tf.tidy(() => tf.all(tf.isFinite(x)));
    const ok = (await finite.data())[0] === 1;
    finite.dispose();
    assertArg(ok, op, arg, 'finite (no NaN or Inf)', x);
  }
}

/**
 * Calls `fn` on slices of at most `batchSize` rows of `data`, each disposed after it. Where tensors live on the host,
 * `data` is read once and each slice made from a view of it (wasm's slice would copy all of `data` for each one).
 */
async function forEachSlice(data: tf.Tensor, batchSize: number, fn: (x: tf.Tensor) => Promise<void>) {
  const [rows, shape] = [data.shape[0], data.shape.slice(1)];
  const host = onHostBackend() && rows > batchSize && data.dtype !== 'string' ? hostValues(data) : null;
  const rowSize = data.size / rows;
  for (let start = 0; start < rows; start += batchSize) {
    const n = Math.min(batchSize, rows - start);
    const x = host == null ? tf.slice(data, start, n) :
                             tensorOfHostValues(host.subarray(start * rowSize, (start + n) * rowSize) as tf.TypedArray,
                                                [n, ...shape], data.dtype);
    try {
      await fn(x);
    } finally {
      x.dispose();
    }
  }
}

/**
 * Calls `fn` on each batch of at most `batchSize` inputs of `data` (disposed after it), each checked against
 * `input`; a dataset's elements are disposed once read. Resolves to the number of inputs; an empty dataset is an
 * Error naming `op` and the argument.
 */
export async function forEachBatch(data: InputData, input: InputSpec, batchSize: number, op: string,
                                   fn: (x: tf.Tensor) => Promise<void>, arg = 'x'): Promise<number> {
  let count = 0;
  const counted = async (x: tf.Tensor) => {
    count += x.shape[0];
    await fn(x);
  };
  if (data instanceof tf.Tensor) {
    await forEachSlice(data, batchSize, counted);
    return count;
  }
  const iterator = await data.iterator();
  let single: tf.Tensor[] = [];
  const flush = async () => {
    if (single.length === 0) return;
    const x = tf.stack(single);
    tf.dispose(single);
    single = [];
    try {
      await checkBatch(x, input, op, arg);
      await counted(x);
    } finally {
      x.dispose();
    }
  };
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      const element = r.value;
      if (element instanceof tf.Tensor && !element.isDisposed && element.rank === input.shape.length) {
        single.push(element);  // one input, not a batch
        if (single.length === batchSize) await flush();
        continue;
      }
      try {
        await checkBatch(element, input, op, `${arg} (an element of the dataset)`);
        await forEachSlice(element as tf.Tensor, batchSize, counted);
      } finally {
        tf.dispose(element as tf.Tensor);
      }
    }
    await flush();
  } finally {
    tf.dispose(single);
  }
  assertArg(count > 0, op, arg, 'a non-empty dataset', 'a dataset without elements');
  return count;
}
