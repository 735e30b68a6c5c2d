/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {IntegralWeightBackprop, IntegralWeightBackpropAttrs, IntegralWeightBackpropInputs} from '../../src/kernel_names';
import {defineKernel} from '../shared/kernel_util';
import {IntegralWeightBackpropProgram} from './integral_weight_webgpu';
import {WebGPUBackendLike} from './webgpu_types';

/** `IntegralWeightBackprop` on webgpu: one WGSL pass that gathers over the samples each control reaches. */
export const integralWeightBackpropWebGPUConfig =
    defineKernel<IntegralWeightBackpropInputs, IntegralWeightBackpropAttrs, WebGPUBackendLike>(
        IntegralWeightBackprop, 'webgpu', ({inputs, attrs, backend}) => {
          const {dy, inCoords, outCoords, quadWeights} = inputs;
          return backend.runWebGPUProgram(
              new IntegralWeightBackpropProgram(attrs.controlsShape), [dy, inCoords, outCoords, quadWeights],
              'float32', [{type: 'float32', data: [attrs.cubicA]}]);
        });
