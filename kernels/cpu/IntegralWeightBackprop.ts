/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import type {KernelBackend, TypedArray} from '@tensorflow/tfjs-core';

import {IntegralWeightBackprop, IntegralWeightBackpropAttrs, IntegralWeightBackpropInputs} from '../../src/kernel_names';
import {integralWeightBackpropImpl} from '../shared/IntegralWeight_impl';
import {defineKernel} from '../shared/kernel_util';
import {readSampling, writeFloat32} from './IntegralWeight';

/** Host kernel for `IntegralWeightBackprop` (see `integralWeightHost`). */
export function integralWeightBackpropHost({inputs, attrs, backend}: {
  inputs: IntegralWeightBackpropInputs, attrs: IntegralWeightBackpropAttrs, backend: KernelBackend
}) {
  const dy = backend.readSync(inputs.dy.dataId) as TypedArray;
  const s = readSampling(backend, inputs, attrs.cubicA);
  return writeFloat32(backend, integralWeightBackpropImpl(dy, attrs.controlsShape, s), attrs.controlsShape);
}

/** `IntegralWeightBackprop` as a host kernel for `backendName`. */
export const integralWeightBackpropHostConfig = (backendName: string) =>
    defineKernel<IntegralWeightBackpropInputs, IntegralWeightBackpropAttrs, KernelBackend>(
        IntegralWeightBackprop, backendName, integralWeightBackpropHost);
