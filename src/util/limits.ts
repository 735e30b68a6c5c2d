/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// Bounds checked before anything is allocated, so that a typo or a hostile file fails with an Error, not by
// exhausting memory.

/** The most elements one sampled weight may have (2^28 float32 values: 1 GiB). */
export const MAX_SAMPLED_ELEMENTS = 2 ** 28;

/** The most channels one axis may be sampled at. */
export const MAX_CHANNELS = 2 ** 20;

/** How far a channel group may be up-sampled: at most this many times its original width. */
export const MAX_UPSAMPLING = 16;

/**
 * The Keys parameters accepted (`cubicA`): the interpolating kernels of Keys' family, from −0.5 (third order) and
 * −0.75 (bicubic `grid_sample`) to sharper ones; beyond, the kernel's lobes outgrow its centre and huge values
 * overflow float32 arithmetic.
 */
export const CUBIC_A_RANGE: readonly [number, number] = [-2, 0];
