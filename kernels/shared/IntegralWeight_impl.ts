/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {cubicTaps, CubicTaps} from './cubic';

/** Sampling of one control grid `[P, C_in, C_out]`, as plain arrays (see `IntegralSamplingInputs`). */
export interface Sampling {
  inCoords: ArrayLike<number>;
  outCoords: ArrayLike<number>;
  quadWeights: ArrayLike<number>;
  cubicA: number;
}

/**
 * The non-zero taps of each sample, packed: sample `j` has `count[j]` taps at `start[j]...` in `index` / `weight`.
 * Sampling at the nodes leaves one tap per sample, so the loops below do a quarter of the work there.
 */
interface SparseTaps {
  start: Int32Array;
  count: Int32Array;
  index: Int32Array;
  weight: Float64Array;
}

function sparse(t: CubicTaps): SparseTaps {
  const n = t.index.length / 4;
  const start = new Int32Array(n), count = new Int32Array(n);
  const index: number[] = [], weight: number[] = [];
  for (let j = 0; j < n; j++) {
    start[j] = index.length;
    for (let r = 0; r < 4; r++) {
      if (t.weight[j * 4 + r] === 0) continue;
      index.push(t.index[j * 4 + r]);
      weight.push(t.weight[j * 4 + r]);
    }
    count[j] = index.length - start[j];
  }
  return {start, count, index: Int32Array.from(index), weight: Float64Array.from(weight)};
}

/**
 * `W[p, i, o] = q_i Σ_k Σ_l K(t_i - k) K(s_o - l) controls[p, k, l]` (clamped taps), separably: first along
 * the input axis, then along the output axis. `K` becomes `K'` along an axis whose derivative flag is set.
 * Pure TypedArray maths: the cpu and wasm kernels, and the test oracle of the GPU kernels.
 */
export function integralWeightImpl(
    controls: ArrayLike<number>, shape: [number, number, number], s: Sampling,
    inDerivative = false, outDerivative = false): Float32Array {
  const [p, cIn, cOut] = shape;
  const nIn = s.inCoords.length, nOut = s.outCoords.length;
  const tin = sparse(cubicTaps(s.inCoords, cIn, s.cubicA, inDerivative));
  const tout = sparse(cubicTaps(s.outCoords, cOut, s.cubicA, outDerivative));
  const rows = new Float32Array(nIn * cOut);
  const out = new Float32Array(p * nIn * nOut);
  for (let l = 0; l < p; l++) {
    const cOff = l * cIn * cOut;
    rows.fill(0);
    for (let i = 0; i < nIn; i++) {
      const row = i * cOut;
      for (let r = tin.start[i]; r < tin.start[i] + tin.count[i]; r++) {
        const w = tin.weight[r], src = cOff + tin.index[r] * cOut;
        for (let b = 0; b < cOut; b++) rows[row + b] += w * controls[src + b];
      }
    }
    const oOff = l * nIn * nOut;
    for (let i = 0; i < nIn; i++) {
      const q = s.quadWeights[i], row = i * cOut, dst = oOff + i * nOut;
      for (let o = 0; o < nOut; o++) {
        let acc = 0;
        for (let r = tout.start[o]; r < tout.start[o] + tout.count[o]; r++) acc += tout.weight[r] * rows[row + tout.index[r]];
        out[dst + o] = q * acc;
      }
    }
  }
  return out;
}

/**
 * Adjoint of {@link integralWeightImpl} in `controls`: `dControls[p] = B_inᵀ (q ⊙ dy[p]) B_out`, where
 * `B` scatters each sample's tap weights onto their (clamped) nodes.
 */
export function integralWeightBackpropImpl(
    dy: ArrayLike<number>, controlsShape: [number, number, number], s: Sampling): Float32Array {
  const [p, cIn, cOut] = controlsShape;
  const nIn = s.inCoords.length, nOut = s.outCoords.length;
  const tin = sparse(cubicTaps(s.inCoords, cIn, s.cubicA));
  const tout = sparse(cubicTaps(s.outCoords, cOut, s.cubicA));
  const rows = new Float64Array(nIn * cOut);
  const acc = new Float64Array(cIn * cOut);
  const out = new Float32Array(p * cIn * cOut);
  for (let l = 0; l < p; l++) {
    rows.fill(0);
    const gOff = l * nIn * nOut;
    for (let i = 0; i < nIn; i++) {
      const q = s.quadWeights[i], row = i * cOut, src = gOff + i * nOut;
      for (let o = 0; o < nOut; o++) {
        const g = q * dy[src + o];
        if (g === 0) continue;
        for (let r = tout.start[o]; r < tout.start[o] + tout.count[o]; r++) rows[row + tout.index[r]] += tout.weight[r] * g;
      }
    }
    acc.fill(0);
    for (let i = 0; i < nIn; i++) {
      const row = i * cOut;
      for (let r = tin.start[i]; r < tin.start[i] + tin.count[i]; r++) {
        const w = tin.weight[r], dst = tin.index[r] * cOut;
        for (let b = 0; b < cOut; b++) acc[dst + b] += w * rows[row + b];
      }
    }
    out.set(acc, l * cIn * cOut);
  }
  return out;
}
