/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import type {TensorInfo} from '@tensorflow/tfjs-core';
import type {WebGPUProgram} from '@tensorflow/tfjs-backend-webgpu';

/** The part of `WebGPUBackend` the integral kernels use (typed structurally: no runtime import of the backend). */
export interface WebGPUBackendLike {
  runWebGPUProgram(
      program: WebGPUProgram, inputs: TensorInfo[], outputDtype: 'float32',
      programDefinedUniform?: Array<{type: 'float32'|'int32', data: number[]}>): TensorInfo;
  /** Frees an intermediate result. */
  disposeData(dataId: object): boolean;
}

/** Workgroup size of the flat (one thread per output element) integral programs. */
export const FLAT_WORKGROUP: [number, number, number] = [64, 1, 1];

/** Flat dispatch over every output element (as `webgpu_util.flatDispatchLayout` + `computeDispatch`). */
export function flatDispatch(outputShape: number[]) {
  const size = outputShape.reduce((a, b) => a * b, 1);
  return {
    dispatchLayout: {x: outputShape.map((_, i) => i)},
    dispatch: [Math.ceil(size / FLAT_WORKGROUP[0]), 1, 1] as [number, number, number],
  };
}
