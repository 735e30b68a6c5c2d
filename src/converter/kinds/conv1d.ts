/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {IntegralConv1D} from '../../layers/integral_conv1d';
import {kernelProducer} from './kind_util';

/** Conv1D (`causal` padding included): a producer; twin IntegralConv1D. */
export const conv1dKind = kernelProducer(['Conv1D'], {
  className: IntegralConv1D.className,
  widthKey: 'filters',
  stockClassName: 'Conv1D',
});
