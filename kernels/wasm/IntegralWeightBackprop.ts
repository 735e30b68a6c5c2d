/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import type {KernelBackend} from '@tensorflow/tfjs-core';

import {IntegralWeightBackprop, IntegralWeightBackpropAttrs, IntegralWeightBackpropInputs} from '../../src/kernel_names';
import {integralWeightBackpropHost} from '../shared/host_kernels';
import {defineKernel} from '../shared/kernel_util';

/** `IntegralWeightBackprop` on wasm: the host kernel. */
export const integralWeightBackpropWasmConfig =
    defineKernel<IntegralWeightBackpropInputs, IntegralWeightBackpropAttrs, KernelBackend>(
        IntegralWeightBackprop, 'wasm', integralWeightBackpropHost);
