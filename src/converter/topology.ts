/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** A reference to a layer's output in a functional topology: `[layerName, nodeIndex, tensorIndex, kwargs]`. */
export type TensorRef = [string, number, number, Record<string, unknown>?];

/** A layer's config in a topology: what `layer.getConfig()` gives (camelCase keys). */
export interface LayerConfigDict {
  name?: string;
  trainable?: boolean;
  batchInputShape?: Array<number|null>;
  [key: string]: unknown;
}

/** One layer entry of a topology: `{className, config}` (Sequential) or `{name, className, config, inboundNodes}`. */
export interface LayerConfig {
  className: string;
  config: LayerConfigDict;
  name?: string;
  inboundNodes?: TensorRef[][];
}

/** A container's config: its layers and, for functional models, its input and output references. */
export interface ContainerConfigDict extends LayerConfigDict {
  layers: LayerConfig[];
  inputLayers?: TensorRef[];
  outputLayers?: TensorRef[];
}

/** A model's topology as `model.getConfig()` gives it, wrapped with its class name: `{className, config}`. */
export interface ModelConfig extends LayerConfig {
  config: ContainerConfigDict;
}

const CONTAINER_CLASSES = new Set(['Sequential', 'Model', 'Functional']);

/** The topology of `model`, as a mutable plain object. */
export function modelConfig(model: tfl.LayersModel): ModelConfig {
  return JSON.parse(JSON.stringify({className: model.getClassName(), config: model.getConfig()})) as ModelConfig;
}

/** Builds a model (synchronously, with freshly initialized weights) from a topology. */
export function modelFromConfig(topology: ModelConfig): tfl.LayersModel {
  const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap[topology.className];
  return fromConfig(cls, JSON.parse(JSON.stringify(topology.config))) as tfl.LayersModel;
}

/** Calls `fn` for every layer entry, nested models' entries included, with the topology that holds it. */
export function forEachLayerConfig(topology: ModelConfig, fn: (layer: LayerConfig, owner: ModelConfig) => void) {
  for (const layer of [...topology.config.layers]) {
    if (isContainerConfig(layer)) forEachLayerConfig(layer, fn);
    fn(layer, topology);
  }
}

/** True for a nested model's entry. */
export const isContainerConfig = (l: LayerConfig): l is ModelConfig => CONTAINER_CLASSES.has(l.className);

/** The name of a layer entry (functional entries carry it outside the config too). */
export const layerConfigName = (l: LayerConfig): string => (l.name ?? l.config.name)!;

/** Every non-container layer of `model` by name, nested models included. */
export function layersByName(model: tfl.LayersModel, out = new Map<string, tfl.layers.Layer>()) {
  for (const l of model.layers) {
    const nested = l as unknown as tfl.LayersModel;
    if (nested.layers != null) layersByName(nested, out); else out.set(l.name, l);
  }
  return out;
}

/**
 * Removes layer entry `name` from `owner`, rewiring every reference to its output to `replacement`'s output
 * (functional topologies), or simply dropping it from a Sequential.
 */
export function removeLayerConfig(owner: ModelConfig, name: string, replacement: string) {
  const layers = owner.config.layers;
  layers.splice(layers.findIndex(l => layerConfigName(l) === name), 1);
  if (owner.className === 'Sequential') return;
  const rename = (ref: TensorRef) => {
    if (ref[0] === name) ref[0] = replacement;
  };
  for (const l of layers) for (const node of l.inboundNodes ?? []) node.forEach(rename);
  owner.config.outputLayers?.forEach(rename);
}

/**
 * Inserts `added` before `entry` in `owner` as a chain that reads what `entry` read, `entry` reading the chain's end
 * (functional topologies), or simply before it in a Sequential; a declared input shape moves to the chain's start.
 */
export function insertBefore(owner: ModelConfig, entry: LayerConfig, added: LayerConfig[]) {
  const layers = owner.config.layers;
  layers.splice(layers.indexOf(entry), 0, ...added);
  if (entry.config.batchInputShape != null) {
    added[0].config.batchInputShape = entry.config.batchInputShape;
    delete entry.config.batchInputShape;
  }
  if (owner.className === 'Sequential') return;
  let inbound = entry.inboundNodes ?? [];
  for (const a of added) {
    a.name = layerConfigName(a);
    a.inboundNodes = inbound;
    inbound = inbound.map((_, i) => [[a.name!, i, 0, {}]]);
  }
  entry.inboundNodes = inbound;
}

/**
 * Sets every layer of `target` to the weights of the same-named layer of `source` (same architecture, except for
 * layers without weights that one of them lacks, such as a classifier's dropped softmax).
 */
export function copyWeightsByName(source: tfl.LayersModel, target: tfl.LayersModel) {
  const from = layersByName(source);
  for (const [name, layer] of layersByName(target)) {
    const twin = from.get(name);
    if (twin == null && layer.weights.length === 0) continue;
    if (twin == null) throw new Error(`Error in copyWeightsByName: the source has no layer '${name}'.`);
    layer.setWeights(twin.getWeights());
  }
}

/**
 * Disposes `model` completely: tfjs releases a layer's weights only when every call of it (a shared layer, a nested
 * model's layers) has been released, which `model.dispose()` alone does not do.
 */
export function disposeModel(model: tfl.LayersModel) {
  const all = (m: tfl.LayersModel): tfl.layers.Layer[] => m.layers.flatMap(
      l => (l as unknown as tfl.LayersModel).layers != null ? [...all(l as unknown as tfl.LayersModel), l] : [l]);
  const layers = all(model);
  model.dispose();
  disposeLayers(layers);
}

/** Releases the weights of `layers` (every call of each). */
export function disposeLayers(layers: tfl.layers.Layer[]) {
  for (const layer of layers) {
    try {
      while (layer.dispose().refCountAfterDispose > 0) {
        // release the remaining calls
      }
    } catch {
      // already released
    }
  }
}

/**
 * Builds `topology`; nested models declare their input shapes, which go stale when a channel count changes upstream,
 * so this reads the shapes each nested model is fed, patches them and rebuilds until stable.
 */
export function buildWithNestedShapes(topology: ModelConfig): tfl.LayersModel {
  let model = modelFromConfig(topology);
  for (let pass = 0; pass < 8 && patchNestedInputShapes(topology, model); pass++) {
    disposeModel(model);
    model = modelFromConfig(topology);
  }
  return model;
}

function patchNestedInputShapes(topology: ModelConfig, model: tfl.LayersModel): boolean {
  let changed = false;
  const entries = topology.config.layers;
  for (const l of model.layers) {
    const nested = l as unknown as tfl.LayersModel;
    if (nested.layers == null) continue;
    const entry = entries.find(e => layerConfigName(e) === l.name)! as ModelConfig;
    const fed = l.inboundNodes[1]?.inputShapes as Array<number|null>|Array<Array<number|null>>|undefined;
    if (fed != null) {
      const fedShapes = (Array.isArray(fed[0]) ? fed : [fed]) as Array<Array<number|null>>;
      const declared = entry.className === 'Sequential' ? [entry.config.layers[0].config] :
          (entry.config.inputLayers ?? []).map(([n]) => entry.config.layers.find(e => layerConfigName(e) === n)!.config);
      declared.forEach((cfg, i) => {
        if (JSON.stringify(cfg.batchInputShape) !== JSON.stringify(fedShapes[i])) {
          cfg.batchInputShape = fedShapes[i];
          changed = true;
        }
      });
    }
    changed = patchNestedInputShapes(entry, nested) || changed;
  }
  return changed;
}
