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
 * The ops compute these from the public options (api.md §1), so kernels only interpolate.
 */
export interface IntegralSamplingInputs extends NamedTensorInfoMap {
  inCoords: TensorInfo;
  outCoords: TensorInfo;
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
  dy: TensorInfo;
}
export interface IntegralWeightBackpropAttrs extends IntegralSamplingAttrs {
  /** Shape of the control grid, `[P, C_in, C_out]`. */
  controlsShape: [number, number, number];
}

/** `x · W` with `W` sampled from `controls [C_in, C_out]`. */
export const IntegralMatMul = 'IntegralMatMul';
export interface IntegralMatMulInputs extends IntegralSamplingInputs {
  x: TensorInfo;
  controls: TensorInfo;
}
export type IntegralMatMulAttrs = IntegralSamplingAttrs;

/** `conv2d(x, W)` (NHWC) with `W` sampled from `controls [kh, kw, C_in, C_out]`. */
export const IntegralConv2D = 'IntegralConv2D';
export interface IntegralConv2DInputs extends IntegralSamplingInputs {
  x: TensorInfo;
  controls: TensorInfo;
}
export interface IntegralConv2DAttrs extends IntegralSamplingAttrs {
  strides: [number, number];
  pad: 'valid'|'same'|number;
  dilations: [number, number];
}
