/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {describeLayer} from './kind_util';
import type {LayerKind} from './layer_kind';

/** PReLU with one alpha per channel (`sharedAxes` may share the spatial axes): resampled with its group. */
export const preluKind: LayerKind = {
  classNames: ['PReLU'],
  rule: 'passThrough',
  needsWholeInput: true,
  discreteReason: call => {
    const shared = (call.layer.getConfig().sharedAxes as number[]|number|null) ?? [];
    return [shared].flat().includes(call.inputs[0].rank - 1) ? `${describeLayer(call)} shares alpha across channels` :
                                                               null;
  },
  weightAxes: () => [{weight: 0, axis: -1, tensor: 'input'}],
  channelwise: {
    channelAxis: () => -1,
    logSpace: () => false,
    apply: (x, [alpha]) => tf.prelu(x, alpha),
  },
};
