/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// Plain float64 reference of docs/api.md §1 for the tests: direct loops over the formula, written independently of the
// library (no separable passes, no interpolation matrices, its own quadrature tables).

/** Options of the reference, mirroring `IntegralOptions` with plain arrays for positions. */
export interface RefOptions {
  inSize?: number;
  outSize?: number;
  inContinuous?: boolean;
  outContinuous?: boolean;
  quadrature?: 'trapezoid'|'simpson'|'riemann';
  cubicA?: number;
  inPositions?: number[];
  outPositions?: number[];
}

/** A float64 tensor. */
export interface RefTensor {
  values: Float64Array;
  shape: number[];
}

function keys(x: number, a: number): number {
  const s = Math.abs(x);
  if (s <= 1) return (a + 2) * s ** 3 - (a + 3) * s ** 2 + 1;
  if (s < 2) return a * s ** 3 - 5 * a * s ** 2 + 8 * a * s - 4 * a;
  return 0;
}

/** Quadrature weights on [0, 1] summing to 1, as listed in docs/api.md §1. */
export function refQuadrature(rule: string, n: number, positions?: number[]): number[] {
  if (n === 1) return [1];
  if (positions != null) {
    const p = positions;
    return p.map((_, i) => i === 0 ? (p[1] - p[0]) / 2 :
                     i === n - 1 ? (p[n - 1] - p[n - 2]) / 2 : (p[i + 1] - p[i - 1]) / 2);
  }
  const h = 1 / (n - 1);
  if (rule === 'riemann') return new Array(n).fill(1 / n);
  if (rule === 'trapezoid' || n === 2) return Array.from({length: n}, (_, i) => (i === 0 || i === n - 1 ? h / 2 : h));
  const w = new Array(n).fill(0);
  const simpsonPoints = n % 2 === 1 ? n : n - 3;  // points 0..simpsonPoints-1 take Simpson's 1/3 rule
  if (simpsonPoints >= 3) {
    for (let i = 0; i < simpsonPoints; i++) {
      w[i] = h / 3 * (i === 0 || i === simpsonPoints - 1 ? 1 : i % 2 === 1 ? 4 : 2);
    }
  }
  if (n % 2 === 0) [1, 3, 3, 1].forEach((c, r) => w[n - 4 + r] += 3 * h / 8 * c);
  return w;
}

function refAxis(n: number, controlSize: number, continuous: boolean, positions?: number[]): number[] {
  if (!continuous) return Array.from({length: controlSize}, (_, i) => i);
  const u = positions ?? Array.from({length: n}, (_, i) => (n === 1 ? 0.5 : i / (n - 1)));
  return u.map(v => v * (controlSize - 1));
}

/** `W[..., i, o] = q_i Σ_k Σ_l K(t_i - k) K(s_o - l) controls[..., clamp(k), clamp(l)]`. */
export function refWeight(controls: RefTensor, o: RefOptions = {}): RefTensor {
  const shape = controls.shape;
  const cIn = shape[shape.length - 2], cOut = shape[shape.length - 1];
  const lead = controls.values.length / (cIn * cOut);
  const a = o.cubicA ?? -0.5;
  const inCont = o.inContinuous ?? true, outCont = o.outContinuous ?? true;
  const nIn = o.inSize ?? o.inPositions?.length ?? cIn, nOut = o.outSize ?? o.outPositions?.length ?? cOut;
  const t = refAxis(nIn, cIn, inCont, o.inPositions);
  const s = refAxis(nOut, cOut, outCont, o.outPositions);
  const q = inCont ? refQuadrature(o.quadrature ?? 'trapezoid', t.length, o.inPositions).map(w => w * Math.max(cIn - 1, 1)) :
                     t.map(() => 1);
  const clamp = (k: number, c: number) => Math.min(Math.max(k, 0), c - 1);
  const out = new Float64Array(lead * t.length * s.length);
  for (let p = 0; p < lead; p++) {
    for (let i = 0; i < t.length; i++) {
      for (let j = 0; j < s.length; j++) {
        let sum = 0;
        for (let k = Math.floor(t[i]) - 1; k <= Math.floor(t[i]) + 2; k++) {
          for (let l = Math.floor(s[j]) - 1; l <= Math.floor(s[j]) + 2; l++) {
            sum += keys(t[i] - k, a) * keys(s[j] - l, a) *
                controls.values[p * cIn * cOut + clamp(k, cIn) * cOut + clamp(l, cOut)];
          }
        }
        out[(p * t.length + i) * s.length + j] = q[i] * sum;
      }
    }
  }
  return {values: out, shape: [...shape.slice(0, -2), t.length, s.length]};
}

/** `x [b, n] · w [n, m]`. */
export function refMatMul(x: RefTensor, w: RefTensor): RefTensor {
  const [b, n] = x.shape, m = w.shape[1];
  const out = new Float64Array(b * m);
  for (let r = 0; r < b; r++) {
    for (let c = 0; c < m; c++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += x.values[r * n + i] * w.values[i * m + c];
      out[r * m + c] = sum;
    }
  }
  return {values: out, shape: [b, m]};
}

/** NHWC convolution with TensorFlow's padding rules. */
export function refConv2d(
    x: RefTensor, w: RefTensor, strides: [number, number], pad: 'valid'|'same'|number,
    dilations: [number, number]): RefTensor {
  const [b, h, wd, ci] = x.shape, [kh, kw, , co] = w.shape;
  const eff = [(kh - 1) * dilations[0] + 1, (kw - 1) * dilations[1] + 1];
  const dims = [h, wd].map((len, d) => {
    if (pad === 'same') {
      const out = Math.ceil(len / strides[d]);
      return {out, before: Math.floor(Math.max((out - 1) * strides[d] + eff[d] - len, 0) / 2)};
    }
    const p = pad === 'valid' ? 0 : pad;
    return {out: Math.floor((len + 2 * p - eff[d]) / strides[d]) + 1, before: p};
  });
  const [oh, ow] = [dims[0].out, dims[1].out];
  const out = new Float64Array(b * oh * ow * co);
  for (let n = 0; n < b; n++) {
    for (let y = 0; y < oh; y++) {
      for (let xx = 0; xx < ow; xx++) {
        for (let c = 0; c < co; c++) {
          let sum = 0;
          for (let dy = 0; dy < kh; dy++) {
            const iy = y * strides[0] + dy * dilations[0] - dims[0].before;
            if (iy < 0 || iy >= h) continue;
            for (let dx = 0; dx < kw; dx++) {
              const ix = xx * strides[1] + dx * dilations[1] - dims[1].before;
              if (ix < 0 || ix >= wd) continue;
              for (let k = 0; k < ci; k++) {
                sum += x.values[((n * h + iy) * wd + ix) * ci + k] * w.values[((dy * kw + dx) * ci + k) * co + c];
              }
            }
          }
          out[((n * oh + y) * ow + xx) * co + c] = sum;
        }
      }
    }
  }
  return {values: out, shape: [b, oh, ow, co]};
}

/**
 * NWC 1-D convolution: `'causal'` pads `(k-1)·d` zeros on the left and a number pads both ends, then `'valid'`;
 * `'same'` as {@link refConv2d}.
 */
export function refConv1d(x: RefTensor, w: RefTensor, stride: number, pad: 'valid'|'same'|'causal'|number,
                          dilation: number): RefTensor {
  const [b, len, ci] = x.shape, [k] = w.shape;
  let input = x;
  if (pad === 'causal' || typeof pad === 'number') {
    // Zeros on the width only (a 2-D padding would pad the unit height too).
    const [left, right] = pad === 'causal' ? [(k - 1) * dilation, 0] : [pad, pad];
    const padded = len + left + right;
    const values = new Float64Array(b * padded * ci);
    for (let n = 0; n < b; n++) values.set(x.values.subarray(n * len * ci, (n + 1) * len * ci), (n * padded + left) * ci);
    input = {values, shape: [b, padded, ci]};
  }
  const y = refConv2d({values: input.values, shape: [input.shape[0], 1, input.shape[1], ci]},
                      {values: w.values, shape: [1, ...w.shape]}, [1, stride], pad === 'same' ? 'same' : 'valid',
                      [1, dilation]);
  return {values: y.values, shape: [y.shape[0], y.shape[2], y.shape[3]]};
}

/**
 * NHWC transposed convolution with filter `[kh, kw, C_out, C_in]`: every input pixel adds `x · w` over the kernel
 * window at `stride` spacing; the output is `len·s + max(k - s, 0)` (valid) or `len·s` (same, cropped like the
 * padding of the convolution it transposes).
 */
export function refConv2dTranspose(x: RefTensor, w: RefTensor, strides: [number, number], pad: 'valid'|'same'):
    RefTensor {
  const [b, h, wd, ci] = x.shape, [kh, kw, co] = w.shape;
  const dims = [[h, kh], [wd, kw]].map(([len, k], d) => {
    const out = len * strides[d] + (pad === 'same' ? 0 : Math.max(k - strides[d], 0));
    const total = pad === 'same' ? Math.max((len - 1) * strides[d] + k - out, 0) : 0;
    return {out, before: Math.floor(total / 2)};
  });
  const [oh, ow] = [dims[0].out, dims[1].out];
  const out = new Float64Array(b * oh * ow * co);
  for (let n = 0; n < b; n++) {
    for (let iy = 0; iy < h; iy++) {
      for (let ix = 0; ix < wd; ix++) {
        for (let dy = 0; dy < kh; dy++) {
          const y = iy * strides[0] + dy - dims[0].before;
          if (y < 0 || y >= oh) continue;
          for (let dx = 0; dx < kw; dx++) {
            const xx = ix * strides[1] + dx - dims[1].before;
            if (xx < 0 || xx >= ow) continue;
            for (let o = 0; o < co; o++) {
              let sum = 0;
              for (let i = 0; i < ci; i++) {
                sum += x.values[((n * h + iy) * wd + ix) * ci + i] * w.values[((dy * kw + dx) * co + o) * ci + i];
              }
              out[((n * oh + y) * ow + xx) * co + o] += sum;
            }
          }
        }
      }
    }
  }
  return {values: out, shape: [b, oh, ow, co]};
}

/** `controls [..., C_out, C_in]` sampled like {@link refWeight} with the last two axes as `[C_in, C_out]`. */
export function refTransposedWeight(controls: RefTensor, o: RefOptions): RefTensor {
  const swap = (t: RefTensor) => {
    const [a, b] = t.shape.slice(-2);
    const values = new Float64Array(t.values.length);
    for (let p = 0; p < t.values.length / (a * b); p++) {
      for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) values[p * a * b + j * a + i] = t.values[p * a * b + i * b + j];
    }
    return {values, shape: [...t.shape.slice(0, -2), b, a]};
  };
  return swap(refWeight(swap(controls), o));
}
