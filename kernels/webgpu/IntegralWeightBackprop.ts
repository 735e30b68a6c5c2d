/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {IntegralWeightBackprop, IntegralWeightBackpropAttrs, IntegralWeightBackpropInputs} from '../../src/kernel_names';
import {defineKernel} from '../shared/kernel_util';
import {IntegralWeightBackpropProgram, SampleRangeProgram} from './integral_weight_webgpu';
import {WebGPUBackendLike} from './webgpu_types';

/**
 * `IntegralWeightBackprop` on webgpu: the sample ranges of each axis's nodes, then one WGSL pass that gathers over
 * the samples each control reaches.
 */
export const integralWeightBackpropWebGPUConfig =
    defineKernel<IntegralWeightBackpropInputs, IntegralWeightBackpropAttrs, WebGPUBackendLike>(
        IntegralWeightBackprop, 'webgpu', ({inputs, attrs, backend}) => {
          const {dy, inCoords, outCoords, quadWeights} = inputs;
          const [, cIn, cOut] = attrs.controlsShape;
          const inRanges = backend.runWebGPUProgram(new SampleRangeProgram(cIn), [inCoords], 'float32');
          const outRanges = backend.runWebGPUProgram(new SampleRangeProgram(cOut), [outCoords], 'float32');
          const dControls = backend.runWebGPUProgram(
              new IntegralWeightBackpropProgram(attrs.controlsShape),
              [dy, inCoords, outCoords, quadWeights, inRanges, outRanges], 'float32',
              [{type: 'float32', data: [attrs.cubicA]}]);
          backend.disposeData(inRanges.dataId);
          backend.disposeData(outRanges.dataId);
          return dControls;
        });
