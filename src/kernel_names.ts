/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// The kernels of this package. Each one's implementation for a backend is `kernels/<backend>/<KernelName>.ts`
// (cpu, wasm, webgl, webgpu, tensorflow), registered by `kernels/register_all_kernels.ts`; its gradient is
// `src/gradients/<KernelName>_grad.ts`. `IntegralMatMul` and `IntegralConv2D` are not fused: on every backend they
// run that backend's `IntegralWeight`, then its own matmul / conv (`kernels/shared/two_stage.ts`).
import type {NamedTensorInfoMap, TensorInfo} from '@tensorflow/tfjs-core';

/**
 * Sampling of a control grid, shared by every integral kernel.
 *
 * `inCoords[i]` / `outCoords[o]` are sample positions in control-index units (`t = u·(C-1)`, so the nodes
 * are the integers `0..C-1`); `quadWeights[i]` is the full input-axis multiplier `q_i = V·w_i`.
 * The ops compute these from the public options (docs/api.md §1), so kernels only interpolate.
 */
export interface IntegralSamplingInputs extends NamedTensorInfoMap {
  /** Input-axis sample positions in control-index units, `[n_in]`. */
  inCoords: TensorInfo;
  /** Output-axis sample positions in control-index units, `[n_out]`. */
  outCoords: TensorInfo;
  /** Input-axis multipliers `q_i = V·w_i`, `[n_in]`. */
  quadWeights: TensorInfo;
}

/** Attributes shared by every integral kernel. */
export interface IntegralSamplingAttrs {
  /** Keys cubic-convolution parameter `a`. */
  cubicA: number;
}

/** `W[p, i, o] = q_i Σ_k Σ_l K(t_i - k) K(s_o - l) controls[p, clamp(k), clamp(l)]`, controls `[P, C_in, C_out]`. */
export const IntegralWeight = 'IntegralWeight';
export interface IntegralWeightInputs extends IntegralSamplingInputs {
  /** The control grid `[P, C_in, C_out]`. */
  controls: TensorInfo;
}
export interface IntegralWeightAttrs extends IntegralSamplingAttrs {
  /** Use the kernel's derivative `K'` along the input axis (gradient with respect to `inCoords`). */
  inDerivative: boolean;
  /** Use `K'` along the output axis (gradient with respect to `outCoords`). */
  outDerivative: boolean;
}

/** Adjoint of {@link IntegralWeight} in `controls`: `dControls[p] = B_inᵀ (q ⊙ dy[p]) B_out`. */
export const IntegralWeightBackprop = 'IntegralWeightBackprop';
export interface IntegralWeightBackpropInputs extends IntegralSamplingInputs {
  /** The gradient of the sampled weight, `[P, n_in, n_out]`. */
  dy: TensorInfo;
}
export interface IntegralWeightBackpropAttrs extends IntegralSamplingAttrs {
  /** Shape of the control grid, `[P, C_in, C_out]`. */
  controlsShape: [number, number, number];
}

/** `x · W` with `W` sampled from `controls [C_in, C_out]`. */
export const IntegralMatMul = 'IntegralMatMul';
export interface IntegralMatMulInputs extends IntegralSamplingInputs {
  /** The input `[batch, n_in]`. */
  x: TensorInfo;
  /** The control grid `[C_in, C_out]`. */
  controls: TensorInfo;
}
/** Attributes of {@link IntegralMatMul}: those of the sampling. */
export type IntegralMatMulAttrs = IntegralSamplingAttrs;

/** `conv2d(x, W)` (NHWC) with `W` sampled from `controls [kh, kw, C_in, C_out]`. */
export const IntegralConv2D = 'IntegralConv2D';
export interface IntegralConv2DInputs extends IntegralSamplingInputs {
  /** The input `[batch, h, w, n_in]` (NHWC). */
  x: TensorInfo;
  /** The control grid `[kh, kw, C_in, C_out]`. */
  controls: TensorInfo;
}
/** Attributes of {@link IntegralConv2D}: the sampling's and `tf.conv2d`'s. */
export interface IntegralConv2DAttrs extends IntegralSamplingAttrs {
  /** Strides along the height and the width. */
  strides: [number, number];
  /** `'valid'`, `'same'` or an explicit symmetric padding. */
  pad: 'valid'|'same'|number;
  /** Dilation rates along the height and the width. */
  dilations: [number, number];
}
