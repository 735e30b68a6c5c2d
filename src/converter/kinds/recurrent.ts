/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {describeLayer} from './kind_util';
import type {LayerKind} from './layer_kind';

/**
 * Recurrent layers: their state feeds back into their own kernels (a group would have to span the recurrence and
 * every gate), which the converter does not resample yet; every group they touch stays discrete.
 */
export const recurrentKind: LayerKind = {
  classNames: ['SimpleRNN', 'GRU', 'LSTM', 'Bidirectional', 'ConvLSTM2D', 'RNN'],
  rule: 'producer',
  discreteReason: call => `${describeLayer(call)} is recurrent: its channels are not resampled yet`,
};
