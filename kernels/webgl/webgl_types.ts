/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import type {TensorInfo} from '@tensorflow/tfjs-core';

/** A uniform declared by a program (as tfjs-backend-webgl's `GPGPUProgram.customUniforms`). */
export interface CustomUniform {
  name: string;
  type: 'float'|'int';
}

/** The fields of tfjs-backend-webgl's `GPGPUProgram` the integral programs use. */
export interface GPGPUProgramLike {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  customUniforms?: CustomUniform[];
}

/** The part of `MathBackendWebGL` the integral kernels use (typed structurally: no runtime import). */
export interface WebGLBackendLike {
  runWebGLProgram(program: GPGPUProgramLike, inputs: TensorInfo[], outputDtype: 'float32',
                  customUniformValues?: number[][]): TensorInfo;
  /** Frees an intermediate result. */
  disposeData(dataId: object): boolean;
}

/** Uniforms of the weight program: the last control index of each axis, and the Keys parameter. */
export const SIZE_UNIFORMS: CustomUniform[] = [
  {name: 'lastIn', type: 'int'}, {name: 'lastOut', type: 'int'}, {name: 'cubicA', type: 'float'},
];
