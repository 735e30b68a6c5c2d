/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tfl from '@tensorflow/tfjs-layers';

import {IntegralLayer} from '../layers/integral_layer';
import {kindOfTwin} from './kinds/registry';
import {forEachLayerConfig, layerConfigName, layersByName, ModelConfig} from './topology';

/** Which integral layers follow which groups. */
export interface GroupLayout {
  /** The group whose channels each integral layer produces, by layer name. */
  producerGroups: Record<string, string>;
  /** The groups whose concatenation each integral layer reads, by layer name. */
  segmentConsumers: Record<string, string[]>;
}

/** What one integral layer samples under a set of group widths: its output width and its input segments' widths. */
export interface LayerWidths {
  out?: number;
  segments?: number[];
}

/**
 * The width plan: for every integral layer that `widths` (by group name) changes, what it samples; groups not
 * named keep `current(group)`. One plan serves live layers ({@link applyToLayers}) and topologies
 * ({@link applyToTopology}).
 */
export function planWidths(layout: GroupLayout, widths: Map<string, number>, current: (group: string) => number):
    Map<string, LayerWidths> {
  const width = (g: string) => widths.get(g) ?? current(g);
  const plan = new Map<string, LayerWidths>();
  for (const [layer, group] of Object.entries(layout.producerGroups)) {
    if (widths.has(group)) plan.set(layer, {out: widths.get(group)});
  }
  for (const [layer, groups] of Object.entries(layout.segmentConsumers)) {
    plan.set(layer, {...plan.get(layer), segments: groups.map(width)});
  }
  return plan;
}

/** Resizes the live integral layers of `model` (random-width training: no rebuild, the same variables). */
export function applyToLayers(plan: Map<string, LayerWidths>, model: tfl.LayersModel) {
  for (const [name, layer] of layersByName(model)) {
    const w = plan.get(name);
    if (w == null || !(layer instanceof IntegralLayer)) continue;
    if (w.out != null) layer.resize(w.out);
    if (w.segments != null) layer.resizeInputSegments(w.segments);
  }
}

/** Writes the plan into the integral layers' configs of `topology` (resampling: the model is rebuilt from it). */
export function applyToTopology(plan: Map<string, LayerWidths>, topology: ModelConfig) {
  forEachLayerConfig(topology, entry => {
    const name = layerConfigName(entry);
    const w = plan.get(name);
    const twin = kindOfTwin(entry.className)?.twin;
    if (w == null || twin == null) return;
    const segments = entry.config.inSegments as {sizes: number[], widths: number[]}|undefined;
    if (w.segments != null && segments != null) segments.widths = w.segments;
    if (w.out == null || entry.config[twin.widthKey] === w.out) return;
    if (entry.config.trainablePositions) {
      throw new Error(`Error in IntegralModel.resample: layer '${name}' trains its positions, so its width stays ` +
                      `${entry.config[twin.widthKey]}, but its group was asked for ${w.out}.`);
    }
    entry.config[twin.widthKey] = w.out;
  });
}
