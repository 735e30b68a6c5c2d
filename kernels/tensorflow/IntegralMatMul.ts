/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {integralMatMulConfig} from '../shared/two_stage';

/** `IntegralMatMul` on tensorflow: tensorflow's `IntegralWeight`, then its own `BatchMatMul` (two stages, not fused). */
export const integralMatMulTensorflowConfig = integralMatMulConfig('tensorflow');
