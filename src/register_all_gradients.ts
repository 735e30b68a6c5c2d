/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {registerGradient} from '@tensorflow/tfjs-core';

import {fusedBatchNormGradConfig} from './gradients/FusedBatchNorm_grad';
import {integralConv2DGradConfig} from './gradients/IntegralConv2D_grad';
import {integralMatMulGradConfig} from './gradients/IntegralMatMul_grad';
import {integralWeightGradConfig} from './gradients/IntegralWeight_grad';

const gradConfigs = [integralWeightGradConfig, integralMatMulGradConfig, integralConv2DGradConfig,
                     fusedBatchNormGradConfig];

for (const config of gradConfigs) registerGradient(config);
