/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

/** `[K, k]` 0/1 matrix placing tap `i` of a `k`-tap kernel at row `i·d` of its dilated `K = (k-1)d+1` taps. */
function dilationMatrix(k: number, d: number): tf.Tensor2D {
  const big = (k - 1) * d + 1;
  const m = new Float32Array(big * k);
  for (let i = 0; i < k; i++) m[i * d * k + i] = 1;
  return tf.tensor2d(m, [big, k]);
}

/**
 * The filter `[kh, kw, ci, co]` with `d - 1` zeros between taps: convolving with it and dilation 1 equals
 * convolving with the original and dilation `d`. Built from matMul and transpose so that it runs, and
 * differentiates, on every backend. tfjs's conv gradients take no dilation, so the integral conv's gradient
 * goes through the dilated filter.
 */
export function dilateFilter(w: tf.Tensor4D, [dh, dw]: [number, number]): tf.Tensor4D {
  if (dh === 1 && dw === 1) return w;
  const [kh, kw, ci, co] = w.shape;
  const bh = (kh - 1) * dh + 1, bw = (kw - 1) * dw + 1;
  const rows = tf.matMul(dilationMatrix(kh, dh), tf.reshape(w, [kh, kw * ci * co]));       // [bh, kw·ci·co]
  const swapped = tf.reshape(tf.transpose(tf.reshape(rows, [bh, kw, ci * co]), [1, 0, 2]), [kw, bh * ci * co]);
  const cols = tf.matMul(dilationMatrix(kw, dw), swapped);                                  // [bw, bh·ci·co]
  return tf.reshape(tf.transpose(tf.reshape(cols, [bw, bh, ci * co]), [1, 0, 2]), [bh, bw, ci, co]);
}

/** Adjoint of {@link dilateFilter}: keeps the taps at multiples of the dilation. */
export function undilateFilter(g: tf.Tensor4D, [dh, dw]: [number, number]): tf.Tensor4D {
  if (dh === 1 && dw === 1) return g;
  return tf.stridedSlice(g, [0, 0, 0, 0], g.shape, [dh, dw, 1, 1]) as tf.Tensor4D;
}
