/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {describeLayer, isLastAxis} from './kind_util';
import type {LayerKind} from './layer_kind';

/** Concatenate along the channels: a parent axis made of its inputs' groups, each resampled on its own. */
export const concatenateKind: LayerKind = {
  classNames: ['Concatenate'],
  rule: 'concat',
  discreteReason: call => isLastAxis(call.layer.getConfig().axis, call.inputs[0].rank) ? null :
      `${describeLayer(call)} concatenates along axis ${call.layer.getConfig().axis}, not the channels`,
};
