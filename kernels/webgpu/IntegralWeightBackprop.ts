/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {IntegralWeightBackprop, IntegralWeightBackpropAttrs, IntegralWeightBackpropInputs} from '../../src/kernel_names';
import {defineKernel} from '../shared/kernel_util';
import {AxisGatherProgram, SampleRangeProgram} from './integral_weight_webgpu';
import {WebGPUBackendLike} from './webgpu_types';

/**
 * `IntegralWeightBackprop` on webgpu: the sample ranges of each axis's nodes, then two separable WGSL gathers (the
 * axis that leaves the smaller intermediate first), each reading the samples of one axis per value where a single
 * gather reads every pair of both.
 */
export const integralWeightBackpropWebGPUConfig =
    defineKernel<IntegralWeightBackpropInputs, IntegralWeightBackpropAttrs, WebGPUBackendLike>(
        IntegralWeightBackprop, 'webgpu', ({inputs, attrs, backend}) => {
          const {dy, inCoords, outCoords, quadWeights} = inputs;
          const [, cIn, cOut] = attrs.controlsShape;
          const [, nIn, nOut] = dy.shape;
          const a = [{type: 'float32' as const, data: [attrs.cubicA]}];
          const inRanges = backend.runWebGPUProgram(new SampleRangeProgram(cIn), [inCoords], 'float32');
          const outRanges = backend.runWebGPUProgram(new SampleRangeProgram(cOut), [outCoords], 'float32');
          const gatherIn = (x: typeof dy) => backend.runWebGPUProgram(
              new AxisGatherProgram(x.shape, cIn, 1, true), [x, inCoords, inRanges, quadWeights], 'float32', a);
          const gatherOut = (x: typeof dy) => backend.runWebGPUProgram(
              new AxisGatherProgram(x.shape, cOut, 2, false), [x, outCoords, outRanges], 'float32', a);
          // The axis whose pass leaves the smaller intermediate first.
          const outFirst = nIn * cOut <= cIn * nOut;
          const half = outFirst ? gatherOut(dy) : gatherIn(dy);
          const dControls = outFirst ? gatherIn(half) : gatherOut(half);
          for (const t of [half, inRanges, outRanges]) backend.disposeData(t.dataId);
          return dControls;
        });
