/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {valuesOnHost} from '../util/host_backend';

/** Zeros before and after along the height and the width (negative: crop). */
export interface Pads {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** tfjs's padding of a convolution along one axis: `same` centres the window (the extra zero after), `valid` none. */
export function convPads(length: number, kernel: number, stride: number, dilation: number, padding: string):
    [number, number] {
  if (padding !== 'same') return [0, 0];
  const extent = (kernel - 1) * dilation + 1;
  const total = Math.max((Math.ceil(length / stride) - 1) * stride + extent - length, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** `x` padded with zeros (or cropped, for negative amounts) along its height and width. */
function padOrCrop(x: tf.Tensor4D, p: Pads): tf.Tensor4D {
  const crop = [Math.max(-p.top, 0), Math.max(-p.bottom, 0), Math.max(-p.left, 0), Math.max(-p.right, 0)];
  const [, h, w, c] = x.shape;
  const cropped = crop.some(v => v > 0) ?
      tf.slice(x, [0, crop[0], crop[2], 0], [-1, h - crop[0] - crop[1], w - crop[2] - crop[3], c]) :
      x;
  const pad = [Math.max(p.top, 0), Math.max(p.bottom, 0), Math.max(p.left, 0), Math.max(p.right, 0)];
  return pad.some(v => v > 0) ? tf.pad(cropped, [[0, 0], [pad[0], pad[1]], [pad[2], pad[3]], [0, 0]]) : cropped;
}

/** Every `steps`-th output position along the height and the width, from `offset`: a regular sample of them. */
export interface OutputLattice {
  steps: [number, number];
  offset: [number, number];
}

/**
 * The output positions of an unfolding to keep, given their grid `[b, oh, ow]`: a lattice, or null for all of them.
 * The same grid must give the same lattice (the narrow and the full network's unfoldings of a batch are paired).
 */
export type RowSelection = (outputs: [number, number, number]) => OutputLattice|null;

/** The output positions an unfolding keeps, and where each of its taps starts reading (in padded coordinates). */
interface Unfolding {
  batch: number;
  rows: number;
  cols: number;
  /** Input steps between neighbouring kept positions: the strides times the lattice's steps. */
  steps: [number, number];
  /** The first input position (row, column) each tap reads, in the kernel's `[kh, kw]` order. */
  origins: Array<[number, number]>;
}

function unfoldingOf(x: tf.Tensor4D, [kh, kw]: number[], strides: number[], dilations: number[], pads: Pads,
                     keep?: RowSelection): Unfolding {
  const [b, h, w] = [x.shape[0], x.shape[1] + pads.top + pads.bottom, x.shape[2] + pads.left + pads.right];
  const oh = Math.floor((h - (kh - 1) * dilations[0] - 1) / strides[0]) + 1;
  const ow = Math.floor((w - (kw - 1) * dilations[1] - 1) / strides[1]) + 1;
  const {steps, offset} = keep?.([b, oh, ow]) ?? {steps: [1, 1], offset: [0, 0]};
  const origins: Array<[number, number]> = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      origins.push([offset[0] * strides[0] + i * dilations[0], offset[1] * strides[1] + j * dilations[1]]);
    }
  }
  return {batch: b, rows: Math.ceil((oh - offset[0]) / steps[0]), cols: Math.ceil((ow - offset[1]) / steps[1]),
          steps: [steps[0] * strides[0], steps[1] * strides[1]], origins};
}

/** True when an unfolding has one tap that reads every position of `x` once, in order: `x` itself. */
function readsEverything(x: tf.Tensor4D, u: Unfolding, pads: Pads): boolean {
  return u.origins.length === 1 && u.origins[0][0] === pads.top && u.origins[0][1] === pads.left && u.steps[0] === 1 &&
         u.steps[1] === 1 && u.rows === x.shape[1] && u.cols === x.shape[2];
}

/**
 * The taps of an unfolding read from `x`'s `values` on the host, zeros outside it: `[rows, taps·c]` (a row's taps side
 * by side) when `sideBySide`, else `[taps, rows, c]`. One pass over the positions kept, nothing else copied.
 */
function hostTaps(x: tf.Tensor4D, values: tf.TypedArray, u: Unfolding, pads: Pads, sideBySide: boolean):
    tf.TypedArray {
  const [, h, w, c] = x.shape;
  const taps = u.origins.length, positions = u.batch * u.rows * u.cols;
  const out = new (values.constructor as new (n: number) => tf.TypedArray)(positions * taps * c);
  u.origins.forEach(([top, left], t) => {
    for (let n = 0; n < u.batch; n++) {
      for (let r = 0; r < u.rows; r++) {
        const y = top + r * u.steps[0] - pads.top;
        if (y < 0 || y >= h) continue;
        for (let q = 0; q < u.cols; q++) {
          const x0 = left + q * u.steps[1] - pads.left;
          if (x0 < 0 || x0 >= w) continue;
          const row = (n * u.rows + r) * u.cols + q;
          const to = sideBySide ? (row * taps + t) * c : (t * positions + row) * c;
          const from = ((n * h + y) * w + x0) * c;
          out.set(values.subarray(from, from + c), to);
        }
      }
    }
  });
  return out;
}

/**
 * The inputs each tap of a correlation with a `kh × kw` window reads, in the kernel's `[kh, kw]` order: `kh·kw`
 * tensors `[rows, c]`, a row per output position (batch, then height, then width): all `b·oh·ow` of them, or those of
 * the lattice `keep` selects (strided views: a lattice step multiplies the strides, its offset shifts the taps).
 * The taps are read on the host where `x`'s values are there ({@link valuesOnHost}); elsewhere they are cut out
 * with reshapes and slices.
 */
export function unfoldTaps(x: tf.Tensor4D, kernel: number[], strides: number[], dilations: number[], pads: Pads,
                           keep?: RowSelection): tf.Tensor2D[] {
  const u = unfoldingOf(x, kernel, strides, dilations, pads, keep);
  const c = x.shape[3], positions = u.batch * u.rows * u.cols;
  if (readsEverything(x, u, pads)) return [tf.reshape(x, [positions, c])];
  const host = valuesOnHost(x);
  if (host != null) {
    const values = hostTaps(x, host, u, pads, false);
    return u.origins.map((_, t) => tf.tensor2d(values.subarray(t * positions * c, (t + 1) * positions * c),
                                               [positions, c], x.dtype));
  }
  return tf.tidy(() => {
    const [h, w] = [x.shape[1] + pads.top + pads.bottom, x.shape[2] + pads.left + pads.right];
    const [sh, sw] = u.steps;
    // Padded to whole strides at the bottom and the right, in the same copy, for the stride phases.
    const padded = padOrCrop(x, {...pads, bottom: pads.bottom + Math.ceil(h / sh) * sh - h,
                                 right: pads.right + Math.ceil(w / sw) * sw - w});
    const rowsRead = u.origins.map(([y]) => y % sh);
    const phase = stridePhases(padded, [sh, sw], [Math.min(...rowsRead), Math.max(...rowsRead)]);
    return u.origins.map(([y, x0]) => {
      const tap = tf.slice(phase(y % sh, x0 % sw), [0, Math.floor(y / sh), Math.floor(x0 / sw), 0],
                           [u.batch, u.rows, u.cols, c]);
      return tf.reshape(tap, [positions, c]);
    });
  });
}

/**
 * The sub-grids of `x` (its height and width whole multiples of the strides `[sh, sw]`): `(r, q)` gives the pixels
 * at rows `r, r + sh, …` and columns `q, q + sw, …` for `r` in `[first, last]` (made once each, by reshapes and
 * plain slices, which the GPU backends copy faster than a strided slice). With strides of 1, `x` itself.
 */
function stridePhases(x: tf.Tensor4D, [sh, sw]: number[], [first, last]: [number, number]):
    (r: number, q: number) => tf.Tensor4D {
  if (sh === 1 && sw === 1) return () => x;
  const [b, h, w, c] = x.shape;
  const [hh, ww] = [h / sh, w / sw];
  // Two-dimensional slices, the band of the rows read cut first: a slice reads only the part it keeps.
  const rowLength = ww * sw * c;
  const all = tf.reshape(x, [b * hh, sh * rowLength]);
  const bandRows = last - first + 1;
  const band = bandRows === sh ? all : tf.slice(all, [0, first * rowLength], [b * hh, bandRows * rowLength]);
  const madeRows = new Map<number, tf.Tensor>();
  const made = new Map<string, tf.Tensor4D>();
  return (r, q) => {
    const key = `${r},${q}`;
    if (!made.has(key)) {
      if (!madeRows.has(r)) {
        const row = first === last ? band : tf.slice(band, [0, (r - first) * rowLength], [b * hh, rowLength]);
        madeRows.set(r, tf.reshape(row, [b * hh * ww, sw * c]));
      }
      made.set(key, tf.reshape(tf.slice(madeRows.get(r)!, [0, q * c], [b * hh * ww, c]), [b, hh, ww, c]));
    }
    return made.get(key)!;
  };
}

/**
 * The patches a correlation with a `kh × kw` window reads: `[b·oh·ow, kh·kw·c]` (or the rows `keep` selects),
 * columns in the kernel's `[kh, kw, c]` order, so that `patches · reshape(W, [kh·kw·c, C_out])` is the convolution
 * (im2col).
 */
export function unfold(x: tf.Tensor4D, kernel: number[], strides: number[], dilations: number[], pads: Pads,
                       keep?: RowSelection): tf.Tensor2D {
  const u = unfoldingOf(x, kernel, strides, dilations, pads, keep);
  if (readsEverything(x, u, pads)) return tf.reshape(x, [-1, x.shape[3]]);
  const host = valuesOnHost(x);
  if (host != null) {
    return tf.tensor2d(hostTaps(x, host, u, pads, true), [u.batch * u.rows * u.cols, u.origins.length * x.shape[3]],
                       x.dtype);
  }
  return tf.tidy(() => {
    const taps = unfoldTaps(x, kernel, strides, dilations, pads, keep);
    return taps.length === 1 ? taps[0] : tf.concat(taps, 1);
  });
}

/**
 * `x` with `s - 1` zeros between neighbouring pixels along each axis (the input of a transposed convolution), one
 * axis at a time with rank-4 tensors (WebGPU's pad programs take at most rank 4).
 */
export function spreadPixels(x: tf.Tensor4D, [sh, sw]: number[]): tf.Tensor4D {
  if (sh === 1 && sw === 1) return x;
  return tf.tidy(() => {
    const [b, h, w, c] = x.shape;
    const rows = tf.reshape(tf.pad(tf.reshape(x, [b, h, 1, w * c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0]]), [b, h * sh, w, c]);
    const tall = tf.slice(rows, 0, [b, (h - 1) * sh + 1, w, c]);
    const height = (h - 1) * sh + 1;
    const cols = tf.reshape(tf.pad(tf.reshape(tall, [b * height, w, 1, c]), [[0, 0], [0, 0], [0, sw - 1], [0, 0]]),
                            [b, height, w * sw, c]);
    return tf.slice(cols, 0, [b, height, (w - 1) * sw + 1, c]) as tf.Tensor4D;
  });
}
