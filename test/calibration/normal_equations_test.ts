/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// The host side of least squares: normal equations, their projection for choosing a ridge, and the Cholesky solve.
import {NormalEquations, projectedColumns} from '../../src/calibration/normal_equations';
import {gaussianProjection, mulberry32} from '../../src/util/random';
import {equationsOf} from '../test_util';

/** Normal equations of `rows` random rows of `d` regressors and `k` targets (with a bias), seeded. */
function randomEquations(d: number, k: number, rows: number, seed: number): NormalEquations {
  const random = mulberry32(seed);
  const p = Float32Array.from({length: rows * d}, () => random() - 0.5);
  const z = Float32Array.from({length: rows * k}, () => random() - 0.5);
  return equationsOf(p, z, d, k);
}

describe('NormalEquations', () => {
  const [d, k, m] = [6, 40, 8];
  const r = gaussianProjection(k, m);

  it('projected: the solution of the projected targets is the projected solution (any ridge, any prior)', () => {
    const eq = randomEquations(d, k, 50, 1);
    const random = mulberry32(2);
    const prior = Float64Array.from({length: (d + 1) * k}, () => random() - 0.5);
    for (const ridge of [1e-4, 1e-1, 10]) {
      const direct = projectedColumns(eq.solve(ridge, prior), k, r, m);
      const projected = eq.projected(r, m).solve(ridge, projectedColumns(prior, k, r, m));
      projected.forEach((v, i) => expect(v).withContext(`ridge ${ridge}, entry ${i}`).toBeCloseTo(direct[i], 10));
    }
  });

  it('projected: the error of a projected solution is tr(RᵀWᵀGWR) − 2 tr(RᵀWᵀCR), as a direct loop computes it', () => {
    const fit = randomEquations(d, k, 50, 3), held = randomEquations(d, k, 30, 4);
    const w = fit.solve(1e-2);
    const wr = projectedColumns(w, k, r, m), cr = projectedColumns(held.cross, k, r, m);
    const size = d + 1;
    let expected = 0;
    for (let c = 0; c < m; c++) {
      for (let i = 0; i < size; i++) {
        let gw = 0;
        for (let j = 0; j < size; j++) gw += held.gram[i * size + j] * wr[j * m + c];
        expected += wr[i * m + c] * (gw - 2 * cr[i * m + c]);
      }
    }
    expect(held.projected(r, m).error(wr)).toBeCloseTo(expected, 8);
  });

  it('restricted: the equations of the kept columns of P, as accumulated from those columns alone', () => {
    const random = mulberry32(7);
    const rows = 30, kept = [1, 2, 5];
    const p = Float32Array.from({length: rows * d}, () => random() - 0.5);
    const z = Float32Array.from({length: rows * 3}, () => random() - 0.5);
    const columns = Float32Array.from({length: rows * kept.length}, (_, i) => p[Math.floor(i / kept.length) * d +
                                                                               kept[i % kept.length]]);
    const direct = equationsOf(columns, z, kept.length, 3), restricted = equationsOf(p, z, d, 3).restricted(kept);
    expect(restricted.size).toBe(kept.length + 1);
    restricted.gram.forEach((v, i) => expect(v).withContext(`gram ${i}`).toBeCloseTo(direct.gram[i], 4));
    restricted.cross.forEach((v, i) => expect(v).withContext(`cross ${i}`).toBeCloseTo(direct.cross[i], 4));
    const [solved, expected] = [restricted.solve(1e-3), direct.solve(1e-3)];
    solved.forEach((v, i) => expect(v).withContext(`solution ${i}`).toBeCloseTo(expected[i], 6));
  });

  it('gaussianProjection: seeded by its shape, E[RRᵀ] = I', () => {
    expect(gaussianProjection(k, m)).toEqual(r);
    const big = gaussianProjection(200, 2000);
    let diagonal = 0, offDiagonal = 0;
    for (let i = 0; i < 200; i++) {
      for (let j = 0; j < 200; j++) {
        let dot = 0;
        for (let c = 0; c < 2000; c++) dot += big[i * 2000 + c] * big[j * 2000 + c];
        if (i === j) diagonal += dot / 200; else offDiagonal += Math.abs(dot) / (200 * 199);
      }
    }
    expect(diagonal).toBeCloseTo(1, 1);
    expect(offDiagonal).toBeLessThan(0.05);
  });

  it('solve: the Cholesky solution satisfies (G + λD)·W = C + λ·D·W₀ (no ridge on the bias row)', () => {
    const eq = randomEquations(9, 3, 40, 5);
    const random = mulberry32(6);
    const size = 10, prior = Float64Array.from({length: size * 3}, () => random());
    const ridge = 0.05;
    let trace = 0;
    for (let i = 0; i < 9; i++) trace += eq.gram[i * size + i];
    const lambda = ridge * trace / 9;
    const w = eq.solve(ridge, prior);
    for (let i = 0; i < size; i++) {
      const penalty = i === 9 ? lambda * 1e-6 : lambda;
      for (let c = 0; c < 3; c++) {
        let lhs = penalty * w[i * 3 + c];
        for (let j = 0; j < size; j++) lhs += eq.gram[i * size + j] * w[j * 3 + c];
        expect(lhs).toBeCloseTo(eq.cross[i * 3 + c] + penalty * prior[i * 3 + c], 9);
      }
    }
  });
});
