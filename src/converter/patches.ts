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

/**
 * The inputs each tap of a correlation with a `kh × kw` window reads, in the kernel's `[kh, kw]` order: `kh·kw`
 * tensors `[b, oh, ow, c]` (strided views of the padded input).
 */
export function unfoldTaps(x: tf.Tensor4D, [kh, kw]: number[], strides: number[], dilations: number[], pads: Pads):
    tf.Tensor4D[] {
  return tf.tidy(() => {
    const padded = padOrCrop(x, pads);
    const [b, h, w, c] = padded.shape;
    const oh = Math.floor((h - (kh - 1) * dilations[0] - 1) / strides[0]) + 1;
    const ow = Math.floor((w - (kw - 1) * dilations[1] - 1) / strides[1]) + 1;
    const phase = stridePhases(padded, strides);
    const taps: tf.Tensor4D[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const [y, x0] = [i * dilations[0], j * dilations[1]];
        taps.push(tf.slice(phase(y % strides[0], x0 % strides[1]),
                           [0, Math.floor(y / strides[0]), Math.floor(x0 / strides[1]), 0], [b, oh, ow, c]));
      }
    }
    return taps;
  });
}

/**
 * The sub-grids of `x` for strides `[sh, sw]`: `(r, q)` gives the pixels at rows `r, r + sh, …` and columns
 * `q, q + sw, …` (made once each, by reshapes and plain slices, which every backend copies faster than a strided
 * slice). With strides of 1, `x` itself.
 */
function stridePhases(x: tf.Tensor4D, [sh, sw]: number[]): (r: number, q: number) => tf.Tensor4D {
  if (sh === 1 && sw === 1) return () => x;
  const [b, h, w, c] = x.shape;
  const [hh, ww] = [Math.ceil(h / sh), Math.ceil(w / sw)];
  const even = hh * sh === h && ww * sw === w ? x : tf.pad(x, [[0, 0], [0, hh * sh - h], [0, ww * sw - w], [0, 0]]);
  const rows = tf.reshape(even, [b * hh, sh, ww * sw * c]);
  const made = new Map<string, tf.Tensor4D>();
  return (r, q) => {
    const key = `${r},${q}`;
    if (!made.has(key)) {
      const row = tf.reshape(tf.slice(rows, [0, r, 0], [b * hh, 1, ww * sw * c]), [b * hh * ww, sw, c]);
      made.set(key, tf.reshape(tf.slice(row, [0, q, 0], [b * hh * ww, 1, c]), [b, hh, ww, c]));
    }
    return made.get(key)!;
  };
}

/**
 * The patches a correlation with a `kh × kw` window reads: `[b·oh·ow, kh·kw·c]`, columns in the kernel's
 * `[kh, kw, c]` order, so that `patches · reshape(W, [kh·kw·c, C_out])` is the convolution (im2col).
 */
export function unfold(x: tf.Tensor4D, kernel: number[], strides: number[], dilations: number[], pads: Pads):
    tf.Tensor2D {
  return tf.tidy(() => {
    const taps = unfoldTaps(x, kernel, strides, dilations, pads);
    const [b, oh, ow, c] = taps[0].shape;
    return tf.reshape(taps.length === 1 ? taps[0] : tf.concat(taps, 3), [b * oh * ow, taps.length * c]);
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
