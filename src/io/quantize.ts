/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {assertArg, describeValue} from '../util/errors';

/** How {@link quantized} stores float32 weights: 1 byte (affine, per weight) or 2 bytes (IEEE half) per value. */
export type WeightQuantization = 'uint8'|'float16';

const WHERE = 'quantized';

/**
 * A save handler that stores the float32 weights of what is saved through it quantized, then saves through
 * `destination` (a URL such as `file://dir`, `downloads://name`, `indexeddb://key`, or an IOHandler). The weights
 * manifest carries tfjs's standard `quantization` entries, so stock `tf.loadLayersModel` reads the model and
 * dequantizes it to float32; other weights (int32) are stored as they are.
 *
 * - `uint8`: `value ≈ min + scale·q` with `q` in 0..255 per weight tensor, its range widened to hold 0 and nudged so
 *   that 0 is exact (zero biases stay zero); a quarter of the float32 bytes.
 * - `float16`: IEEE half precision, rounded to nearest even (values beyond ±65504 become ±Infinity: an Error); half
 *   of the bytes.
 *
 * ```js
 * const stock = inn.resample(0.5).toLayersModel();
 * await stock.save(tfi.quantized('file://./small', 'uint8'));
 * ```
 */
export function quantized(destination: string|tf.io.IOHandler, quantization: WeightQuantization): tf.io.IOHandler {
  assertArg(quantization === 'uint8' || quantization === 'float16', WHERE, 'quantization', `'uint8' or 'float16'`,
            quantization);
  const target = typeof destination === 'string' ? tf.io.getSaveHandlers(destination)[0] : destination;
  assertArg(target?.save != null, WHERE, 'destination', 'a URL with a registered save handler, or an IOHandler',
            describeValue(destination));
  return {save: async artifacts => target.save!(quantizeArtifacts(artifacts, quantization))};
}

/** `artifacts` with every float32 weight quantized (a new object; `artifacts` is not changed). */
export function quantizeArtifacts(artifacts: tf.io.ModelArtifacts, quantization: WeightQuantization):
    tf.io.ModelArtifacts {
  if (artifacts.weightSpecs == null || artifacts.weightData == null) return artifacts;
  const data = new tf.io.CompositeArrayBuffer(artifacts.weightData);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: ArrayBuffer[] = [];
  let offset = 0;
  for (const spec of artifacts.weightSpecs) {
    assertArg(spec.quantization == null, WHERE, `weightSpecs['${spec.name}']`, 'not quantized already',
              spec.quantization);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = size * (spec.dtype === 'float32' || spec.dtype === 'int32' ? 4 : 1);
    assertArg(spec.dtype === 'float32' || spec.dtype === 'int32' || spec.dtype === 'bool', WHERE,
              `weightSpecs['${spec.name}'].dtype`, `'float32', 'int32' or 'bool'`, spec.dtype);
    const raw = data.slice(offset, offset + bytes);
    offset += bytes;
    if (spec.dtype !== 'float32') {
      specs.push(spec);
      parts.push(raw);
      continue;
    }
    const values = new Float32Array(raw);
    if (quantization === 'float16') {
      parts.push(toFloat16(values, spec.name).buffer as ArrayBuffer);
      specs.push({...spec, quantization: {dtype: 'float16'}});
    } else {
      const {q, scale, min} = toUint8(values, spec.name);
      parts.push(q.buffer as ArrayBuffer);
      specs.push({...spec, quantization: {dtype: 'uint8', scale, min}});
    }
  }
  return {...artifacts, weightSpecs: specs, weightData: tf.io.CompositeArrayBuffer.join(parts)};
}

/** Affine uint8 codes of `values`: range widened to hold 0, min nudged so that 0 is a code. */
function toUint8(values: Float32Array, name: string): {q: Uint8Array, scale: number, min: number} {
  let lo = 0, hi = 0;
  for (let i = 0; i < values.length; i++) {
    assertArg(Number.isFinite(values[i]), WHERE, `weights['${name}']`, 'finite', values[i]);
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  const scale = hi > lo ? (hi - lo) / 255 : 1;
  const min = -Math.round(-lo / scale) * scale;
  const q = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) q[i] = Math.min(255, Math.max(0, Math.round((values[i] - min) / scale)));
  return {q, scale, min};
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half-precision bits of `values`, rounded to nearest even. */
function toFloat16(values: Float32Array, name: string): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    f32[0] = values[i];
    const x = u32[0];
    const sign = (x >>> 16) & 0x8000;
    const exponent = (x >>> 23) & 0xff;
    const mantissa = x & 0x7fffff;
    assertArg(exponent !== 0xff, WHERE, `weights['${name}']`, 'finite', values[i]);
    const e = exponent - 127 + 15;
    let half: number;
    if (e >= 0x1f) {
      half = 0x7c00;  // overflow: checked below
    } else if (e <= 0) {
      // Subnormal half (or zero): shift the implicit 1 in, round to nearest even.
      half = e < -10 ? 0 : roundShift(mantissa | 0x800000, 14 - e);
    } else {
      half = roundShift((e << 23) | mantissa, 13);  // a carry into the exponent is the correct rounding
    }
    assertArg(half < 0x7c00, WHERE, `weights['${name}']`, 'within float16 range (|value| ≤ 65504)', values[i]);
    out[i] = sign | half;
  }
  return out;
}

/** `m >> shift` rounded to nearest, ties to even. */
function roundShift(m: number, shift: number): number {
  const kept = m >>> shift;
  const round = (m >>> (shift - 1)) & 1;
  const sticky = (m & ((1 << (shift - 1)) - 1)) !== 0;
  return kept + (round & (sticky || (kept & 1) === 1 ? 1 : 0));
}
