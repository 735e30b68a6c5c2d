/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {channelsFirstReason} from './kind_util';
import type {LayerKind} from './layer_kind';

/**
 * Flatten of a channels-last map: its last axis holds the channels per spatial position, fastest, so a following
 * Dense integrates them per position (`outer` taps).
 */
export const flattenKind: LayerKind = {
  classNames: ['Flatten'],
  rule: 'passThrough',
  discreteReason: channelsFirstReason,
  outputLayout: (call, input) => {
    const spatial = call.inputs[0].shape.slice(1, -1).reduce((a: number, b) => a * (b ?? 1), 1);
    return {...input, outer: input.outer * spatial};
  },
};
