/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {ridgeSolve} from './ridge_solve';

/**
 * The normal equations of `groups` independent least-squares problems, `d` regressors (+ a bias) and `k` targets,
 * accumulated batch by batch in float64: `[P 1]ᵀ[P 1]` and `[P 1]ᵀZ` per group.
 */
export class NormalEquations {
  readonly size: number;
  readonly gram: Float64Array;
  readonly cross: Float64Array;

  /** `gram`: the Gram matrices of equations on the same rows (shared, not copied), or none yet. */
  constructor(readonly groups: number, readonly d: number, readonly k: number, readonly bias: boolean,
              gram?: Float64Array) {
    this.size = d + (bias ? 1 : 0);
    this.gram = gram ?? new Float64Array(groups * this.size * this.size);
    this.cross = new Float64Array(groups * this.size * k);
  }

  /** Adds one batch: `PᵀP`, `PᵀZ` per group (float32, read back), column sums of `P` and `Z`, and the row count. */
  add(pp: Float32Array, pz: Float32Array, ps: Float32Array, zs: Float32Array, rows: number) {
    const {d, k, size} = this;
    for (let g = 0; g < this.groups; g++) {
      const gram = g * size * size, cross = g * size * k;
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) this.gram[gram + i * size + j] += pp[(g * d + i) * d + j];
        for (let j = 0; j < k; j++) this.cross[cross + i * k + j] += pz[(g * d + i) * k + j];
      }
      if (!this.bias) continue;
      for (let i = 0; i < d; i++) {
        this.gram[gram + d * size + i] += ps[g * d + i];
        this.gram[gram + i * size + d] += ps[g * d + i];
      }
      this.gram[gram + d * size + d] += rows;
      for (let j = 0; j < k; j++) this.cross[cross + d * k + j] += zs[g * k + j];
    }
  }

  /** The sum of these equations and `other`'s (the same problem on more rows). */
  plus(other: NormalEquations): NormalEquations {
    const sum = new NormalEquations(this.groups, this.d, this.k, this.bias);
    for (let i = 0; i < sum.gram.length; i++) sum.gram[i] = this.gram[i] + other.gram[i];
    for (let i = 0; i < sum.cross.length; i++) sum.cross[i] = this.cross[i] + other.cross[i];
    return sum;
  }

  /** The same equations for the targets projected by `r` (`[k, m]`, row-major): `ZR` in place of `Z`. */
  projected(r: Float32Array, m: number): NormalEquations {
    const out = new NormalEquations(this.groups, this.d, m, this.bias, this.gram);
    out.cross.set(projectedColumns(this.cross, this.k, r, m));
    return out;
  }

  /**
   * The same equations on the regressors `kept` only (indices below `d`, increasing; the bias stays): the least
   * squares of the targets on those columns of `P`.
   */
  restricted(kept: number[]): NormalEquations {
    const {size, k} = this;
    const rows = this.bias ? [...kept, this.d] : kept;
    const out = new NormalEquations(this.groups, kept.length, k, this.bias);
    for (let g = 0; g < this.groups; g++) {
      const [gram, cross] = [g * size * size, g * size * k];
      const [outGram, outCross] = [g * out.size * out.size, g * out.size * k];
      rows.forEach((r, i) => {
        rows.forEach((c, j) => out.gram[outGram + i * out.size + j] = this.gram[gram + r * size + c]);
        out.cross.set(this.cross.subarray(cross + r * k, cross + (r + 1) * k), outCross + i * k);
      });
    }
    return out;
  }

  /**
   * The ridge solutions, `[groups, size, k]`: each group's `d × k` matrix, then its bias row; the ridge pulls them
   * towards `prior` (same layout) where the data leave them undetermined.
   */
  solve(ridge: number, prior?: Float64Array): Float64Array {
    const {size, k} = this;
    const out = new Float64Array(this.groups * size * k);
    for (let g = 0; g < this.groups; g++) {
      const x = ridgeSolve(this.gram.subarray(g * size * size, (g + 1) * size * size),
                           this.cross.subarray(g * size * k, (g + 1) * size * k), size, k, ridge,
                           this.bias ? [this.d] : [], prior?.subarray(g * size * k, (g + 1) * size * k));
      out.set(x, g * size * k);
    }
    return out;
  }

  /**
   * The squared error `‖[P 1]W − Z‖²` of solution `w` (layout of {@link solve}) on the rows these equations hold,
   * less `‖Z‖²` (the same for every `w`): `Σ_g tr(WᵀGW) − 2 tr(WᵀC)`, for comparing solutions on held-out rows.
   */
  error(w: Float64Array): number {
    const {size, k} = this;
    let total = 0;
    for (let g = 0; g < this.groups; g++) {
      const gram = g * size * size, block = g * size * k;
      const gw = new Float64Array(k);
      for (let i = 0; i < size; i++) {
        gw.fill(0);
        for (let j = 0; j < size; j++) {
          const gij = this.gram[gram + i * size + j];
          if (gij === 0) continue;
          for (let c = 0; c < k; c++) gw[c] += gij * w[block + j * k + c];
        }
        for (let c = 0; c < k; c++) total += w[block + i * k + c] * (gw[c] - 2 * this.cross[block + i * k + c]);
      }
    }
    return total;
  }
}

/**
 * `values` (row-major, `k` columns) times `r` (`[k, m]`): rows of `m` columns. Only the nonzeros of `r` are visited
 * (a cubic sampling has at most four per column).
 */
export function projectedColumns(values: ArrayLike<number>, k: number, r: Float32Array, m: number): Float64Array {
  const rows = values.length / k;
  const nonzeros = Array.from({length: k}, (_, j) => {
    const columns: number[] = [];
    for (let c = 0; c < m; c++) if (r[j * m + c] !== 0) columns.push(c);
    return {columns, weights: columns.map(c => r[j * m + c])};
  });
  const out = new Float64Array(rows * m);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < k; j++) {
      const v = values[i * k + j];
      if (v === 0) continue;
      const {columns, weights} = nonzeros[j];
      for (let n = 0; n < columns.length; n++) out[i * m + columns[n]] += v * weights[n];
    }
  }
  return out;
}

/** The ridges a data-chosen fit tries, walking from the middle towards the lower held-out error. */
export const RIDGE_STEPS = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10];

/**
 * The ridge of `RIDGE_STEPS` whose solution on `fit` has the lowest error on `heldOut` (a walk from 1e-2 towards
 * the lower error, stopping where it rises), and that error.
 */
export function chosenRidge(fit: NormalEquations, heldOut: NormalEquations, prior: Float64Array):
    {ridge: number, error: number} {
  const errors = new Map<number, number>();
  const errorAt = (i: number) => {
    if (!errors.has(i)) errors.set(i, heldOut.error(fit.solve(RIDGE_STEPS[i], prior)));
    return errors.get(i)!;
  };
  let best = RIDGE_STEPS.indexOf(1e-2);
  const direction = errorAt(best - 1) < errorAt(best) ? -1 : 1;
  while (best + direction >= 0 && best + direction < RIDGE_STEPS.length && errorAt(best + direction) < errorAt(best)) {
    best += direction;
  }
  return {ridge: RIDGE_STEPS[best], error: errorAt(best)};
}
