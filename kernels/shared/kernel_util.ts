/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import type {KernelConfig, KernelFunc, NamedTensorInfoMap, Tensor, TensorInfo} from '@tensorflow/tfjs-core';

/** Arguments of a typed kernel function. */
export interface KernelArgs<I, A, B> {
  inputs: I;
  attrs: A;
  backend: B;
}

/**
 * A `KernelConfig` from a typed kernel function: the one place where typed inputs/attrs meet tfjs's untyped
 * `KernelFunc` signature.
 */
export function defineKernel<I extends NamedTensorInfoMap, A, B = unknown>(
    kernelName: string, backendName: string,
    kernelFunc: (args: KernelArgs<I, A, B>) => TensorInfo | Tensor | Tensor[]): KernelConfig {
  return {kernelName, backendName, kernelFunc: kernelFunc as unknown as KernelFunc};
}

/** The `[P, C_in, C_out]` shape of a canonical rank-3 control grid. */
export function shape3(t: TensorInfo): [number, number, number] {
  const [p, cIn, cOut] = t.shape;
  return [p, cIn, cOut];
}

/**
 * A kernel input as the `Tensor` the engine passed in. Kernels built from ops need tensors; wrapping a bare
 * `TensorInfo` in a second tracked tensor would release the caller's data when that wrapper is disposed.
 */
export function inputTensor<T extends Tensor = Tensor>(t: TensorInfo): T {
  if (!isTensor(t)) throw new Error('Error in integral kernels: inputs must be Tensors passed by engine().runKernel.');
  return t as T;
}

function isTensor(t: TensorInfo): t is Tensor {
  return (t as Tensor).rank != null && typeof (t as Tensor).dispose === 'function';
}
