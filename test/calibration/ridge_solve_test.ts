/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// The ridge solve of least squares (tiled Cholesky, substitutions) against Gaussian elimination written for the test.
import {ridgeSolve} from '../../src/calibration/ridge_solve';
import {mulberry32} from '../../src/util/random';

/** `A·X = B` by Gaussian elimination with partial pivoting (`A` `d × d`, `B` `d × k`, row-major, float64). */
function eliminationSolve(a: Float64Array, b: Float64Array, d: number, k: number): Float64Array {
  const m = Float64Array.from(a), x = Float64Array.from(b);
  for (let col = 0; col < d; col++) {
    let pivot = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(m[r * d + col]) > Math.abs(m[pivot * d + col])) pivot = r;
    for (let c = 0; c < d; c++) [m[col * d + c], m[pivot * d + c]] = [m[pivot * d + c], m[col * d + c]];
    for (let c = 0; c < k; c++) [x[col * k + c], x[pivot * k + c]] = [x[pivot * k + c], x[col * k + c]];
    for (let r = col + 1; r < d; r++) {
      const f = m[r * d + col] / m[col * d + col];
      for (let c = col; c < d; c++) m[r * d + c] -= f * m[col * d + c];
      for (let c = 0; c < k; c++) x[r * k + c] -= f * x[col * k + c];
    }
  }
  for (let r = d - 1; r >= 0; r--) {
    for (let c = 0; c < k; c++) {
      let s = x[r * k + c];
      for (let j = r + 1; j < d; j++) s -= m[r * d + j] * x[j * k + c];
      x[r * k + c] = s / m[r * d + r];
    }
  }
  return x;
}

/** The Gram matrix `PᵀP` of `rows` random rows of `d` columns, and `PᵀZ` for `k` random targets. */
function randomSystem(d: number, k: number, rows: number, seed: number) {
  const random = mulberry32(seed);
  const p = Float64Array.from({length: rows * d}, () => random() - 0.5);
  const z = Float64Array.from({length: rows * k}, () => random() - 0.5);
  const g = new Float64Array(d * d), c = new Float64Array(d * k);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) g[i * d + j] += p[r * d + i] * p[r * d + j];
      for (let j = 0; j < k; j++) c[i * k + j] += p[r * d + i] * z[r * k + j];
    }
  }
  return {g, c, prior: Float64Array.from({length: d * k}, () => random() - 0.5)};
}

describe('ridgeSolve', () => {
  it('solves (G + λD)W = C + λDW₀ as elimination does, for sizes around its tiles, with and without a free row', () => {
    for (const d of [1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 30]) {
      for (const [rows, ridge] of [[2 * d + 3, 1e-3], [Math.max(1, Math.floor(d / 2)), 1e-1]] as const) {
        const k = 1 + (d % 3);
        const {g, c, prior} = randomSystem(d, k, rows, d * 7 + rows);
        const free = d > 1 ? [d - 1] : [];
        let trace = 0;
        for (let i = 0; i < d - free.length; i++) trace += g[i * d + i];
        const lambda = ridge * (trace > 0 ? trace / (d - free.length) : 1);
        const a = Float64Array.from(g), rhs = Float64Array.from(c);
        for (let i = 0; i < d; i++) {
          const weight = free.includes(i) ? lambda * 1e-6 : lambda;
          a[i * d + i] += weight;
          for (let j = 0; j < k; j++) rhs[i * k + j] += weight * prior[i * k + j];
        }
        const expected = eliminationSolve(a, rhs, d, k);
        const got = ridgeSolve(g, c, d, k, ridge, free, prior);
        const scale = Math.max(...expected.map(Math.abs));
        got.forEach((v, i) => expect(Math.abs(v - expected[i]))
                                  .withContext(`d ${d}, rows ${rows}, entry ${i}`).toBeLessThan(1e-8 * scale));
      }
    }
  });

  it('adds a ridge of its own to a matrix that is singular with the one asked for', () => {
    // Columns 0 and 2 are equal (constant, both unpenalized) and the ridge asked for is 0: G + λD is singular.
    const d = 3, k = 1;
    const rows = [[1, 0.5, 1], [1, -0.2, 1], [1, 0.9, 1], [1, 0.1, 1]];
    const g = new Float64Array(d * d), c = new Float64Array(d);
    rows.forEach((r, n) => r.forEach((v, i) => {
      r.forEach((u, j) => g[i * d + j] += v * u);
      c[i] += v * (n - 1.5);
    }));
    const w = ridgeSolve(g, c, d, k, 0, [0, 2]);
    expect(w.every(Number.isFinite)).toBe(true);
    // The fit still predicts the targets' mean as its constant part.
    const predictions = rows.map(r => r.reduce((s, v, i) => s + v * w[i], 0));
    expect(predictions.reduce((s, v) => s + v, 0) / rows.length).toBeCloseTo(0, 6);
  });
});
