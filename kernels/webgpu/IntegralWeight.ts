/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {IntegralWeight, IntegralWeightAttrs, IntegralWeightInputs} from '../../src/kernel_names';
import {defineKernel} from '../shared/kernel_util';
import {IntegralWeightProgram} from './integral_weight_webgpu';
import {WebGPUBackendLike} from './webgpu_types';

/** `IntegralWeight` on webgpu: one WGSL pass (a new program object per call, as `runWebGPUProgram` requires). */
export const integralWeightWebGPUConfig = defineKernel<IntegralWeightInputs, IntegralWeightAttrs, WebGPUBackendLike>(
    IntegralWeight, 'webgpu', ({inputs, attrs, backend}) => {
      const {controls, inCoords, outCoords, quadWeights} = inputs;
      const program = new IntegralWeightProgram(
          [controls.shape[0], inCoords.shape[0], outCoords.shape[0]], attrs.inDerivative, attrs.outDerivative);
      return backend.runWebGPUProgram(
          program, [controls, inCoords, outCoords, quadWeights], 'float32', [{type: 'float32', data: [attrs.cubicA]}]);
    });
