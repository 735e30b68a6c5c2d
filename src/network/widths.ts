/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tfl from '@tensorflow/tfjs-layers';

import type {ChannelGroup, GroupLayout} from '../converter/channel_groups';
import {layersByName} from '../converter/topology';
import {IntegralLayer} from '../layers/integral_layer';
import {assertArg, isPositiveInteger} from '../util/errors';
import {MAX_UPSAMPLING} from '../util/limits';

/** What one integral layer samples under a set of group widths: its output width and its input segments' widths. */
export interface LayerWidths {
  out?: number;
  segments?: number[];
}

/**
 * The width plan: for every integral layer that `widths` (by group name) changes, what it samples; groups not
 * named keep `current(group)`. One plan serves live layers ({@link applyToLayers}) and rebuilt networks.
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

/** A width specification: a scale of every continuous group's original width, or channels by group name. */
export type WidthSpec = number|Record<string, number>;

/**
 * The widths `spec` asks of `groups`, by group name, checked (Errors name `op` and the field): a number scales every
 * continuous group's original width (rounded, at least 1); an object sets named continuous groups.
 */
export function widthsFor(spec: WidthSpec, groups: ChannelGroup[], op: string, arg = 'spec'): Map<string, number> {
  const widths = new Map<string, number>();
  if (typeof spec === 'number') {
    assertArg(Number.isFinite(spec) && spec > 0 && spec <= MAX_UPSAMPLING, op, arg,
              `a positive scale ≤ ${MAX_UPSAMPLING} or an object of group widths`, spec);
    for (const g of groups) if (g.continuous && g.segments == null) widths.set(g.name, scaled(spec, g.originalSize));
    return widths;
  }
  assertArg(spec != null && typeof spec === 'object' && !Array.isArray(spec), op, arg,
            'a positive scale or an object of group widths', spec);
  for (const [name, width] of Object.entries(spec)) {
    const g = groups.find(x => x.name === name);
    const names = groups.filter(x => x.continuous && x.segments == null).map(x => x.name).join(', ');
    assertArg(g != null, op, `${arg}.${name}`, `a group name (${names})`, name);
    assertArg(g.continuous, op, `${arg}.${name}`, `a continuous group (this one is discrete: ${g.reason})`, width);
    assertArg(g.segments == null, op, `${arg}.${name}`,
              `a group that is not a concatenation (its width is the sum of ${g.segments?.join(', ')})`, width);
    assertArg(isPositiveInteger(width) && width <= MAX_UPSAMPLING * g.originalSize, op, `${arg}.${name}`,
              `a positive integer ≤ ${MAX_UPSAMPLING} × its original width ${g.originalSize}`, width);
    widths.set(name, width);
  }
  return widths;
}

/** A group's width at `scale` of its original width `size`: rounded, at least 1. */
export const scaled = (scale: number, size: number) => Math.max(1, Math.round(scale * size));

/** `groups` at `widths` (by name), a concatenation's width the sum of its segments'. */
export function groupsAt(groups: ChannelGroup[], widths: Map<string, number>): ChannelGroup[] {
  const resized = groups.map(g => ({...g, layers: [...g.layers], size: widths.get(g.name) ?? g.size}));
  for (const g of resized) {
    if (g.segments != null) g.size = g.segments.reduce((sum, c) => sum + resized.find(x => x.name === c)!.size, 0);
  }
  return resized;
}
