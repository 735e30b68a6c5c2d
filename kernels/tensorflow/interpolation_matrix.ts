/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

/** `K(x)` (or `K'(x)`) of the Keys cubic kernel, elementwise with standard ops (see `kernels/shared/cubic.ts`). */
function cubicKernelOps(x: tf.Tensor, a: number, derivative: boolean): tf.Tensor {
  const s = tf.abs(x);
  const s2 = tf.square(s);
  const inner = derivative ?
      tf.sub(tf.mul(3 * (a + 2), s2), tf.mul(2 * (a + 3), s)) :
      tf.add(tf.sub(tf.mul(a + 2, tf.mul(s2, s)), tf.mul(a + 3, s2)), 1);
  const outer = derivative ?
      tf.add(tf.sub(tf.mul(3 * a, s2), tf.mul(10 * a, s)), 8 * a) :
      tf.sub(tf.add(tf.sub(tf.mul(a, tf.mul(s2, s)), tf.mul(5 * a, s2)), tf.mul(8 * a, s)), 4 * a);
  const k = tf.where(tf.lessEqual(s, 1), inner, tf.where(tf.less(s, 2), outer, tf.zerosLike(s)));
  return derivative ? tf.mul(tf.sign(x), k) : k;
}

/** A `[1, size]` row with a single 1 at `index`. */
function unitRow(size: number, index: number): tf.Tensor2D {
  const values = new Float32Array(size);
  values[index] = 1;
  return tf.tensor2d(values, [1, size]);
}

/**
 * The dense `[n, C]` interpolation matrix `B` with `samples = B · controls`: `B[j, k] = Σ_{m: clamp(m) = k} K(t_j - m)`,
 * i.e. `K(t_j - k)` inside and the border taps folded onto the first and last node (`t ∈ [0, C-1]`).
 * Built with standard ops from coordinates that may live on any device.
 */
export function interpolationMatrix(coords: tf.Tensor1D, controlSize: number, a: number, derivative: boolean):
    tf.Tensor2D {
  return tf.tidy(() => {
    const n = coords.shape[0];
    if (controlSize === 1) return derivative ? tf.zeros([n, 1]) : tf.ones([n, 1]);
    const t = tf.reshape(coords, [n, 1]);
    const nodes = tf.reshape(tf.range(0, controlSize, 1, 'float32'), [1, controlSize]);
    const dense = cubicKernelOps(tf.sub(t, nodes), a, derivative);
    const first = unitRow(controlSize, 0);
    const last = unitRow(controlSize, controlSize - 1);
    const belowFirst = tf.mul(cubicKernelOps(tf.add(t, 1), a, derivative), first);
    const beyondLast = tf.mul(cubicKernelOps(tf.sub(t, controlSize), a, derivative), last);
    return tf.add(tf.add(dense, belowFirst), beyondLast) as tf.Tensor2D;
  });
}
