/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// Corrupted and hostile model files (Node): every one is refused with an Error that says what is wrong, or loads
// and runs; none reads outside its directory, hangs, passes a memory bound or leaves tensors behind.
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import * as tf from '@tensorflow/tfjs-core';

import {disposeModel} from '../../src/converter/topology';
import * as tfi from '../../src/index';
import {mulberry32} from '../../src/util/random';
import {sequentialCnn} from '../converter/models';
import {describeWithBackends} from '../describe_with_backends';

type Json = null|boolean|number|string|Json[]|{[key: string]: Json};

/** Writes `modelJson` (and a copy of the valid weights, unless `weights` says otherwise) into a new directory. */
function writeCase(root: string, name: string, modelJson: unknown, weights: Uint8Array|null) {
  const dir = join(root, name);
  mkdirSync(dir, {recursive: true});
  writeFileSync(join(dir, 'model.json'), typeof modelJson === 'string' ? modelJson : JSON.stringify(modelJson));
  if (weights != null) writeFileSync(join(dir, 'weights.bin'), weights);
  return dir;
}

/** Every path into a JSON value, as key lists. */
function paths(value: Json, at: Array<string|number> = []): Array<Array<string|number>> {
  if (value == null || typeof value !== 'object') return [at];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [at, ...entries.flatMap(([k, v]) => paths(v as Json, [...at, k]))];
}

const REPLACEMENTS: Json[] = [null, -1, 0, 1, 2.5, 1e9, 'x', '../weights.bin', [], {}, true, [1e9, 1e9]];

/** `json` with one seeded change: a value replaced, or a key deleted. */
function mutate(json: Json, random: () => number): Json {
  const copy = JSON.parse(JSON.stringify(json)) as Json;
  const all = paths(copy).filter(p => p.length > 0);
  const path = all[Math.floor(random() * all.length)];
  let parent = copy as {[k: string]: Json};
  for (const k of path.slice(0, -1)) parent = parent[k as string] as {[k: string]: Json};
  const key = path[path.length - 1];
  if (random() < 0.2 && !Array.isArray(parent)) delete parent[key as string];
  else parent[key as string] = REPLACEMENTS[Math.floor(random() * REPLACEMENTS.length)];
  return copy;
}

/** Loads `dir` as an IntegralModel within `ms`: 'loaded' (and predicts), or the Error it was refused with. */
async function attempt(dir: string, x: tf.Tensor, ms = 20000): Promise<'loaded'|Error> {
  const load = (async () => {
    const inn = await tfi.loadIntegralModel(tfi.fileSystem(dir));
    try {
      tf.dispose(tf.tidy(() => inn.predict(x)));
    } catch {
      // A model that loads but cannot run this input (a mutated stride, say) is not a loader failure.
    } finally {
      inn.dispose();
    }
    return 'loaded' as const;
  })();
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`hung for ${ms} ms`)), ms));
  try {
    return await Promise.race([load, timeout]);
  } catch (e) {
    return e as Error;
  }
}

describeWithBackends('hostile and faulty model files', () => {
  let root = '', valid: Json, weights: Uint8Array, x: tf.Tensor;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'hostile-'));
    const model = sequentialCnn(false);
    const inn = (await tfi.wrapModel(model)).resample(0.75);
    await inn.save(tfi.fileSystem(join(root, 'valid')));
    disposeModel(model);
    inn.dispose();
    valid = JSON.parse(readFileSync(join(root, 'valid', 'model.json'), 'utf8'));
    weights = readFileSync(join(root, 'valid', 'weights.bin'));
    writeFileSync(join(root, 'secret.bin'), weights);  // outside every case's directory
    x = tf.randomNormal([1, 8, 8, 3], 0, 1, 'float32', 1);
  });
  afterAll(() => {
    x.dispose();
    rmSync(root, {recursive: true, force: true});
  });

  const withShards = (paths: string[]) => ({...(valid as object), weightsManifest: [{
    paths, weights: (valid as {weightsManifest: Array<{weights: Json}>}).weightsManifest[0].weights}]});

  it('loads the valid model', async () => {
    expect(await attempt(join(root, 'valid'), x)).toBe('loaded');
  });

  it('refuses shards outside the directory, devices, links that escape and repeated shards, naming them', async () => {
    const cases: Array<[string, () => string, RegExp]> = [
      ['parent', () => writeCase(root, 'parent', withShards(['../secret.bin']), null), /shard path '..\/secret.bin' leaves the model's directory/],
      ['absolute', () => writeCase(root, 'absolute', withShards(['/proc/self/environ']), null), /'\/proc\/self\/environ' must be relative/],
      ['link', () => {
        const dir = writeCase(root, 'link', valid, null);
        symlinkSync(join(root, 'secret.bin'), join(dir, 'weights.bin'));
        return dir;
      }, /shard '.\/weights.bin' is a link that leaves the model's directory/],
      ['device', () => {
        const dir = writeCase(root, 'device', withShards(['zero']), null);
        symlinkSync('/dev/zero', join(dir, 'zero'));
        return dir;
      }, /shard 'zero' is a link that leaves/],
      ['directory', () => {
        const dir = writeCase(root, 'directory', valid, null);
        mkdirSync(join(dir, 'weights.bin'));
        return dir;
      }, /shard '.\/weights.bin' is not a regular file/],
      ['repeated', () => {
        const dir = writeCase(root, 'repeated', withShards(['weights.bin', './weights.bin']), weights);
        return dir;
      }, /shard '.\/weights.bin' is listed more than once/],
      ['truncated weights', () => writeCase(root, 'short', valid, weights.subarray(0, 100)),
       new RegExp(`hold 100 bytes, but the weight specs need ${weights.length}`)],
      ['missing shard', () => writeCase(root, 'missing', valid, null), /shard '.\/weights.bin' does not exist/],
      ['truncated json', () => writeCase(root, 'truncated', JSON.stringify(valid).slice(0, 300), weights), /is not valid JSON/],
      ['null', () => writeCase(root, 'null', 'null', weights), /has no 'modelTopology' object/],
      ['array', () => writeCase(root, 'array', '[]', weights), /has no 'modelTopology' object/],
      ['foreign', () => writeCase(root, 'foreign', {foo: 1}, weights), /has no 'modelTopology' object/],
      ['graph model', () => writeCase(root, 'graph', {format: 'graph-model', modelTopology: {node: []}, weightsManifest: []}, null),
       /is a tfjs GraphModel .* not a LayersModel: load it with tf.loadGraphModel .* wrapGraphModel/],
    ];
    for (const [name, make, message] of cases) {
      const before = tf.memory().numTensors;
      const result = await attempt(make(), x);
      expect(result instanceof Error ? result.message : result).withContext(name).toMatch(message);
      expect(tf.memory().numTensors).withContext(`${name}: tensors left`).toBe(before);
    }
  });

  it('refuses metadata that disagrees with the layers, naming the field, and frees the loaded model', async () => {
    const meta = (edit: (m: {groups: Array<{[k: string]: Json}>, producerGroups: {[k: string]: string}}) => void) => {
      const copy = JSON.parse(JSON.stringify(valid));
      edit(copy.userDefinedMetadata.tfjsIntegral);
      return copy;
    };
    const cases: Array<[string, unknown, RegExp]> = [
      ['size', meta(m => m.groups[1].size = 5), /'tfjsIntegral.producerGroups.\w+' must be a group of the layer's width 6/],
      ['original size', meta(m => m.groups[1].originalSize = 1e9), /'tfjsIntegral.groups\[1\].originalSize' must be a positive integer ≤/],
      ['huge original', meta(m => m.groups[1].originalSize = 5000), /originalSize' must be at most 16 ×/],
      ['unknown layer', meta(m => m.producerGroups.nowhere = m.groups[1].name as string), /'tfjsIntegral.producerGroups.nowhere' must be an integral layer/],
      ['unknown group', meta(m => m.producerGroups[Object.keys(m.producerGroups)[0]] = 'nope'), /must be a group name, but got 'nope'/],
      ['not a list', meta(m => (m as unknown as {groups: Json}).groups = 'x'), /'tfjsIntegral.groups' must be a non-empty list/],
      ['wrong class', JSON.parse(JSON.stringify(valid).replace('"IntegralConv2D"', '"IntegralFoo"')),
       /Error in loadIntegralModel: .* is not a loadable LayersModel \(.*IntegralFoo/],
      ['huge units', JSON.parse(JSON.stringify(valid).replace(/"units":\d+/, '"units":100000000')),
       /'modelTopology.*units' must be at most/],
    ];
    for (const [name, json, message] of cases) {
      const before = tf.memory().numTensors;
      const result = await attempt(writeCase(root, `meta-${name.replace(/ /g, '-')}`, json, weights), x);
      expect(result instanceof Error ? result.message : result).withContext(name).toMatch(message);
      expect(tf.memory().numTensors).withContext(`${name}: tensors left`).toBe(before);
    }
  });

  it('survives 500 seeded mutations of a valid model.json: an Error or a model that runs, no leak, bounded memory', async () => {
    const random = mulberry32(2026);
    const before = tf.memory().numTensors;
    const rss = process.memoryUsage().rss;
    let loaded = 0, refused = 0;
    const dir = join(root, 'mutant');
    mkdirSync(dir);
    copyFileSync(join(root, 'valid', 'weights.bin'), join(dir, 'weights.bin'));
    for (let i = 0; i < 500; i++) {
      writeFileSync(join(dir, 'model.json'), JSON.stringify(mutate(valid, random)));
      const result = await attempt(dir, x);
      if (result === 'loaded') {
        loaded++;
        continue;
      }
      refused++;
      expect(result instanceof Error).withContext(`mutation ${i}`).toBe(true);
      expect(result.message).withContext(`mutation ${i}`).toMatch(/^Error in \S+/);
      expect(result.message).not.toMatch(/hung for/);
      expect(tf.memory().numTensors).withContext(`mutation ${i}: tensors left`).toBe(before);
      if (tf.memory().numTensors !== before) break;
    }
    expect(loaded + refused).toBe(500);
    expect(loaded).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    expect(process.memoryUsage().rss - rss).toBeLessThan(2 * 2 ** 30);
  });
}, ['cpu']);
