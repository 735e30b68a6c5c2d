/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {importByName} from '../util/import_by_name';

/** The file:// scheme handled by {@link fileSystem}. */
export const FILE_SCHEME = 'file://';

type NodeFs = typeof import('node:fs/promises');
type NodePath = typeof import('node:path');

/**
 * Node's `fs` and `path`, imported at call time. The specifiers are hidden from bundlers so that browser bundles of
 * the package neither include nor fail on them; only Node ever calls this.
 */
async function nodeModules(): Promise<{fs: NodeFs, path: NodePath}> {
  const [fs, path] = await Promise.all([importByName<NodeFs>('node:fs/promises'), importByName<NodePath>('node:path')]);
  return {fs, path};
}

/** An exact ArrayBuffer of a Node Buffer (small Buffers share a pooled ArrayBuffer). */
function toArrayBuffer(b: Uint8Array): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/**
 * An IOHandler for a directory `<dir>/model.json` + `<dir>/weights.bin`, the layout of tfjs-node's `file://`
 * handler, in Node without `@tensorflow/tfjs-node`.
 */
export function fileSystem(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error(`Error in fileSystem('${dir}'): binary model topologies cannot be saved.`);
      }
      const {fs, path} = await nodeModules();
      await fs.mkdir(dir, {recursive: true});
      const modelJSON: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology!,
        weightsManifest: [{paths: ['./weights.bin'], weights: artifacts.weightSpecs ?? []}],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        ...(artifacts.trainingConfig != null ? {trainingConfig: artifacts.trainingConfig} : {}),
        ...(artifacts.userDefinedMetadata != null ? {userDefinedMetadata: artifacts.userDefinedMetadata} : {}),
      };
      const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
      await fs.writeFile(path.join(dir, 'weights.bin'), new Uint8Array(weights));
      await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify(modelJSON));
      return {modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts)};
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const {fs, path} = await nodeModules();
      const file = dir.endsWith('.json') ? dir : path.join(dir, 'model.json');
      const modelJSON = JSON.parse(await fs.readFile(file, 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJSON, async manifest => {
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          for (const p of group.paths) buffers.push(toArrayBuffer(await fs.readFile(path.join(path.dirname(file), p))));
        }
        return [tf.io.getWeightSpecs(manifest), buffers];
      });
    },
  };
}

const isNode = () => typeof process !== 'undefined' && process.versions?.node != null;

/**
 * Lets `tf.loadLayersModel('file://…')` and `model.save('file://…')` work in Node without tfjs-node. Skipped
 * outside Node and when another handler (tfjs-node's) already claims file:// URLs.
 */
export function registerFileSystemRouter() {
  if (!isNode() || tf.io.getLoadHandlers(`${FILE_SCHEME}/probe`).length > 0) return;
  const router = (url: string|string[]) => (typeof url === 'string' && url.startsWith(FILE_SCHEME)) ?
      fileSystem(url.slice(FILE_SCHEME.length)) :
      null as unknown as tf.io.IOHandler;  // IORouter's type has no "not mine"; tfjs skips nulls
  tf.io.registerLoadRouter(router);
  tf.io.registerSaveRouter(router);
}
