/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import type {KernelBackend} from '@tensorflow/tfjs-core';

import {IntegralWeight, IntegralWeightAttrs, IntegralWeightInputs} from '../../src/kernel_names';
import {integralWeightHost} from '../shared/host_kernels';
import {defineKernel} from '../shared/kernel_util';

/** `IntegralWeight` on wasm: the host kernel (TypedArray loops over copies of the wasm heap). */
export const integralWeightWasmConfig =
    defineKernel<IntegralWeightInputs, IntegralWeightAttrs, KernelBackend>(IntegralWeight, 'wasm', integralWeightHost);
