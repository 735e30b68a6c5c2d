/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */

/** A seeded generator of uniform numbers in [0, 1) (mulberry32): the same seed gives the same sequence. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fixed (seeded by its shape) Gaussian `[size, m]` projection, row-major, scaled by `1 / √m` (`E[RRᵀ] = I`). */
export function gaussianProjection(size: number, m: number): Float32Array {
  const random = mulberry32(size * 7919 + m);
  const values = new Float32Array(size * m);
  for (let i = 0; i < values.length; i += 2) {
    // Box–Muller: two normal draws from two uniform ones.
    const r = Math.sqrt(-2 * Math.log(1 - random())), angle = 2 * Math.PI * random();
    values[i] = r * Math.cos(angle) / Math.sqrt(m);
    if (i + 1 < values.length) values[i + 1] = r * Math.sin(angle) / Math.sqrt(m);
  }
  return values;
}

/** A seeded permutation of `0 … n-1`. */
export function shuffledOrder(n: number, seed: number): Int32Array {
  const random = mulberry32(seed);
  const order = Int32Array.from({length: n}, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
