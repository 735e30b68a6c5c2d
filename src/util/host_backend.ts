/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

const HOST_BACKENDS = new Set(['cpu', 'wasm', 'tensorflow']);

/** True when the current backend keeps tensors in host memory, where `dataSync` costs at most one copy. */
export function onHostBackend(): boolean {
  return HOST_BACKENDS.has(tf.getBackend());
}

/** The host values tensors were made from, by their data (reshapes share it). */
const madeFrom = new WeakMap<object, tf.TypedArray>();

/** A tensor of host values that {@link hostValues} reads back without a copy (the values must not change). */
export function tensorOfHostValues(values: tf.TypedArray, shape: number[], dtype: tf.DataType): tf.Tensor {
  const t = tf.tensor(values, shape, dtype);
  madeFrom.set(t.dataId, values);
  return t;
}

/** The host values `x` was made from by {@link tensorOfHostValues}, if it was. */
export function valuesMadeFrom(x: tf.Tensor): tf.TypedArray|undefined {
  return madeFrom.get(x.dataId);
}

/** `x`'s values on the host: those it was made from by {@link tensorOfHostValues}, else read (`dataSync`). */
export function hostValues(x: tf.Tensor): tf.TypedArray {
  return valuesMadeFrom(x) ?? x.dataSync();
}

/**
 * `x`'s values where the host has them for at most a copy: those it was made from ({@link tensorOfHostValues}), a
 * view of the wasm heap (no copy: read it before the backend next allocates, which may move the heap), or read on
 * another host backend; else undefined (a GPU backend's tensor is not read back).
 */
export function valuesOnHost(x: tf.Tensor): tf.TypedArray|undefined {
  if (!onHostBackend()) return valuesMadeFrom(x);
  const heap = (tf.backend() as {typedArrayFromHeap?: (info: tf.TensorInfo) => tf.TypedArray}).typedArrayFromHeap;
  return valuesMadeFrom(x) ?? (tf.getBackend() === 'wasm' && heap != null ? heap.call(tf.backend(), x) : x.dataSync());
}
