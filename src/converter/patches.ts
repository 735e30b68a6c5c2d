/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

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

/**
 * The inputs each tap of a correlation with a `kh × kw` window reads, in the kernel's `[kh, kw]` order: `kh·kw`
 * tensors `[rows, c]`, a row per output position (batch, then height, then width): all `b·oh·ow` of them, or those of
 * the lattice `keep` selects (strided views: a lattice step multiplies the strides, its offset shifts the taps).
 */
export function unfoldTaps(x: tf.Tensor4D, [kh, kw]: number[], strides: number[], dilations: number[], pads: Pads,
                           keep?: RowSelection): tf.Tensor2D[] {
  return tf.tidy(() => {
    const [b, h, w, c] = [x.shape[0], x.shape[1] + pads.top + pads.bottom, x.shape[2] + pads.left + pads.right,
                          x.shape[3]];
    const oh = Math.floor((h - (kh - 1) * dilations[0] - 1) / strides[0]) + 1;
    const ow = Math.floor((w - (kw - 1) * dilations[1] - 1) / strides[1]) + 1;
    const {steps, offset} = keep?.([b, oh, ow]) ?? {steps: [1, 1], offset: [0, 0]};
    const [sh, sw] = [steps[0] * strides[0], steps[1] * strides[1]];
    const [rows, cols] = [Math.ceil((oh - offset[0]) / steps[0]), Math.ceil((ow - offset[1]) / steps[1])];
    // Padded to whole strides at the bottom and the right, in the same copy, for the stride phases.
    const padded = padOrCrop(x, {...pads, bottom: pads.bottom + Math.ceil(h / sh) * sh - h,
                                 right: pads.right + Math.ceil(w / sw) * sw - w});
    const rowsRead = Array.from({length: kh}, (_, i) => (offset[0] * strides[0] + i * dilations[0]) % sh);
    const phase = stridePhases(padded, [sh, sw], [Math.min(...rowsRead), Math.max(...rowsRead)]);
    const taps: tf.Tensor2D[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const [y, x0] = [offset[0] * strides[0] + i * dilations[0], offset[1] * strides[1] + j * dilations[1]];
        const tap = tf.slice(phase(y % sh, x0 % sw), [0, Math.floor(y / sh), Math.floor(x0 / sw), 0],
                             [b, rows, cols, c]);
        taps.push(tf.reshape(tap, [b * rows * cols, c]));
      }
    }
    return taps;
  });
}

/**
 * The sub-grids of `x` (its height and width whole multiples of the strides `[sh, sw]`): `(r, q)` gives the pixels
 * at rows `r, r + sh, …` and columns `q, q + sw, …` for `r` in `[first, last]` (made once each, by reshapes and
 * plain slices, which every backend copies faster than a strided slice). With strides of 1, `x` itself.
 */
function stridePhases(x: tf.Tensor4D, [sh, sw]: number[], [first, last]: [number, number]):
    (r: number, q: number) => tf.Tensor4D {
  if (sh === 1 && sw === 1) return () => x;
  const [b, h, w, c] = x.shape;
  const [hh, ww] = [h / sh, w / sw];
  // Two-dimensional slices: wasm copies them several times faster than the same slice of a rank-3 view. The band of
  // the rows read is cut first: wasm's slice copies its whole input before it keeps a part.
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
