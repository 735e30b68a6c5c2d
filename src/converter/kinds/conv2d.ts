/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {IntegralConv2D} from '../../layers/integral_conv2d';
import {convCalibration, kernelProducer} from './kind_util';

/** Conv2D: a producer; twin IntegralConv2D. */
export const conv2dKind = kernelProducer(['Conv2D'], {
  className: IntegralConv2D.className,
  widthKey: 'filters',
  stockClassName: 'Conv2D',
}, convCalibration(2));
