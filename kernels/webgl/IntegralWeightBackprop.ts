/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {IntegralWeightBackprop, IntegralWeightBackpropAttrs, IntegralWeightBackpropInputs} from '../../src/kernel_names';
import {defineKernel} from '../shared/kernel_util';
import {IntegralWeightBackpropProgram, sizeUniforms} from './integral_weight_gpu';
import {WebGLBackendLike} from './webgl_types';

/** `IntegralWeightBackprop` on webgl: one GLSL pass that gathers over the samples each control reaches. */
export const integralWeightBackpropWebGLConfig =
    defineKernel<IntegralWeightBackpropInputs, IntegralWeightBackpropAttrs, WebGLBackendLike>(
        IntegralWeightBackprop, 'webgl', ({inputs, attrs, backend}) => {
          const {dy, inCoords, outCoords, quadWeights} = inputs;
          const [, cIn, cOut] = attrs.controlsShape;
          return backend.runWebGLProgram(
              new IntegralWeightBackpropProgram(attrs.controlsShape), [dy, inCoords, outCoords, quadWeights],
              'float32', sizeUniforms(cIn, cOut, inCoords, outCoords, attrs.cubicA));
        });
