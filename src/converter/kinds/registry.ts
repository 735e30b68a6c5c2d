/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import type * as tfl from '@tensorflow/tfjs-layers';

import {registerChannelwiseRule} from '../../layers/channelwise_rules';
import {IntegralChannelwise} from '../../layers/integral_channelwise';
import {batchNormalizationKind} from './batch_normalization';
import {channelPreservingKind} from './channel_preserving';
import {concatenateKind} from './concatenate';
import {conv1dKind} from './conv1d';
import {conv2dKind} from './conv2d';
import {conv2dTransposeKind} from './conv2d_transpose';
import {denseKind} from './dense';
import {depthwiseConv2dKind} from './depthwise_conv2d';
import {embeddingKind} from './embedding';
import {flattenKind} from './flatten';
import {graphOpKind} from './graph_op';
import {layerNormalizationKind} from './layer_normalization';
import type {LayerKind} from './layer_kind';
import {mergeKind} from './merge';
import {permuteKind} from './permute';
import {preluKind} from './prelu';
import {recurrentKind} from './recurrent';
import {reshapeKind} from './reshape';
import {separableConv2dKind} from './separable_conv2d';
import {timeDistributedKind} from './time_distributed';

/** Every layer kind the converter knows. Adding a kind: write its file and list it here. */
export const LAYER_KINDS: readonly LayerKind[] = [
  denseKind, timeDistributedKind, conv1dKind, conv2dKind, conv2dTransposeKind, embeddingKind, depthwiseConv2dKind,
  separableConv2dKind, batchNormalizationKind, layerNormalizationKind, preluKind, channelPreservingKind, flattenKind,
  reshapeKind, permuteKind, mergeKind, concatenateKind, recurrentKind, graphOpKind,
];

const byStockClass = new Map(LAYER_KINDS.flatMap(k => k.classNames.map(c => [c, k] as const)));
/** Integral twins by class name; the first kind listed with a twin owns it (Dense before TimeDistributed). */
const byTwinClass = new Map<string, LayerKind>();
for (const kind of LAYER_KINDS) {
  const twin = kind.twin ?? kind.channelFollower;
  if (twin != null && !byTwinClass.has(twin.className)) byTwinClass.set(twin.className, kind);
}

for (const kind of LAYER_KINDS) {
  if (kind.channelwise != null) for (const c of kind.classNames) registerChannelwiseRule(c, kind.channelwise);
}

/** A layer's kind, and whether the layer is integral already (an integral twin or an IntegralChannelwise). */
export interface KindOfLayer {
  kind: LayerKind;
  integral: boolean;
}

/** The kind of `layer` (integral layers resolve to the kind they are the twin of), or null when unsupported. */
export function kindOf(layer: tfl.layers.Layer): KindOfLayer|null {
  const className = layer.getClassName();
  if (layer instanceof IntegralChannelwise) {
    const kind = byStockClass.get(layer.wrapped.className);
    return kind == null ? null : {kind, integral: true};
  }
  const twinOf = byTwinClass.get(className);
  if (twinOf != null) return {kind: twinOf, integral: true};
  const kind = byStockClass.get(className);
  return kind == null ? null : {kind, integral: false};
}

/** The kind of a stock class name (`Dense`, ...), if any. */
export const kindOfClass = (className: string): LayerKind|undefined => byStockClass.get(className);

/** The kind whose integral twin is class `className` (`IntegralDense`, `IntegralReshape`, ...), if any. */
export const kindOfTwin = (className: string): LayerKind|undefined => byTwinClass.get(className);

/** Class name of the layer that resamples a per-channel layer with its group. */
export const CHANNELWISE_CLASS_NAME = IntegralChannelwise.className;
