/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import type {KernelBackend} from '@tensorflow/tfjs-core';

import {IntegralWeight, IntegralWeightAttrs, IntegralWeightInputs} from '../../src/kernel_names';
import {integralWeightHost} from '../shared/host_kernels';
import {defineKernel} from '../shared/kernel_util';

/** `IntegralWeight` on cpu: the host kernel (TypedArray loops over the backend's arrays). */
export const integralWeightCpuConfig =
    defineKernel<IntegralWeightInputs, IntegralWeightAttrs, KernelBackend>(IntegralWeight, 'cpu', integralWeightHost);
