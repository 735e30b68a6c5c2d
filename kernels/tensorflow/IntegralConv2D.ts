/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {integralConv2DConfig} from '../shared/two_stage';

/** `IntegralConv2D` on tensorflow: tensorflow's `IntegralWeight`, then its own `Conv2D` (two stages, not fused). */
export const integralConv2DTensorflowConfig = integralConv2DConfig('tensorflow');
