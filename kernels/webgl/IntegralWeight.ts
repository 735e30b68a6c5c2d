/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import type {TensorInfo} from '@tensorflow/tfjs-core';

import {IntegralWeight, IntegralWeightAttrs, IntegralWeightBackprop, IntegralWeightBackpropAttrs, IntegralWeightBackpropInputs, IntegralWeightInputs} from '../../src/kernel_names';
import {defineKernel} from '../shared/kernel_util';
import {IntegralWeightBackpropProgram, IntegralWeightProgram} from './integral_weight_gpu';
import {WebGLBackendLike} from './webgl_types';

/** Values of `SIZE_UNIFORMS`, in order. */
function sizeUniforms(cIn: number, cOut: number, inCoords: TensorInfo, outCoords: TensorInfo, cubicA: number) {
  return [[cIn - 1], [cOut - 1], [inCoords.shape[0]], [outCoords.shape[0]], [cubicA]];
}

/** `IntegralWeight` on webgl: one GLSL pass. */
export const integralWeightWebGLConfig = defineKernel<IntegralWeightInputs, IntegralWeightAttrs, WebGLBackendLike>(
    IntegralWeight, 'webgl', ({inputs, attrs, backend}) => {
      const {controls, inCoords, outCoords, quadWeights} = inputs;
      const [p, cIn, cOut] = controls.shape;
      const program = new IntegralWeightProgram(
          [p, inCoords.shape[0], outCoords.shape[0]], attrs.inDerivative, attrs.outDerivative);
      return backend.runWebGLProgram(program, [controls, inCoords, outCoords, quadWeights], 'float32',
                                     sizeUniforms(cIn, cOut, inCoords, outCoords, attrs.cubicA));
    });

/** `IntegralWeightBackprop` on webgl. */
export const integralWeightBackpropWebGLConfig =
    defineKernel<IntegralWeightBackpropInputs, IntegralWeightBackpropAttrs, WebGLBackendLike>(
        IntegralWeightBackprop, 'webgl', ({inputs, attrs, backend}) => {
          const {dy, inCoords, outCoords, quadWeights} = inputs;
          const [, cIn, cOut] = attrs.controlsShape;
          return backend.runWebGLProgram(
              new IntegralWeightBackpropProgram(attrs.controlsShape), [dy, inCoords, outCoords, quadWeights],
              'float32', sizeUniforms(cIn, cOut, inCoords, outCoords, attrs.cubicA));
        });
