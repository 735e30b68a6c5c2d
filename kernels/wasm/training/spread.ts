/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * `g [B, h, w, C]` with `sh - 1` zero rows and `sw - 1` zero columns inserted between its entries:
 * `[B, (h-1)·sh + 1, (w-1)·sw + 1, C]`, the adjoint of a strided read.
 */
export function spreadByStrides(g: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return g;
  const [n, h, w, c] = g.shape;
  const cells = tf.pad(tf.reshape(g, [n, h, 1, w, 1, c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  return tf.slice(tf.reshape(cells, [n, h * sh, w * sw, c]), 0, [n, (h - 1) * sh + 1, (w - 1) * sw + 1, c]) as
      tf.Tensor4D;
}
