/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {IntegralWeightBackprop, IntegralWeightBackpropAttrs, IntegralWeightBackpropInputs} from '../../src/kernel_names';
import {defineKernel} from '../shared/kernel_util';
import {AxisGatherProgram, SampleRangeProgram} from './integral_weight_gpu';
import {WebGLBackendLike} from './webgl_types';

/**
 * `IntegralWeightBackprop` on webgl: the sample ranges of each axis's nodes, then two separable GLSL gathers (the
 * axis that leaves the smaller intermediate first), as on webgpu.
 */
export const integralWeightBackpropWebGLConfig =
    defineKernel<IntegralWeightBackpropInputs, IntegralWeightBackpropAttrs, WebGLBackendLike>(
        IntegralWeightBackprop, 'webgl', ({inputs, attrs, backend}) => {
          const {dy, inCoords, outCoords, quadWeights} = inputs;
          const [, cIn, cOut] = attrs.controlsShape;
          const [, nIn, nOut] = dy.shape;
          const ranges = (positions: typeof dy, nodes: number) =>
              backend.runWebGLProgram(new SampleRangeProgram(nodes), [positions], 'float32', [[positions.shape[0]]]);
          const [inRanges, outRanges] = [ranges(inCoords, cIn), ranges(outCoords, cOut)];
          const gatherIn = (x: typeof dy) => backend.runWebGLProgram(
              new AxisGatherProgram(x.shape, cIn, 1, true), [x, inCoords, inRanges, quadWeights], 'float32',
              AxisGatherProgram.uniforms(attrs.cubicA, cIn));
          const gatherOut = (x: typeof dy) => backend.runWebGLProgram(
              new AxisGatherProgram(x.shape, cOut, 2, false), [x, outCoords, outRanges], 'float32',
              AxisGatherProgram.uniforms(attrs.cubicA, cOut));
          const outFirst = nIn * cOut <= cIn * nOut;
          const half = outFirst ? gatherOut(dy) : gatherIn(dy);
          const dControls = outFirst ? gatherIn(half) : gatherOut(half);
          for (const t of [half, inRanges, outRanges]) backend.disposeData(t.dataId);
          return dControls;
        });
