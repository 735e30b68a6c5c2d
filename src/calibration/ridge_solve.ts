/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * Solves `(G + λ·D)·W = C + λ·D·W₀` for `W` (`d × k`, row-major) in float64 by Cholesky: least squares with a
 * ridge that pulls `W` towards `prior` `W₀` (zero when absent) where the data leave it undetermined. `G` is the
 * symmetric `d × d` Gram matrix of the regressors, `C` their `d × k` cross products with the targets, `D` the
 * identity except on rows `unpenalized` (a bias row), and `λ = ridge · trace(G_penalized) / d_penalized` (relative
 * to the data's scale, so one `ridge` suits every layer). A matrix that is not positive definite even with the ridge
 * (a constant input column) gets a further `λ` on its diagonal until it is.
 */
export function ridgeSolve(g: Float64Array, c: Float64Array, d: number, k: number, ridge: number,
                           unpenalized: number[] = [], prior?: ArrayLike<number>): Float64Array {
  const free = new Set(unpenalized);
  let trace = 0, count = 0;
  for (let i = 0; i < d; i++) {
    if (free.has(i)) continue;
    trace += g[i * d + i];
    count++;
  }
  const scale = count > 0 && trace > 0 ? trace / count : 1;
  let lambda = ridge * scale;
  for (let attempt = 0; attempt < 8; attempt++) {
    const a = Float64Array.from(g);
    for (let i = 0; i < d; i++) a[i * d + i] += free.has(i) ? lambda * 1e-6 : lambda;
    if (!cholesky(a, d)) {
      lambda = Math.max(lambda * 10, 1e-12 * scale);
      continue;
    }
    const rhs = Float64Array.from(c);
    for (let i = 0; prior != null && i < d; i++) {
      const weight = free.has(i) ? lambda * 1e-6 : lambda;
      for (let j = 0; j < k; j++) rhs[i * k + j] += weight * prior[i * k + j];
    }
    return choleskySolve(a, rhs, d, k);
  }
  throw new Error('Error in calibrate: the least-squares system is singular (the inputs may hold NaN or Inf).');
}

/** Rows of the blocks {@link cholesky} factors together. */
const TILE = 4;

/**
 * In-place Cholesky factorization `A = L·Lᵀ` (lower triangle of `a`, row-major); false when `A` is not positive
 * definite. Left-looking over blocks of {@link TILE} rows: each tile of `L` left of a block's diagonal first takes
 * the products of the columns before it in one pass ({@link subtractTile}: each value loaded feeds four products),
 * then finishes its own columns; the diagonal tile comes last.
 */
function cholesky(a: Float64Array, d: number): boolean {
  for (let i0 = 0; i0 < d; i0 += TILE) {
    const rows = Math.min(TILE, d - i0);
    for (let j0 = 0; j0 < i0; j0 += TILE) {
      subtractTile(a, d, i0, rows, j0);
      for (let i = i0; i < i0 + rows; i++) {
        for (let j = j0; j < j0 + TILE; j++) a[i * d + j] = (a[i * d + j] - dot(a, i * d, j * d, j0, j)) / a[j * d + j];
      }
    }
    for (let i = i0; i < i0 + rows; i++) {
      for (let j = i0; j < i; j++) a[i * d + j] = (a[i * d + j] - dot(a, i * d, j * d, 0, j)) / a[j * d + j];
      const diag = a[i * d + i] - dot(a, i * d, i * d, 0, i);
      if (!(diag > 0)) return false;
      a[i * d + i] = Math.sqrt(diag);
    }
  }
  return true;
}

/** `Σ_{from ≤ p < to} a[ri + p] · a[rj + p]`. */
function dot(a: Float64Array, ri: number, rj: number, from: number, to: number): number {
  let s = 0;
  for (let p = from; p < to; p++) s += a[ri + p] * a[rj + p];
  return s;
}

/**
 * Subtracts from the tile at rows `i0…` (`rows` of them), columns `j0 … j0+3` the products of their rows over the
 * columns before `j0`: sixteen running sums for a full tile, plain dot products for the last, shorter block.
 */
function subtractTile(a: Float64Array, d: number, i0: number, rows: number, j0: number) {
  if (rows < TILE) {
    for (let i = i0; i < i0 + rows; i++) {
      for (let j = j0; j < j0 + TILE; j++) a[i * d + j] -= dot(a, i * d, j * d, 0, j0);
    }
    return;
  }
  const r0 = i0 * d, r1 = r0 + d, r2 = r1 + d, r3 = r2 + d;
  const q0 = j0 * d, q1 = q0 + d, q2 = q1 + d, q3 = q2 + d;
  let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
  let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
  for (let p = 0; p < j0; p++) {
    const a0 = a[r0 + p], a1 = a[r1 + p], a2 = a[r2 + p], a3 = a[r3 + p];
    const b0 = a[q0 + p], b1 = a[q1 + p], b2 = a[q2 + p], b3 = a[q3 + p];
    s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
    s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
    s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
    s30 += a3 * b0; s31 += a3 * b1; s32 += a3 * b2; s33 += a3 * b3;
  }
  a[r0 + j0] -= s00; a[r0 + j0 + 1] -= s01; a[r0 + j0 + 2] -= s02; a[r0 + j0 + 3] -= s03;
  a[r1 + j0] -= s10; a[r1 + j0 + 1] -= s11; a[r1 + j0 + 2] -= s12; a[r1 + j0 + 3] -= s13;
  a[r2 + j0] -= s20; a[r2 + j0 + 1] -= s21; a[r2 + j0 + 2] -= s22; a[r2 + j0 + 3] -= s23;
  a[r3 + j0] -= s30; a[r3 + j0 + 1] -= s31; a[r3 + j0 + 2] -= s32; a[r3 + j0 + 3] -= s33;
}

/**
 * `L·Lᵀ·X = C` by forward and back substitution, `L` the lower triangle of `l`; both passes read `L` by rows (the
 * back substitution subtracts each solved row from those above it).
 */
function choleskySolve(l: Float64Array, c: Float64Array, d: number, k: number): Float64Array {
  const x = Float64Array.from(c);
  for (let i = 0; i < d; i++) {
    for (let p = 0; p < i; p++) {
      const lip = l[i * d + p];
      if (lip !== 0) for (let col = 0; col < k; col++) x[i * k + col] -= lip * x[p * k + col];
    }
    for (let col = 0; col < k; col++) x[i * k + col] /= l[i * d + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    for (let col = 0; col < k; col++) x[i * k + col] /= l[i * d + i];
    for (let p = 0; p < i; p++) {
      const lip = l[i * d + p];
      if (lip !== 0) for (let col = 0; col < k; col++) x[p * k + col] -= lip * x[i * k + col];
    }
  }
  return x;
}
