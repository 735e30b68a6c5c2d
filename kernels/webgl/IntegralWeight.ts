/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {IntegralWeight, IntegralWeightAttrs, IntegralWeightInputs} from '../../src/kernel_names';
import {defineKernel} from '../shared/kernel_util';
import {IntegralWeightProgram, sizeUniforms} from './integral_weight_gpu';
import {WebGLBackendLike} from './webgl_types';

/** `IntegralWeight` on webgl: one GLSL pass. */
export const integralWeightWebGLConfig = defineKernel<IntegralWeightInputs, IntegralWeightAttrs, WebGLBackendLike>(
    IntegralWeight, 'webgl', ({inputs, attrs, backend}) => {
      const {controls, inCoords, outCoords, quadWeights} = inputs;
      const [p, cIn, cOut] = controls.shape;
      const program = new IntegralWeightProgram(
          [p, inCoords.shape[0], outCoords.shape[0]], attrs.inDerivative, attrs.outDerivative);
      return backend.runWebGLProgram(program, [controls, inCoords, outCoords, quadWeights], 'float32',
                                     sizeUniforms(cIn, cOut, attrs.cubicA));
    });
