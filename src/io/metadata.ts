/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tfl from '@tensorflow/tfjs-layers';

import type {ChannelGroup, GroupLayout} from '../converter/channel_groups';
import {kindOfTwin} from '../converter/kinds/registry';
import {layersByName} from '../converter/topology';
import {isChannelSampled} from '../layers/channel_sampled';
import {IntegralLayer} from '../layers/integral_layer';
import {assertArg, isPositiveInteger} from '../util/errors';
import {MAX_CHANNELS, MAX_UPSAMPLING} from '../util/limits';

/** Key of the IntegralModel description in a saved model's user-defined metadata. */
export const METADATA_KEY = 'tfjsIntegral';

/** What `IntegralModel.save` writes next to the model: its groups and which layers follow them. */
export interface IntegralMetadata extends GroupLayout {
  groups: ChannelGroup[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v != null && typeof v === 'object' && !Array.isArray(v);

/**
 * `raw` checked against the loaded `model` (docs/api.md §4): every group well formed with sane sizes, every integral
 * layer and group it names present, each producer's width and each concatenation's segment widths equal to its group's
 * sizes. Throws an Error naming `op` and the field.
 */
export function validatedMetadata(model: tfl.LayersModel, raw: unknown, op: string): IntegralMetadata {
  const at = `${METADATA_KEY}`;
  assertArg(isObject(raw), op, at, 'an object of groups and layouts', raw);
  const layers = layersByName(model);
  const {groups, producerGroups, segmentConsumers} = raw;
  assertArg(Array.isArray(groups) && groups.length > 0, op, `${at}.groups`, 'a non-empty list', groups);
  const names = new Set<string>();
  groups.forEach((g: unknown, i) => {
    const f = `${at}.groups[${i}]`;
    assertArg(isObject(g) && typeof g.name === 'string' && !names.has(g.name), op, `${f}.name`, 'a unique name',
              isObject(g) ? g.name : g);
    names.add(g.name as string);
    for (const key of ['size', 'originalSize']) {
      assertArg(isPositiveInteger(g[key]) && (g[key] as number) <= MAX_CHANNELS, op, `${f}.${key}`,
                `a positive integer ≤ ${MAX_CHANNELS}`, g[key]);
    }
    assertArg(typeof g.continuous === 'boolean', op, `${f}.continuous`, 'a boolean', g.continuous);
    // The layers of the wrapped model's analysis (a folded BatchNormalization is among them): names only.
    assertArg(Array.isArray(g.layers) && g.layers.every(l => typeof l === 'string'), op, `${f}.layers`,
              'a list of layer names', g.layers);
    assertArg(g.reason == null || typeof g.reason === 'string', op, `${f}.reason`, 'a string', g.reason);
    const p = g.positions;
    assertArg(p == null || (Array.isArray(p) && p.length >= 1 && p.length <= MAX_CHANNELS &&
                            p.every((v, j) => typeof v === 'number' && v >= 0 && v <= 1 && (j === 0 || v > p[j - 1])) &&
                            g.continuous === true),
              op, `${f}.positions`, 'strictly increasing numbers in [0, 1] of a continuous group', p);
  });
  const group = (name: unknown) => (groups as ChannelGroup[]).find(g => g.name === name);
  groups.forEach((g: ChannelGroup, i) => {
    assertArg(g.segments == null || (Array.isArray(g.segments) && g.segments.every(s => group(s) != null)), op,
              `${at}.groups[${i}].segments`, 'a list of group names', g.segments);
  });
  assertArg(raw.pristine == null || typeof raw.pristine === 'boolean', op, `${at}.pristine`, 'a boolean', raw.pristine);
  assertArg(isObject(producerGroups), op, `${at}.producerGroups`, 'an object of layer → group', producerGroups);
  for (const [layerName, groupName] of Object.entries(producerGroups)) {
    const f = `${at}.producerGroups.${layerName}`;
    const layer = layers.get(layerName), g = group(groupName);
    assertArg(layer instanceof IntegralLayer, op, f, 'an integral layer of the model', layerName);
    assertArg(g != null, op, f, 'a group name', groupName);
    assertArg(layer.outSize === g.size, op, `${f}`, `a group of the layer's width ${layer.outSize}`,
              `'${g.name}' of size ${g.size}`);
    assertArg(!g.continuous || layer.integral.outContinuous, op, `${at}.groups.${g.name}.continuous`,
              `false: '${layerName}' samples its outputs as a discrete axis`, g.continuous);
    assertArg(!g.continuous || g.originalSize <= MAX_UPSAMPLING * layer.integral.outControlSize, op,
              `${at}.groups.${g.name}.originalSize`,
              `at most ${MAX_UPSAMPLING} × the ${layer.integral.outControlSize} controls of '${layerName}'`, g.originalSize);
  }
  assertArg(isObject(segmentConsumers), op, `${at}.segmentConsumers`, 'an object of layer → groups', segmentConsumers);
  for (const [layerName, segments] of Object.entries(segmentConsumers)) {
    const f = `${at}.segmentConsumers.${layerName}`;
    const layer = layers.get(layerName);
    const own = layer instanceof IntegralLayer ? layer.integral.inSegments : null;
    assertArg(own != null, op, f, 'an integral layer of the model that reads a concatenation', layerName);
    assertArg(layer instanceof IntegralLayer && layer.integral.inContinuous, op, f,
              'a layer whose input axis is continuous', layerName);
    assertArg(Array.isArray(segments) && segments.length === own.sizes.length &&
                  segments.every((s, k) => group(s)?.size === own.widths[k]),
              op, f, `${own.sizes.length} group names of the segment widths ${JSON.stringify(own.widths)}`, segments);
  }
  groups.forEach((g: ChannelGroup, i) => {
    if (!g.continuous || g.segments != null) return;
    const produced = Object.entries(producerGroups).some(([, name]) => name === g.name);
    assertArg(produced, op, `${at}.groups[${i}].continuous`, 'false for a group no integral layer produces', true);
  });
  return raw as unknown as IntegralMetadata;
}

/**
 * Checks a loaded reference network against the loaded model and its metadata: every layer that samples its weights
 * has a stock namesake in the reference whose weights have the shapes of the original widths (each producer's
 * kernel as wide as its group's original width). Throws an Error naming `op` and the layer.
 */
export function checkReference(model: tfl.LayersModel, reference: tfl.LayersModel, metadata: IntegralMetadata,
                               op: string) {
  const references = layersByName(reference);
  for (const [name, layer] of layersByName(model)) {
    if (!isChannelSampled(layer)) continue;
    const stock = references.get(name);
    assertArg(stock != null, op, `${METADATA_KEY}.reference`, `a network with a layer '${name}' (the model has one)`,
              'a network without it');
    const group = metadata.groups.find(g => g.name === metadata.producerGroups[name]);
    const kernel = stock.getWeights()[0];
    if (group == null || kernel == null) continue;
    const width = kindOfTwin(layer.getClassName())?.twin?.transposed ? kernel.shape.at(-2) : kernel.shape.at(-1);
    assertArg(width === group.originalSize, op, `${METADATA_KEY}.reference`,
              `a network whose layer '${name}' has the ${group.originalSize} outputs of group '${group.name}'`, width);
  }
}

/** The names tfjs gives variables and layers. */
const VALID_NAME = /^[A-Za-z0-9][-A-Za-z0-9._/]*$/;

/** Config entries of tfjs's initializers that are numbers. */
const INITIALIZER_NUMBERS = ['scale', 'stddev', 'mean', 'minval', 'maxval', 'gain', 'value'];

/**
 * Checks an initializer's config: its numbers finite and moderate (a NaN standard deviation makes tfjs's truncated
 * normal draw forever), a seed an integer or null. Throws an Error naming `op` and the entry.
 */
function checkInitializer(config: Record<string, unknown>, path: string, op: string) {
  for (const [key, value] of Object.entries(config)) {
    const f = `${path}.${key}`;
    if (key === 'seed') assertArg(value == null || Number.isSafeInteger(value), op, f, 'an integer or null', value);
    if (INITIALIZER_NUMBERS.includes(key)) {
      assertArg(typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= 1e6, op, f,
                'a finite number of magnitude ≤ 1e6', value);
    }
  }
}

/** Config entries that set a layer's channel or vocabulary sizes (its weights grow with them). */
const SIZE_KEYS = ['units', 'filters', 'outputDim', 'inputDim', 'inControlSize', 'outControlSize', 'controlSize',
                   'depthMultiplier', 'n'];

/**
 * Checks, before any layer is built, what tfjs would trust in `topology`: no layer asks for channel or vocabulary
 * sizes beyond `MAX_UPSAMPLING` × the largest dimension of the weights the manifest holds (a corrupted config must
 * not make layer initialization allocate gigabytes before the weights fail to load), every layer name is one tfjs
 * accepts, and every initializer's numbers are finite (tfjs's truncated normal draws forever with a NaN deviation).
 * Throws an Error naming `op` and the entry.
 */
export function checkTopology(artifacts: {modelTopology?: unknown, weightSpecs?: Array<{shape: number[]}>},
                                   op: string) {
  const largest = Math.max(1, ...(artifacts.weightSpecs ?? []).flatMap(s => Array.isArray(s.shape) ? s.shape : []));
  const limit = MAX_UPSAMPLING * largest;
  const visit = (node: unknown, path: string) => {
    if (Array.isArray(node)) {
      node.forEach((v, i) => visit(v, `${path}[${i}]`));
      return;
    }
    if (!isObject(node)) return;
    const config = node.config;
    if ((node.class_name != null || node.className != null) && isObject(config) && 'name' in config) {
      assertArg(typeof config.name === 'string' && VALID_NAME.test(config.name), op, `${path}.config.name`,
                'a layer name (letters, digits, and - . _ / after the first)', config.name);
    }
    for (const [key, value] of Object.entries(node)) {
      const camel = key.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
      if (SIZE_KEYS.includes(camel) && typeof value === 'number') {
        assertArg(value <= limit, op, `${path}.${key}`, `at most ${limit} (${MAX_UPSAMPLING} × the largest weight dimension)`,
                  value);
      }
      if (camel.endsWith('Initializer') && isObject(value) && isObject(value.config)) {
        checkInitializer(value.config, `${path}.${key}.config`, op);
      }
      visit(value, `${path}.${key}`);
    }
  };
  visit(artifacts.modelTopology, 'modelTopology');
}
