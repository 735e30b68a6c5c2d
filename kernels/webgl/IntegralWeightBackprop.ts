/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {IntegralWeightBackprop, IntegralWeightBackpropAttrs, IntegralWeightBackpropInputs} from '../../src/kernel_names';
import {defineKernel} from '../shared/kernel_util';
import {IntegralWeightBackpropProgram, SampleRangeProgram, sizeUniforms} from './integral_weight_gpu';
import {WebGLBackendLike} from './webgl_types';

/**
 * `IntegralWeightBackprop` on webgl: the sample ranges of each axis's nodes, then one GLSL pass that gathers over the
 * samples each control reaches.
 */
export const integralWeightBackpropWebGLConfig =
    defineKernel<IntegralWeightBackpropInputs, IntegralWeightBackpropAttrs, WebGLBackendLike>(
        IntegralWeightBackprop, 'webgl', ({inputs, attrs, backend}) => {
          const {dy, inCoords, outCoords, quadWeights} = inputs;
          const [, cIn, cOut] = attrs.controlsShape;
          const ranges = (positions: typeof dy, nodes: number) =>
              backend.runWebGLProgram(new SampleRangeProgram(nodes), [positions], 'float32', [[positions.shape[0]]]);
          const [inRanges, outRanges] = [ranges(inCoords, cIn), ranges(outCoords, cOut)];
          const dControls = backend.runWebGLProgram(
              new IntegralWeightBackpropProgram(attrs.controlsShape),
              [dy, inCoords, outCoords, quadWeights, inRanges, outRanges], 'float32',
              sizeUniforms(cIn, cOut, inCoords, outCoords, attrs.cubicA));
          backend.disposeData(inRanges.dataId);
          backend.disposeData(outRanges.dataId);
          return dControls;
        });
