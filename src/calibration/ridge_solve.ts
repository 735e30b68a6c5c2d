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

/**
 * In-place Cholesky factorization `A = L·Lᵀ` (lower triangle of `a`); false when `A` is not positive definite. The
 * row dot products run four partial sums at once (independent additions the JIT can overlap).
 */
function cholesky(a: Float64Array, d: number): boolean {
  const dot = (ri: number, rj: number, n: number) => {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, p = 0;
    for (const end = n - (n % 4); p < end; p += 4) {
      s0 += a[ri + p] * a[rj + p];
      s1 += a[ri + p + 1] * a[rj + p + 1];
      s2 += a[ri + p + 2] * a[rj + p + 2];
      s3 += a[ri + p + 3] * a[rj + p + 3];
    }
    for (; p < n; p++) s0 += a[ri + p] * a[rj + p];
    return (s0 + s1) + (s2 + s3);
  };
  for (let j = 0; j < d; j++) {
    const rj = j * d;
    const diag = a[rj + j] - dot(rj, rj, j);
    if (!(diag > 0)) return false;
    const ljj = Math.sqrt(diag);
    a[rj + j] = ljj;
    for (let i = j + 1; i < d; i++) a[i * d + j] = (a[i * d + j] - dot(i * d, rj, j)) / ljj;
  }
  return true;
}

/** `L·Lᵀ·X = C` by forward and back substitution, `L` the lower triangle of `l`. */
function choleskySolve(l: Float64Array, c: Float64Array, d: number, k: number): Float64Array {
  const x = Float64Array.from(c);
  for (let i = 0; i < d; i++) {
    for (let p = 0; p < i; p++) {
      const lip = l[i * d + p];
      if (lip === 0) continue;
      for (let col = 0; col < k; col++) x[i * k + col] -= lip * x[p * k + col];
    }
    for (let col = 0; col < k; col++) x[i * k + col] /= l[i * d + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    for (let p = i + 1; p < d; p++) {
      const lpi = l[p * d + i];
      if (lpi === 0) continue;
      for (let col = 0; col < k; col++) x[i * k + col] -= lpi * x[p * k + col];
    }
    for (let col = 0; col < k; col++) x[i * k + col] /= l[i * d + i];
  }
  return x;
}
