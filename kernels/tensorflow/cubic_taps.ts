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

/** One tap of a cubic interpolation: for each coordinate, the control it reads and that control's weight. */
export interface CubicTap {
  index: tf.Tensor1D;
  weight: tf.Tensor1D;
}

/**
 * The four taps of cubic interpolation at coordinates `t ∈ [0, C-1]` (control units): nodes `⌊t⌋-1 … ⌊t⌋+2` with
 * weights `K(t - m)` (or `K'`), each node clamped onto `[0, C-1]` (the border taps folded onto the first and last
 * control). Sampling is then four gathers and its adjoint four scatters: O(n) work, where a dense `[n, C]`
 * interpolation matrix would take O(n·C) (a wide Dense after a Flatten has thousands of channels on both sides).
 */
export function cubicTaps(coords: tf.Tensor1D, controlSize: number, a: number, derivative: boolean): CubicTap[] {
  if (controlSize === 1) {
    const n = coords.shape[0];
    return [{index: tf.zeros([n], 'int32'), weight: derivative ? tf.zeros([n]) : tf.ones([n])}];
  }
  const base = tf.floor(coords);
  return [-1, 0, 1, 2].map(offset => {
    const node = tf.add(base, offset);
    return {index: tf.cast(tf.clipByValue(node, 0, controlSize - 1), 'int32') as tf.Tensor1D,
            weight: cubicKernelOps(tf.sub(coords, node), a, derivative) as tf.Tensor1D};
  });
}

/** The weights of a tap shaped to scale axis `axis` of a rank-3 tensor. */
function along(weight: tf.Tensor1D, axis: 1|2): tf.Tensor3D {
  return tf.reshape(weight, axis === 1 ? [1, -1, 1] : [1, 1, -1]);
}

/** `m [S, C, X]` (axis 1) or `[S, X, C]` (axis 2) sampled along `axis` by `taps`: `[S, n, X]` or `[S, X, n]`. */
export function sampledAlong(m: tf.Tensor3D, taps: CubicTap[], axis: 1|2): tf.Tensor3D {
  return tf.addN(taps.map(({index, weight}) => tf.mul(tf.gather(m, index, axis), along(weight, axis)))) as tf.Tensor3D;
}

/**
 * The adjoint of {@link sampledAlong}: `g [S, n, X]` (axis 1) or `[S, X, n]` (axis 2) spread back onto `controlSize`
 * controls, each sample's value added to the controls its taps read (one `scatterND`, which sums repeated indices).
 */
export function scatteredAlong(g: tf.Tensor3D, taps: CubicTap[], controlSize: number, axis: 1|2): tf.Tensor3D {
  const perm = axis === 1 ? [1, 0, 2] : [2, 0, 1];
  const first = tf.transpose(g, perm);  // the sampled axis first: [n, S, X]
  const updates = tf.concat(taps.map(({weight}) => tf.mul(first, tf.reshape(weight, [-1, 1, 1]))));
  const indices = tf.reshape(tf.concat(taps.map(t => t.index)), [-1, 1]);
  const spread = tf.scatterND(indices, updates, [controlSize, ...first.shape.slice(1)]);
  return tf.transpose(spread, axis === 1 ? [1, 0, 2] : [1, 2, 0]) as tf.Tensor3D;
}
