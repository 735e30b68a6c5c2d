/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// A real converted graph model: the MobileNetV2 that the npm package nsfwjs@4.3.0 (MIT) ships as `.min.js` modules
// of its model.json and base64 weight shards (tfjs-converter 1.7.4, uint8-quantized weights), fetched from the npm
// registry once and cached under node_modules/.cache.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync} from 'node:fs';
import {createRequire} from 'node:module';
import * as path from 'node:path';

import type * as tf from '@tensorflow/tfjs-core';

const PACKAGE = 'nsfwjs@4.3.0';
const CACHE = path.resolve('node_modules/.cache/tfjs-integral/nsfwjs-4.3.0');
const MODEL_DIR = path.join(CACHE, 'package/dist/models/mobilenet_v2_mid');

/** The model's directory, fetched first when missing; the reason when it cannot be (no registry reachable). */
function modelDirectory(): {dir: string}|{unavailable: string} {
  if (existsSync(path.join(MODEL_DIR, 'model.min.js'))) return {dir: MODEL_DIR};
  mkdirSync(CACHE, {recursive: true});
  try {
    execFileSync('npm', ['pack', PACKAGE, '--pack-destination', CACHE, '--silent'], {stdio: 'pipe', timeout: 120_000});
    const tarball = readdirSync(CACHE).find(f => f.endsWith('.tgz'))!;
    execFileSync('tar', ['xzf', tarball, 'package/dist/models/mobilenet_v2_mid'], {cwd: CACHE, stdio: 'pipe'});
  } catch (e) {
    return {unavailable: `${PACKAGE} could not be fetched from the npm registry (${(e as Error).message.split('\n')[0]})`};
  }
  return {dir: MODEL_DIR};
}

/** The artifacts of nsfwjs's MobileNetV2 graph model (or why they are unavailable). */
export function mobileNetV2Artifacts(): tf.io.ModelArtifacts|{unavailable: string} {
  const found = modelDirectory();
  if ('unavailable' in found) return found;
  const require = createRequire(import.meta.url);
  const json = require(path.join(found.dir, 'model.min.js'));
  const manifest = json.weightsManifest as tf.io.WeightsManifestConfig;
  const shards = manifest.flatMap(g => g.paths)
                     .map(p => Buffer.from(require(path.join(found.dir, `${p}.min.js`)) as string, 'base64'));
  const data = Buffer.concat(shards);
  return {
    modelTopology: json.modelTopology, format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy,
    weightSpecs: manifest.flatMap(g => g.weights),
    weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
    userDefinedMetadata: json.userDefinedMetadata, signature: json.userDefinedMetadata?.signature,
  };
}
