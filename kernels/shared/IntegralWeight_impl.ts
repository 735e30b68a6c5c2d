/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {cubicTaps} from './cubic';

/** Sampling of one control grid `[P, C_in, C_out]`, as plain arrays (see `IntegralSamplingInputs`). */
export interface Sampling {
  inCoords: ArrayLike<number>;
  outCoords: ArrayLike<number>;
  quadWeights: ArrayLike<number>;
  cubicA: number;
}

/**
 * `W[p, i, o] = q_i Σ_k Σ_l K(t_i - k) K(s_o - l) controls[p, k, l]` (clamped taps), separably: first along
 * the input axis, then along the output axis. `K` becomes `K'` along an axis whose derivative flag is set.
 * Pure TypedArray maths: the cpu kernel and the test oracle of the GPU kernels.
 */
export function integralWeightImpl(
    controls: ArrayLike<number>, shape: [number, number, number], s: Sampling,
    inDerivative = false, outDerivative = false): Float32Array {
  const [p, cIn, cOut] = shape;
  const nIn = s.inCoords.length, nOut = s.outCoords.length;
  const tin = cubicTaps(s.inCoords, cIn, s.cubicA, inDerivative);
  const tout = cubicTaps(s.outCoords, cOut, s.cubicA, outDerivative);
  const rows = new Float64Array(nIn * cOut);
  const out = new Float32Array(p * nIn * nOut);
  for (let l = 0; l < p; l++) {
    const cOff = l * cIn * cOut;
    rows.fill(0);
    for (let i = 0; i < nIn; i++) {
      for (let r = 0; r < 4; r++) {
        const w = tin.weight[i * 4 + r];
        if (w === 0) continue;
        const src = cOff + tin.index[i * 4 + r] * cOut;
        for (let b = 0; b < cOut; b++) rows[i * cOut + b] += w * controls[src + b];
      }
    }
    const oOff = l * nIn * nOut;
    for (let i = 0; i < nIn; i++) {
      const q = s.quadWeights[i];
      for (let o = 0; o < nOut; o++) {
        let acc = 0;
        for (let r = 0; r < 4; r++) acc += tout.weight[o * 4 + r] * rows[i * cOut + tout.index[o * 4 + r]];
        out[oOff + i * nOut + o] = q * acc;
      }
    }
  }
  return out;
}

/**
 * Adjoint of {@link integralWeightImpl} in `controls`: `dControls[p] = B_inᵀ (q ⊙ dy[p]) B_out`, where
 * `B` scatters each sample's four tap weights onto their (clamped) nodes.
 */
export function integralWeightBackpropImpl(
    dy: ArrayLike<number>, controlsShape: [number, number, number], s: Sampling): Float32Array {
  const [p, cIn, cOut] = controlsShape;
  const nIn = s.inCoords.length, nOut = s.outCoords.length;
  const tin = cubicTaps(s.inCoords, cIn, s.cubicA);
  const tout = cubicTaps(s.outCoords, cOut, s.cubicA);
  const rows = new Float64Array(nIn * cOut);
  const acc = new Float64Array(cIn * cOut);
  const out = new Float32Array(p * cIn * cOut);
  for (let l = 0; l < p; l++) {
    rows.fill(0);
    const gOff = l * nIn * nOut;
    for (let i = 0; i < nIn; i++) {
      const q = s.quadWeights[i];
      for (let o = 0; o < nOut; o++) {
        const g = q * dy[gOff + i * nOut + o];
        if (g === 0) continue;
        for (let r = 0; r < 4; r++) rows[i * cOut + tout.index[o * 4 + r]] += tout.weight[o * 4 + r] * g;
      }
    }
    acc.fill(0);
    for (let i = 0; i < nIn; i++) {
      for (let r = 0; r < 4; r++) {
        const w = tin.weight[i * 4 + r];
        if (w === 0) continue;
        const dst = tin.index[i * 4 + r] * cOut;
        for (let b = 0; b < cOut; b++) acc[dst + b] += w * rows[i * cOut + b];
      }
    }
    out.set(acc, l * cIn * cOut);
  }
  return out;
}
