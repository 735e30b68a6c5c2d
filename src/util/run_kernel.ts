/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

/** `engine().runKernel` with typed inputs and attributes: the one place that casts them to tfjs's maps. */
export function runKernel<T extends tf.Tensor|tf.Tensor[] = tf.Tensor>(kernelName: string, inputs: object, attrs: object): T {
  return tf.engine().runKernel(
      kernelName, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as T;
}
