/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * A copy of `x` with data of its own. Weights handed to stock layers or fused kernels go through it: on wasm a
 * reshaped tensor keeps its data's original shape, and wasm's fused kernels read that shape.
 */
export function freshCopy<T extends tf.Tensor>(x: T): T {
  return tf.clone(x);
}
