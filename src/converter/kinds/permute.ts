/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {describeLayer} from './kind_util';
import type {LayerKind} from './layer_kind';

/** Permute that keeps the last axis last (its `dims` count from 1): the channels pass through. */
export const permuteKind: LayerKind = {
  classNames: ['Permute'],
  rule: 'passThrough',
  discreteReason: call => {
    const dims = call.layer.getConfig().dims as number[];
    return dims[dims.length - 1] === dims.length ? null : `${describeLayer(call)} moves the channel axis`;
  },
};
