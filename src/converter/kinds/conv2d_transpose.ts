/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {IntegralConv2DTranspose} from '../../layers/integral_conv2d_transpose';
import {kernelProducer} from './kind_util';

/**
 * Conv2DTranspose: a producer whose kernel is `[kh, kw, C_out, C_in]` (the input axis last, integrated); twin
 * IntegralConv2DTranspose.
 */
export const conv2dTransposeKind = kernelProducer(['Conv2DTranspose'], {
  className: IntegralConv2DTranspose.className,
  widthKey: 'filters',
  stockClassName: 'Conv2DTranspose',
  transposed: true,
});
