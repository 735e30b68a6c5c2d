/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
export {integralConv1d} from './integral_conv1d';
export {integralConv2d} from './integral_conv2d';
export {integralConv2dTranspose} from './integral_conv2d_transpose';
export {integralMatMul} from './integral_mat_mul';
export {integralWeight} from './integral_weight';
