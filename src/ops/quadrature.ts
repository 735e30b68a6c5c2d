/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */

/** Quadrature rules on `[0, 1]` for the integrated (input-channel) axis (docs/api.md §1). */
export type QuadratureRule = 'trapezoid'|'simpson'|'riemann';

/** The supported rules, in documentation order. */
export const QUADRATURE_RULES: readonly QuadratureRule[] = ['trapezoid', 'simpson', 'riemann'];

/**
 * Weights `w_i` of `rule` on `n` uniform points of `[0, 1]` (they sum to 1), each multiplied by `scale`.
 * Multiplying the small rational coefficients by `scale / (n - 1)` keeps `n = C` with `scale = C - 1` exact.
 */
export function uniformQuadrature(rule: QuadratureRule, n: number, scale = 1): Float64Array {
  const w = new Float64Array(n);
  if (n === 1) {
    w[0] = scale;
    return w;
  }
  if (rule === 'riemann') return w.fill(scale / n);
  const h = scale / (n - 1);
  if (rule === 'trapezoid' || n === 2) {
    w.fill(h);
    w[0] = w[n - 1] = h / 2;
    return w;
  }
  // Composite Simpson on an even number of intervals; with an odd count, the last three take the 3/8 rule.
  const simpsonEnd = n % 2 === 1 ? n - 1 : n - 4;
  for (let i = 0; i <= simpsonEnd && simpsonEnd > 0; i++) {
    w[i] = (i === 0 || i === simpsonEnd ? 1 : i % 2 === 1 ? 4 : 2) * h / 3;
  }
  if (simpsonEnd < n - 1) {
    const threeEighths = [1, 3, 3, 1];
    for (let r = 0; r < 4; r++) w[simpsonEnd + r] += threeEighths[r] * 3 * h / 8;
  }
  return w;
}
