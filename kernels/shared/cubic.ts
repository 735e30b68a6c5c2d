/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * Keys cubic-convolution kernel with parameter `a` (docs/api.md §1). `K(0) = 1`, `K(±1) = K(±2) = 0`, so sampling at
 * a node returns the control value, and the four taps around any point sum to 1.
 */
export function cubicKernel(x: number, a: number): number {
  const s = Math.abs(x);
  if (s <= 1) return ((a + 2) * s - (a + 3)) * s * s + 1;
  if (s < 2) return ((a * s - 5 * a) * s + 8 * a) * s - 4 * a;
  return 0;
}

/** Derivative `K'(x)` of {@link cubicKernel}; odd in `x`, continuous. */
export function cubicKernelDerivative(x: number, a: number): number {
  const s = Math.abs(x);
  const sign = x < 0 ? -1 : 1;
  if (s <= 1) return sign * (3 * (a + 2) * s - 2 * (a + 3)) * s;
  if (s < 2) return sign * ((3 * a * s - 10 * a) * s + 8 * a);
  return 0;
}

/**
 * The four interpolation taps of each sample: for sample `j` at control-index coordinate `t_j`, tap `r`
 * reads node `clamp(floor(t_j) - 1 + r, 0, C - 1)` (border replicate) with weight `K(t_j - (floor(t_j) - 1 + r))`,
 * or `K'` of the same when `derivative` is set.
 */
export interface CubicTaps {
  /** `[n * 4]` node indices, already clamped. */
  index: Int32Array;
  /** `[n * 4]` weights. */
  weight: Float64Array;
}

/** Computes the {@link CubicTaps} of `coords` on a grid of `controlSize` nodes. */
export function cubicTaps(
    coords: ArrayLike<number>, controlSize: number, a: number, derivative = false): CubicTaps {
  const n = coords.length;
  const index = new Int32Array(n * 4);
  const weight = new Float64Array(n * 4);
  const k = derivative ? cubicKernelDerivative : cubicKernel;
  for (let j = 0; j < n; j++) {
    const t = coords[j];
    const base = Math.floor(t) - 1;
    for (let r = 0; r < 4; r++) {
      const node = base + r;
      index[j * 4 + r] = node < 0 ? 0 : node > controlSize - 1 ? controlSize - 1 : node;
      weight[j * 4 + r] = k(t - node, a);
    }
  }
  return {index, weight};
}

/** Name of the shader function (WGSL and GLSL alike) for `K` (`cubicValue`) or `K'` (`cubicSlope`). */
export const cubicFn = (derivative: boolean) => derivative ? 'cubicSlope' : 'cubicValue';
